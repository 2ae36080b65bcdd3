"""Each indicator's stored status: kept true by every write it depends on, and what
the indicator list filters by in SQL.

The factory indicator goes from 100 (31.12.2023) to 200 (31.12.2025), quarterly: at
the end of 2024-Q1 an eighth of the time has passed, so 120 is on track, 106 at risk
and 101 off track with the default thresholds.
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from monitoring.demo import indicator_demo_load
from monitoring.models import Indicator, ProgressStatus, StatusThresholds
from monitoring.selectors import indicator_progress_list
from tests.html import rendered_rows
from tests.monitoring.factories import (
    Q1_2024,
    Q2_2024,
    IndicatorFactory,
    ObservationFactory,
)
from themes.demo import theme_demo_load

pytestmark = pytest.mark.django_db

ON_TRACK = ProgressStatus.ON_TRACK
AT_RISK = ProgressStatus.AT_RISK
OFF_TRACK = ProgressStatus.OFF_TRACK
NO_DATA = ProgressStatus.NO_DATA


def stored(indicator) -> str:
    return Indicator.objects.values_list("latest_status", flat=True).get(
        pk=indicator.pk
    )


def worked_out(indicator) -> str:
    return indicator_progress_list(indicators=[indicator])[0].status


# Values


def test_a_national_value_stores_the_status_and_a_city_value_leaves_it(
    world, fixed_today
):
    indicator = world.per_city
    staff = world.users["staff"]
    assert stored(indicator) == ON_TRACK

    services.observation_record(
        indicator=indicator, period=Q2_2024, value=Decimal("101"), by=staff
    )
    assert stored(indicator) == OFF_TRACK
    assert indicator.latest_status == OFF_TRACK

    services.observation_record(
        indicator=indicator,
        period=Q2_2024,
        value=Decimal("190"),
        city=world.helsinki,
        by=world.users["helsinki"],
    )
    assert stored(indicator) == OFF_TRACK


def test_adding_changing_and_deleting_a_value_store_the_status(world, fixed_today):
    indicator = world.national_only
    staff = world.users["staff"]
    assert stored(indicator) == NO_DATA

    observation = services.observation_add(
        indicator=indicator, period=Q1_2024, value=Decimal("106"), by=staff
    )
    assert stored(indicator) == AT_RISK

    services.observation_update(
        observation=observation,
        value=Decimal("101"),
        note="",
        by=staff,
        token=None,
    )
    assert stored(indicator) == OFF_TRACK

    services.observation_delete(observation=observation, by=staff, token=None)
    assert stored(indicator) == NO_DATA


def test_a_period_entered_at_once_stores_the_status(world, fixed_today):
    services.observation_record_many(
        indicator=world.per_city,
        period=Q2_2024,
        entries=[
            services.ObservationEntry(city=None, value=Decimal("101")),
            services.ObservationEntry(city=world.helsinki, value=Decimal("190")),
        ],
        by=world.users["staff"],
    )

    assert stored(world.per_city) == OFF_TRACK


def test_recording_a_value_writes_no_history_of_the_indicator(world, fixed_today):
    entries = world.national_only.history.count()

    services.observation_record(
        indicator=world.national_only,
        period=Q1_2024,
        value=Decimal("101"),
        by=world.users["staff"],
    )

    assert world.national_only.history.count() == entries
    history_fields = {
        field.name for field in Indicator.history.model._meta.get_fields()
    }
    assert "latest_status" not in history_fields


# The thresholds and the indicator's own figures


def test_changing_the_thresholds_stores_every_indicators_status(world, fixed_today):
    ObservationFactory(indicator=world.national_only, value=Decimal("101"))
    others = [IndicatorFactory(theme=world.theme) for _ in range(3)]
    for other in others:
        ObservationFactory(indicator=other, value=Decimal("106"))
    assert stored(world.national_only) == OFF_TRACK

    services.status_thresholds_save(
        thresholds=StatusThresholds(on_track=Decimal("0.05"), at_risk=Decimal("0.01")),
        by=world.users["staff"],
        token=None,
    )

    assert stored(world.national_only) == ON_TRACK
    assert [stored(other) for other in others] == [ON_TRACK] * 3
    assert stored(world.per_city) == ON_TRACK


@pytest.mark.parametrize(
    "changes",
    [
        {"baseline_value": Decimal("119")},
        {"target_value": Decimal("1000")},
        {"baseline_date": datetime.date(2020, 1, 1)},
        {"target_date": datetime.date(2024, 3, 31)},
        {"frequency": Indicator.Frequency.YEARLY},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_changing_the_baseline_target_or_dates_stores_the_status(
    world, fixed_today, changes
):
    indicator = Indicator.objects.get(pk=world.per_city.pk)
    assert stored(indicator) == ON_TRACK
    for name, value in changes.items():
        setattr(indicator, name, value)

    services.indicator_save(indicator=indicator, by=world.users["staff"], token=None)

    assert stored(indicator) == OFF_TRACK == worked_out(indicator)


def test_a_new_indicator_has_no_data(world, fixed_today):
    indicator = IndicatorFactory.build(theme=world.theme)

    services.indicator_save(indicator=indicator, by=world.users["staff"], token=None)

    assert stored(indicator) == NO_DATA


# Imports, the example data and the existing rows


def test_an_import_stores_the_status_of_each_indicator_once(world, fixed_today):
    staff = world.users["staff"]
    file = SimpleUploadedFile(
        "arvot.csv",
        (
            "indicator;period;city;value\n"
            f"{world.national_only.pk};2024-Q1;;150\n"
            f"{world.national_only.pk};2024-Q2;;101\n"
            f"{world.per_city.pk};2024-Q2;;106\n"
            f"{world.per_city.pk};2024-Q2;Helsinki;190\n"
        ).encode(),
        "text/csv",
    )
    preview = services.observations_import_preview(upload=file, by=staff)

    services.observations_import(plan=preview.plan, by=staff)

    # 101 with a quarter of the time gone is off track; 106 too.
    assert stored(world.national_only) == OFF_TRACK
    assert stored(world.per_city) == OFF_TRACK
    assert all(
        stored(indicator) == worked_out(indicator)
        for indicator in Indicator.objects.all()
    )


def test_the_example_data_stores_every_status(organisations):
    today = datetime.date(2026, 1, 15)
    theme_demo_load(today=today)

    indicator_demo_load(today=today)

    indicators = list(Indicator.objects.all())
    assert indicators
    statuses = {indicator.latest_status for indicator in indicators}
    assert {ON_TRACK, OFF_TRACK} <= statuses
    for item in indicator_progress_list(indicators=indicators):
        assert item.indicator.latest_status == item.status, item.indicator.name


def test_the_migration_stores_the_status_of_existing_indicators(world, fixed_today):
    ObservationFactory(indicator=world.national_only, value=Decimal("101"))
    StatusThresholds.objects.create(on_track=Decimal("0.9"), at_risk=Decimal("0.5"))
    Indicator.objects.update(latest_status=NO_DATA)
    migration = importlib.import_module(
        "monitoring.migrations.0003_indicator_latest_status"
    )

    migration.store_latest_statuses(apps, None)

    # 120 after an eighth of the time is on track even at 0.9.
    assert stored(world.per_city) == ON_TRACK
    assert stored(world.national_only) == OFF_TRACK
    assert all(
        stored(indicator) == worked_out(indicator)
        for indicator in Indicator.objects.all()
    )


# The list filters by the stored status


def _grow(world, count):
    for _ in range(count):
        ObservationFactory(
            indicator=IndicatorFactory(theme=world.theme), value=Decimal("101")
        )
        ObservationFactory(
            indicator=IndicatorFactory(theme=world.theme), value=Decimal("150")
        )


def test_the_status_filter_runs_in_sql_in_a_fixed_number_of_queries(
    client, world, fixed_today, django_assert_num_queries
):
    client.force_login(world.users["observer"])
    url = reverse("monitoring:indicator_list")
    _grow(world, 5)
    # The first request of a session reads more than the rest.
    client.get(url)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url, {"status": "off_track"})
    assert rendered_rows(response, "indicator") == 5

    _grow(world, 25)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url, {"status": "off_track"})
    page = response.content.decode()
    assert rendered_rows(response, "indicator") == 30
    assert page.count("status--off_track") == 30
    assert "status--on_track" not in page
    # The values are read for the page's rows only, never for the whole list.
    reads = [
        query["sql"]
        for query in with_few.captured_queries
        if "monitoring_observation" in query["sql"]
    ]
    assert len(reads) == 1


def test_a_status_that_does_not_exist_shows_every_indicator(client, world):
    client.force_login(world.users["observer"])

    response = client.get(reverse("monitoring:indicator_list"), {"status": "'; --"})

    assert response.status_code == 200
    assert rendered_rows(response, "indicator") == 2


# The admin writes past the services


def test_a_value_changed_or_deleted_in_the_admin_stores_the_status(
    admin_client, world, fixed_today
):
    observation = world.national_value
    url = reverse("admin:monitoring_observation_change", args=[observation.pk])

    response = admin_client.post(
        url,
        {
            "indicator": world.per_city.pk,
            "period": "2024-01-01",
            "value": "101",
            "city": "",
            "note": "",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert stored(world.per_city) == OFF_TRACK

    admin_client.post(
        reverse("admin:monitoring_observation_delete", args=[observation.pk]),
        {"post": "yes"},
    )

    assert stored(world.per_city) == NO_DATA
