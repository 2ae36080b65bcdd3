import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_where_the_work_stands(client, world):
    late = MeasureFactory(
        theme=world.theme,
        title="Myöhässä oleva toimenpide",
        lead_organisation=world.theme.lead_organisation,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 6, 30),
    )
    client.force_login(world.users["staff"])

    page = client.get(reverse("secretariat:dashboard")).content.decode()

    assert "TEM077:00/2023" in page
    assert "30.9.2023" in page
    assert "15 päivää jäljellä" in page  # 15.9. → 30.9.2023
    assert "Toimia yhteistyöryhmän sihteeristönä." in page
    assert world.milestone.title in page
    assert late.title in page
    assert reverse("themes:measure_detail", args=[late.pk]) in page


def test_search_finds_themes_and_measures(client, world):
    ThemeFactory(
        title="Innovaatiot ja osaajat",
        lead_organisation=world.theme.lead_organisation,
    )
    client.force_login(world.users["observer"])

    page = client.get(reverse("secretariat:search"), {"q": "innovaatiot"})

    assert "Innovaatiot ja osaajat" in page.content.decode()
    if connection.vendor == "postgresql":
        # The Finnish configuration finds inflected forms.
        page = client.get(reverse("secretariat:search"), {"q": "innovaatioiden"})
        assert "Innovaatiot ja osaajat" in page.content.decode()


def test_privacy_notice_is_linked_from_every_page(client, world):
    page = client.get(reverse("login")).content.decode()
    assert reverse("members:privacy") in page
    notice = client.get(reverse("members:privacy")).content.decode()
    assert "Tietosuojaseloste" in notice
    assert "609/1986" in notice
    assert "Työ- ja elinkeinoministeriö" in notice
