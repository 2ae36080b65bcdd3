import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes.models import Measure, Milestone, Theme

pytestmark = pytest.mark.django_db


def error_codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_measure_cannot_end_before_it_starts():
    measure = MeasureFactory.build(
        theme=ThemeFactory(),
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2024, 5, 31),
    )
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "end_before_start" in error_codes(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2024, 6, 1), datetime.date(2024, 6, 1)),
        (None, datetime.date(2024, 6, 1)),
        (datetime.date(2024, 6, 1), None),
        (None, None),
    ],
)
def test_measure_may_end_on_its_start_day_or_leave_dates_open(start, end):
    measure = MeasureFactory(start_date=start, end_date=end)
    measure.full_clean()
    assert Measure.objects.filter(pk=measure.pk).exists()


@pytest.mark.parametrize("progress", [101, 1000])
def test_measure_progress_above_100_is_refused(progress):
    measure = MeasureFactory.build(theme=ThemeFactory(), progress=progress)
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "progress" in error.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


def test_measure_progress_below_zero_is_refused():
    measure = MeasureFactory.build(theme=ThemeFactory(), progress=-1)
    with pytest.raises(ValidationError):
        measure.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()


@pytest.mark.parametrize("progress", [0, 100])
def test_measure_progress_limits_are_allowed(progress):
    MeasureFactory(progress=progress).full_clean()


def test_milestone_belongs_to_a_theme_or_a_measure_not_both():
    measure = MeasureFactory()
    both = MilestoneFactory.build(theme=measure.theme, measure=measure)
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "theme_xor_measure" in error_codes(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_milestone_without_theme_or_measure_is_refused():
    orphan = MilestoneFactory.build(theme=None, measure=None)
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert "theme_xor_measure" in error_codes(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()


def test_milestone_of_a_theme_or_of_a_measure_is_valid():
    measure = MeasureFactory()
    for milestone in (
        MilestoneFactory(theme=measure.theme),
        MilestoneFactory(theme=None, measure=measure),
    ):
        milestone.full_clean()
    assert Milestone.objects.count() == 2
    assert Milestone.objects.first().done_on is None


def test_themes_and_measures_are_listed_in_their_order():
    second = ThemeFactory(title="B", order=2)
    first = ThemeFactory(title="A", order=1)
    MeasureFactory(theme=second, title="second-1", order=1)
    MeasureFactory(theme=first, title="first-2", order=2)
    MeasureFactory(theme=first, title="first-1", order=1)
    assert list(Theme.objects.all()) == [first, second]
    assert [m.title for m in Measure.objects.all()] == [
        "first-1",
        "first-2",
        "second-1",
    ]


def test_every_change_is_recorded_with_who(organisations):
    editor = UserFactory()
    measure = MeasureFactory()
    measure.progress = 40
    measure._history_user = editor
    measure.save(update_fields=["progress"])
    latest = measure.history.first()
    assert (latest.progress, latest.history_type, latest.history_user) == (
        40,
        "~",
        editor,
    )

    measure.participating_organisations.add(organisations["helsinki"])
    assert measure.history.count() == 3
    assert list(
        measure.history.first().participating_organisations.values_list(
            "organisation__slug", flat=True
        )
    ) == ["helsinki"]
