import datetime
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from themes import services
from themes.demo import DemoDataError, theme_demo_load
from themes.models import Measure, Milestone, Theme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 30)


def row_and_history_counts() -> dict[str, int]:
    return {
        "themes": Theme.objects.count(),
        "measures": Measure.objects.count(),
        "milestones": Milestone.objects.count(),
        "theme history": Theme.history.count(),
        "measure history": Measure.history.count(),
        "participant history": apps.get_model(
            "themes", "HistoricalMeasure_participating_organisations"
        ).objects.count(),
        "milestone history": Milestone.history.count(),
    }


def test_loads_the_four_themes_of_the_decision_as_examples(organisations):
    result = theme_demo_load(today=TODAY)

    assert [theme.title for theme in Theme.objects.all()] == [
        "Työllisyys",
        "Korkeakoulutus",
        "Innovaatiopolitiikka",
        "Kansainvälistyminen",
    ]
    assert result["unchanged"] == 0
    assert result["written"] > 0
    leads = {theme.title: theme.lead_organisation.slug for theme in Theme.objects.all()}
    assert leads["Työllisyys"] == "tem"
    assert leads["Korkeakoulutus"] == "okm"
    for theme in Theme.objects.all():
        assert theme.is_example
        assert theme.status == Theme.Status.ACTIVE
        assert "Esimerkkisisältö" in theme.description
        assert theme.goals
        assert 2 <= theme.measures.count() <= 3
        assert theme.milestones.count() >= 1
    assert not Measure.objects.filter(is_example=False).exists()
    assert not Milestone.objects.filter(is_example=False).exists()
    first_day = datetime.date(2023, 9, 1)
    assert not Measure.objects.filter(start_date__lt=first_day).exists()
    assert not Milestone.objects.filter(due_date__lt=first_day).exists()
    assert all(m.participating_organisations.exists() for m in Measure.objects.all())


def test_today_decides_what_is_done(organisations):
    theme_demo_load(today=TODAY)

    assert not Milestone.objects.filter(due_date__gt=TODAY, done_on__isnull=False)
    assert not Milestone.objects.filter(due_date__lte=TODAY, done_on__isnull=True)
    started_later = Measure.objects.get(title="Innovatiiviset julkiset hankinnat")
    assert started_later.status == Measure.Status.IN_PROGRESS
    assert 0 < started_later.progress < 100
    assert not Measure.objects.filter(status=Measure.Status.DONE).exists()

    theme_demo_load(today=datetime.date(2027, 1, 1))
    assert set(Measure.objects.values_list("status", flat=True)) == {"done"}
    assert set(Measure.objects.values_list("progress", flat=True)) == {100}


def test_a_second_load_writes_nothing(organisations):
    theme_demo_load(today=TODAY)
    before = row_and_history_counts()

    result = theme_demo_load(today=TODAY)

    assert result["written"] == 0
    assert result["unchanged"] > 0
    assert row_and_history_counts() == before


def test_a_load_restores_edited_example_content_and_keeps_real_content(
    organisations,
):
    theme_demo_load(today=TODAY)
    theme = Theme.objects.get(title="Työllisyys")
    theme.goals = "Muokattu"
    theme.save()
    real = Theme.objects.create(
        title="Työllisyys", lead_organisation=organisations["tem"]
    )

    result = theme_demo_load(today=TODAY)

    assert result["written"] == 1
    theme.refresh_from_db()
    assert theme.goals != "Muokattu"
    real.refresh_from_db()
    assert not real.is_example
    assert real.goals == ""


def test_missing_organisations_are_named():
    with pytest.raises(DemoDataError, match="helsinki"):
        theme_demo_load(today=TODAY)
    assert not Theme.objects.exists()


def test_the_system_writes_the_examples_through_the_services(organisations):
    with (
        mock.patch("themes.demo.theme_save", wraps=services.theme_save) as theme_save,
        mock.patch(
            "themes.demo.measure_save", wraps=services.measure_save
        ) as measure_save,
        mock.patch(
            "themes.demo.milestone_save", wraps=services.milestone_save
        ) as milestone_save,
    ):
        theme_demo_load(today=TODAY)

    assert theme_save.call_count == Theme.objects.count()
    assert measure_save.call_count == Measure.objects.count()
    assert milestone_save.call_count == Milestone.objects.count()
    calls = [*theme_save.mock_calls, *measure_save.mock_calls]
    calls += milestone_save.mock_calls
    assert {call.kwargs["by"] for call in calls} == {None}
    for model in (Theme, Measure, Milestone):
        assert model.history.exists()
        assert not model.history.filter(history_user__isnull=False).exists()
    measure = Measure.objects.get(title="Osaajapulan alueellinen tilannekuva")
    latest = measure.history.latest("history_id")
    participants = latest.participating_organisations.all()
    assert {row.organisation.slug for row in participants} == {
        "helsinki",
        "espoo",
        "tampere",
        "vantaa",
        "oulu",
        "turku",
    }


def test_the_rules_of_the_services_hold_for_the_examples(organisations):
    refusal = ValidationError("refused", code="outside_measure")
    with (
        mock.patch("themes.services.milestone_check", side_effect=refusal),
        pytest.raises(ValidationError),
    ):
        theme_demo_load(today=TODAY)
    assert not Theme.objects.exists()


def test_examples_after_real_themes_keep_their_place_and_load_once(organisations):
    Theme.objects.create(title="Oma teema", lead_organisation=organisations["tem"])
    theme_demo_load(today=TODAY)
    before = row_and_history_counts()

    result = theme_demo_load(today=TODAY)

    assert result["written"] == 0
    assert row_and_history_counts() == before
    examples = Theme.objects.filter(is_example=True).order_by("order")
    assert [theme.order for theme in examples] == [0, 1, 2, 3]
