"""The dashboard and the theme list read the stored statuses: as many queries for many
indicators as for a few, and the same rows shown.

An indicator of the factory with the value 101 for 2024-Q1 is off track, with 150 on
track.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from monitoring.models import Indicator, ProgressStatus
from monitoring.selectors import indicator_progress_list
from secretariat.bootstrap import bootstrap
from tests.conftest import TODAY
from tests.html import rendered_rows
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _indicators(world, count):
    for _ in range(count):
        ObservationFactory(
            indicator=IndicatorFactory(theme=world.theme), value=Decimal("101")
        )
        ObservationFactory(
            indicator=IndicatorFactory(theme=None, measure=world.measure),
            value=Decimal("150"),
        )


def test_the_dashboard_reads_the_off_track_indicators_in_fixed_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse("secretariat:dashboard")
    _indicators(world, 3)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert rendered_rows(response, "off-track") == 3

    _indicators(world, 40)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    # Ten are shown, with their latest value and period.
    page = response.content.decode()
    assert rendered_rows(response, "off-track") == 10
    assert page.count("101 henkilöä (2024-Q1)") == 10


def _themes(world, count):
    tem = Organisation.objects.get(slug="tem")
    for index in range(count):
        theme = ThemeFactory(lead_organisation=tem)
        ObservationFactory(
            indicator=IndicatorFactory(theme=theme),
            value=Decimal("101" if index % 2 else "150"),
        )
        ObservationFactory(
            indicator=IndicatorFactory(theme=None, measure=MeasureFactory(theme=theme)),
            value=Decimal("150"),
        )


def test_the_theme_list_rolls_up_the_stored_statuses_in_fixed_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse("themes:theme_list")
    _themes(world, 4)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert rendered_rows(response, "theme") == 5

    _themes(world, 26)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    page = response.content.decode()
    assert rendered_rows(response, "theme") == 31
    # Every other theme has an indicator off track; the world's theme has no value.
    assert page.count("status--off_track") == 15
    assert page.count("status--on_track") == 15
    assert page.count("status--no_data") == 1


def test_the_scale_data_stores_the_status_of_every_generated_indicator(db):
    bootstrap(demo=False, today=TODAY)

    call_command("generate_scale_data", "--scale", "0.02")

    generated = list(Indicator.objects.filter(name__startswith="[Synthetic]"))
    assert generated
    assert ProgressStatus.NO_DATA not in {i.latest_status for i in generated}
    for item in indicator_progress_list(indicators=generated):
        assert item.indicator.latest_status == item.status, item.indicator.name
