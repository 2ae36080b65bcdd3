"""The snapshot: everything the document prints, as plain strings, in fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Organisation
from secretariat.proposal_snapshot import (
    decimal_text,
    snapshot_build,
    snapshot_content,
    snapshots_equal,
)
from tests.monitoring.factories import IndicatorFactory
from tests.secretariat.proposals import proposal_create
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2023, 9, 28, 12, 0, tzinfo=datetime.UTC)


def _build(proposal, **overrides):
    arguments = {"draft": False, "number": 1, "made_by": None, "at": AT}
    return snapshot_build(proposal=proposal, **{**arguments, **overrides})


def test_the_snapshot_holds_the_text_and_the_model_as_printed(world):
    proposal = proposal_create()
    world.measure.participating_organisations.add(
        Organisation.objects.get(slug="espoo")
    )

    snapshot = _build(proposal, made_by=world.users["chair"])

    assert snapshot["schema"] == 1
    assert snapshot["version"] == {
        "number": 1,
        "draft": False,
        "date": "28.9.2023",
        "made_by": "Katja Palonen",
    }
    assert snapshot["header"]["diary_number"] == "TEM077:00/2023"
    assert snapshot["header"]["document_type"] == "ESITYS"
    assert snapshot["cover"]["appointment_reference"] == "TEM077:00/2023"
    assert snapshot["cover"]["appointment_date"] == "31.8.2023"
    assert [s["number"] for s in snapshot["sections"]] == [1, 2, 3, 4]
    assert snapshot["sections"][0]["kind"] == "organisation"
    theme = snapshot["themes"][0]
    assert theme["title"] == "Työllisyys"
    measure = theme["measures"][0]
    assert measure["schedule"] == "1.9.2023–31.12.2024"
    assert measure["participants"] == ["Espoo"]
    milestone = snapshot["milestones"][0]
    assert milestone["quarter"] == "2023 Q4"
    assert milestone["due_date"] == "30.11.2023"
    assert milestone["belongs_to"] == world.measure.title
    assert snapshot["timeline"][0]["start"] == "2023-09-01"
    assert snapshot["timeline"][0]["milestones"] == ["2023-11-30"]
    assert snapshot["indicators"][0]["name"] == "Työllisyysaste"
    assert snapshot["indicators"][0]["theme"] == "Työllisyys"
    assert snapshot["members"]["rows"]
    assert "4 a §" in snapshot["members"]["gender_statement"]
    assert snapshot["appointment"]["tasks"][0]["number"] == 1
    assert snapshot["appointment"]["signatories"]


def test_finnish_decimals():
    assert decimal_text(Decimal("1234.50")) == "1\u00a0234,5"
    assert decimal_text(Decimal("20.000")) == "20"
    assert decimal_text(Decimal("-0.25")) == "-0,25"
    assert decimal_text(Decimal("1234567")) == "1\u00a0234\u00a0567"


def test_versions_of_the_same_content_compare_equal(world):
    proposal = proposal_create()
    first = _build(proposal, number=1)
    second = _build(
        proposal,
        number=2,
        made_by=world.users["chair"],
        at=AT + datetime.timedelta(days=1),
    )
    assert "version" not in snapshot_content(first)
    assert snapshots_equal(first, second)
    world.measure.title = "Muutettu"
    world.measure.save()
    assert not snapshots_equal(first, _build(proposal))


def _grow(world, times: int) -> None:
    city = Organisation.objects.get(slug="espoo")
    for n in range(times):
        theme = ThemeFactory(title=f"Teema {n}", lead_organisation=city)
        MilestoneFactory(theme=theme, measure=None)
        for m in range(3):
            measure = MeasureFactory(theme=theme, title=f"Toimenpide {n}.{m}")
            measure.participating_organisations.add(city)
            MilestoneFactory(theme=None, measure=measure)
            IndicatorFactory(theme=None, measure=measure)
        IndicatorFactory(theme=theme)


def test_the_snapshot_takes_the_same_queries_at_any_size(world):
    proposal = proposal_create()
    _grow(world, 1)
    with CaptureQueriesContext(connection) as small:
        _build(proposal)
    _grow(world, 5)
    with CaptureQueriesContext(connection) as large:
        snapshot = _build(proposal)
    assert len(snapshot["themes"]) == 7
    assert len(large) == len(small)
