"""Tampere reports its values for the open round, and cannot reach Turku's."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from members.models import Organisation
from monitoring.models import CityReport, Observation
from monitoring.services import round_open
from tests.factories import cast_create

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


@pytest.fixture
def open_round(cast_in_finnish):
    cast_create("keskinen", languages={"keskinen": "fi"})
    return round_open(
        period=datetime.date(2023, 7, 1),
        frequency="quarterly",
        due_date=datetime.date(2023, 10, 15),
        indicators=[cast_in_finnish.indicator],
        by=None,
    )


def test_tampere_enters_its_values_and_completes_its_report(
    cast_in_finnish, open_round, open_browser
):
    indicator = cast_in_finnish.indicator
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("keskinen", PASSWORD)
        visitor.press(page.get_by_role("link", name=re.compile(r"^Tampere: .*2023-Q3")))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Tampere")
        expect(page.get_by_role("main")).not_to_contain_text("Turku")

        visitor.type_into(page.get_by_label(indicator.name, exact=True), "68,4")
        visitor.press(page.get_by_role("button", name="Tallenna arvot"))
        expect(page.get_by_role("status")).to_be_visible()
        visitor.press(page.get_by_role("button", name="Merkitse raportti valmiiksi"))
        expect(page.get_by_role("status")).to_be_visible()

        visitor.open(f"/rounds/{open_round.pk}/cities/turku/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ei käyttöoikeutta")

    tampere = Organisation.objects.get(slug="tampere")
    value = Observation.objects.get(indicator=indicator, city=tampere)
    assert value.value == Decimal("68.4")
    assert value.entered_by.username == "keskinen"
    assert CityReport.objects.get(round=open_round, city=tampere).completed_at
    assert not Observation.objects.filter(city__slug="turku").exists()
