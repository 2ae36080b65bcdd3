import datetime
from decimal import Decimal
from unittest import mock

import pytest

from monitoring import services
from monitoring.demo import indicator_demo_load
from monitoring.models import Indicator, Observation
from monitoring.selectors import (
    ProgressStatus,
    indicator_progress_list,
    theme_progress_list,
)
from tests.factories import UserFactory
from themes.demo import DemoDataError, theme_demo_load
from themes.models import Theme

pytestmark = pytest.mark.django_db

# After the last example period (2025-Q4) has ended.
TODAY = datetime.date(2026, 1, 15)


@pytest.fixture
def example_themes(organisations):
    theme_demo_load(today=TODAY)


def counts() -> dict[str, int]:
    return {
        "indicators": Indicator.objects.count(),
        "observations": Observation.objects.count(),
        "indicator history": Indicator.history.count(),
        "observation history": Observation.history.count(),
    }


def test_loads_indicators_for_every_theme_with_two_years_of_values(
    example_themes, organisations
):
    result = indicator_demo_load(today=TODAY)

    assert result["written"] == counts()["indicators"] + counts()["observations"]
    assert not Indicator.objects.filter(is_example=False).exists()
    assert not Observation.objects.filter(is_example=False).exists()
    for theme in Theme.objects.all():
        indicators = Indicator.objects.filter(theme=theme) | Indicator.objects.filter(
            measure__theme=theme
        )
        assert 2 <= indicators.count() <= 3, theme
    per_city = Indicator.objects.filter(reported_per_city=True)
    assert per_city.exists()
    assert Indicator.objects.filter(reported_per_city=False).exists()

    quarterly = per_city.filter(frequency=Indicator.Frequency.QUARTERLY).first()
    periods = sorted(
        set(quarterly.observations.values_list("period", flat=True).distinct())
    )
    assert periods == [
        datetime.date(year, month, 1)
        for year in (2024, 2025)
        for month in (1, 4, 7, 10)
    ]
    cities = set(quarterly.observations.values_list("city__slug", flat=True))
    assert cities == {None, "helsinki", "espoo", "tampere", "vantaa", "oulu", "turku"}
    assert quarterly.observations.count() == 8 * 7
    for observation in Observation.objects.select_related("indicator"):
        observation.full_clean()


def test_example_values_show_every_status(example_themes, organisations):
    indicator_demo_load(today=TODAY)

    national = indicator_progress_list(indicators=Indicator.objects.all())
    for_oulu = indicator_progress_list(
        indicators=Indicator.objects.filter(reported_per_city=True),
        city=organisations["oulu"],
    )
    statuses = {item.status for item in [*national, *for_oulu]}
    assert statuses == {
        ProgressStatus.ON_TRACK,
        ProgressStatus.AT_RISK,
        ProgressStatus.OFF_TRACK,
    }
    summaries = theme_progress_list(themes=Theme.objects.all())
    assert all(summary.status != ProgressStatus.NO_DATA for summary in summaries)


def test_only_periods_that_have_ended_are_loaded(example_themes):
    indicator_demo_load(today=datetime.date(2024, 10, 15))

    assert set(Observation.objects.values_list("period", flat=True)) == {
        datetime.date(2024, 1, 1),
        datetime.date(2024, 4, 1),
        datetime.date(2024, 7, 1),
    }


def test_the_values_are_deterministic(example_themes):
    indicator_demo_load(today=TODAY)
    first = set(
        Observation.objects.values_list("indicator__name", "period", "city", "value")
    )
    Observation.objects.all().delete()
    indicator_demo_load(today=TODAY)
    second = set(
        Observation.objects.values_list("indicator__name", "period", "city", "value")
    )
    assert first == second


def test_a_second_load_writes_nothing(example_themes):
    indicator_demo_load(today=TODAY)
    before = counts()

    result = indicator_demo_load(today=TODAY)

    assert result == {
        "written": 0,
        "unchanged": before["indicators"] + before["observations"],
    }
    assert counts() == before


def test_a_value_someone_recorded_is_left_alone(example_themes):
    indicator_demo_load(today=TODAY)
    observation = Observation.objects.filter(city__isnull=True).first()
    observation.value = Decimal("1")
    observation.is_example = False
    observation.entered_by = UserFactory()
    observation.save()

    indicator_demo_load(today=TODAY)

    observation.refresh_from_db()
    assert observation.value == Decimal("1")
    assert not observation.is_example


def test_edited_example_values_are_restored(example_themes):
    indicator_demo_load(today=TODAY)
    observation = Observation.objects.filter(city__isnull=True).first()
    original = observation.value
    observation.value = original + 1
    observation.save()

    result = indicator_demo_load(today=TODAY)

    assert result["written"] == 1
    observation.refresh_from_db()
    assert observation.value == original


def test_the_themes_must_be_loaded_first(organisations):
    with pytest.raises(DemoDataError, match="Työllisyys"):
        indicator_demo_load(today=TODAY)
    assert not Indicator.objects.exists()


def test_the_system_writes_the_examples_through_the_services(example_themes):
    with (
        mock.patch(
            "monitoring.demo.indicator_save", wraps=services.indicator_save
        ) as indicator_save,
        mock.patch(
            "monitoring.demo.observation_record", wraps=services.observation_record
        ) as observation_record,
    ):
        indicator_demo_load(today=TODAY)

    assert indicator_save.call_count == Indicator.objects.count()
    assert observation_record.call_count == Observation.objects.count()
    calls = [*indicator_save.mock_calls, *observation_record.mock_calls]
    assert {call.kwargs["by"] for call in calls} == {None}
    for model in (Indicator, Observation):
        assert model.history.exists()
        assert not model.history.filter(history_user__isnull=False).exists()
    assert not Observation.objects.filter(entered_by__isnull=False).exists()
