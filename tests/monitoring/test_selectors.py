import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Indicator
from monitoring.selectors import (
    ProgressStatus,
    indicator_progress_list,
    indicator_subject_progress,
    progress_status,
    theme_progress_list,
)
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ON_TRACK = ProgressStatus.ON_TRACK
AT_RISK = ProgressStatus.AT_RISK
OFF_TRACK = ProgressStatus.OFF_TRACK
NO_DATA = ProgressStatus.NO_DATA
LOWER = Indicator.Direction.LOWER_IS_BETTER

# The factory's indicator runs from 100 (31.12.2023) to 200 (31.12.2025). A value for
# the fourth quarter of 2024 was measured at 31.12.2024: half of the time had passed.
Q4_2024 = datetime.date(2024, 10, 1)
HALF_TIME = Decimal(366) / Decimal(731)


def record(indicator, value, period=Q4_2024, city=None):
    return ObservationFactory(
        indicator=indicator, period=period, value=Decimal(value), city=city
    )


def test_higher_is_better():
    indicator = IndicatorFactory()
    record(indicator, "150")

    progress = indicator_progress_list(indicators=[indicator])[0]

    assert progress.value == Decimal("150")
    assert progress.period == Q4_2024
    assert progress.change == Decimal("50")
    assert progress.share == Decimal("0.5")
    assert progress.expected_share == HALF_TIME
    assert not progress.reached
    assert progress.status == ON_TRACK


@pytest.mark.parametrize(
    ("value", "share", "status"),
    [
        ("8", Decimal("0.4"), ON_TRACK),  # 0.4 >= 0.7 × 0.5
        ("8.9", Decimal("0.22"), AT_RISK),  # 0.22 >= 0.4 × 0.5
        ("10", Decimal("0"), OFF_TRACK),
        ("12", Decimal("-0.4"), OFF_TRACK),  # moved away from the target
        ("5", Decimal("1"), ON_TRACK),
        ("3", Decimal("1.4"), ON_TRACK),  # overshot
    ],
)
def test_lower_is_better_counts_a_fall_as_progress(value, share, status):
    indicator = IndicatorFactory(
        direction=LOWER, baseline_value=Decimal("10"), target_value=Decimal("5")
    )
    record(indicator, value)

    progress = indicator_progress_list(indicators=[indicator])[0]

    assert progress.share == share
    assert progress.change == Decimal(value) - 10
    assert progress.status == status


def test_an_overshot_target_is_reached_and_capped_at_one():
    indicator = IndicatorFactory()
    record(indicator, "250", period=datetime.date(2024, 1, 1))

    progress = indicator_progress_list(indicators=[indicator])[0]

    assert progress.share == Decimal("1.5")
    assert progress.share_capped == 1
    assert progress.reached
    assert progress.status == ON_TRACK


@pytest.mark.parametrize(
    ("direction", "value", "share", "status"),
    [
        (Indicator.Direction.HIGHER_IS_BETTER, "100", 1, ON_TRACK),
        (Indicator.Direction.HIGHER_IS_BETTER, "101", 1, ON_TRACK),
        (Indicator.Direction.HIGHER_IS_BETTER, "99.9", 0, OFF_TRACK),
        (LOWER, "100", 1, ON_TRACK),
        (LOWER, "99", 1, ON_TRACK),
        (LOWER, "100.1", 0, OFF_TRACK),
    ],
)
def test_a_target_equal_to_the_baseline_is_a_level_to_keep(
    direction, value, share, status
):
    indicator = IndicatorFactory(direction=direction, target_value=Decimal("100"))
    record(indicator, value)

    progress = indicator_progress_list(indicators=[indicator])[0]

    assert progress.share == share
    assert progress.status == status


def test_a_target_short_of_the_baseline_is_a_floor_to_keep():
    indicator = IndicatorFactory(target_value=Decimal("90"))
    record(indicator, "95")
    assert indicator_progress_list(indicators=[indicator])[0].share == 1
    record(indicator, "85", period=datetime.date(2025, 1, 1))
    assert indicator_progress_list(indicators=[indicator])[0].share == 0


def test_no_observations_means_no_data():
    progress = indicator_progress_list(indicators=[IndicatorFactory()])[0]

    assert progress.latest is None
    assert progress.value is None
    assert progress.change is None
    assert progress.share is None
    assert progress.share_capped is None
    assert progress.expected_share is None
    assert not progress.reached
    assert progress.status == NO_DATA


def test_the_latest_period_counts_and_on_looks_back():
    indicator = IndicatorFactory()
    record(indicator, "180", period=datetime.date(2025, 1, 1))
    record(indicator, "120", period=datetime.date(2024, 1, 1))
    record(indicator, "150", period=datetime.date(2024, 7, 1))

    assert indicator_progress_list(indicators=[indicator])[0].value == Decimal("180")
    as_of_autumn = indicator_progress_list(
        indicators=[indicator], on=datetime.date(2024, 10, 15)
    )[0]
    assert as_of_autumn.value == Decimal("150")
    before_any = indicator_progress_list(
        indicators=[indicator], on=datetime.date(2023, 12, 31)
    )[0]
    assert before_any.status == NO_DATA


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # A value describes its whole period: time is counted to the period's end.
        (datetime.date(2024, 1, 1), Decimal(91) / Decimal(731)),
        (datetime.date(2025, 10, 1), Decimal(1)),
        (datetime.date(2027, 1, 1), Decimal(1)),  # after the target date
    ],
)
def test_expected_share_is_the_time_passed_by_the_end_of_the_period(period, expected):
    indicator = IndicatorFactory()
    record(indicator, "100", period=period)
    assert indicator_progress_list(indicators=[indicator])[0].expected_share == expected


def test_yearly_values_count_to_the_end_of_the_year():
    indicator = IndicatorFactory(frequency=Indicator.Frequency.YEARLY)
    record(indicator, "140", period=datetime.date(2024, 1, 1))
    progress = indicator_progress_list(indicators=[indicator])[0]
    assert progress.expected_share == HALF_TIME
    assert progress.status == ON_TRACK  # 0.4 >= 0.7 × 0.5


def test_national_by_default_or_one_citys_values(organisations):
    indicator = IndicatorFactory(reported_per_city=True)
    record(indicator, "150")
    record(indicator, "190", city=organisations["oulu"])
    record(indicator, "105", city=organisations["turku"])
    record(
        indicator, "199", period=datetime.date(2025, 1, 1), city=organisations["oulu"]
    )

    national, oulu, turku, tampere = (
        indicator_progress_list(indicators=[indicator], city=city)[0]
        for city in (
            None,
            organisations["oulu"],
            organisations["turku"],
            organisations["tampere"],
        )
    )

    assert (national.value, national.city, national.status) == (150, None, ON_TRACK)
    assert (oulu.value, oulu.city, oulu.status) == (
        199,
        organisations["oulu"],
        ON_TRACK,
    )
    assert (turku.value, turku.status) == (105, OFF_TRACK)
    assert (tampere.value, tampere.status) == (None, NO_DATA)


@pytest.mark.parametrize(
    ("value", "default_status", "strict_status"),
    [
        ("140", ON_TRACK, AT_RISK),  # 0.40 of the way, half the time
        ("125", AT_RISK, OFF_TRACK),  # 0.25
        ("110", OFF_TRACK, OFF_TRACK),  # 0.10
        ("200", ON_TRACK, ON_TRACK),  # reached is on track whatever the thresholds
    ],
)
def test_thresholds_come_from_the_settings(
    settings, value, default_status, strict_status
):
    indicator = IndicatorFactory()
    record(indicator, value)
    assert indicator_progress_list(indicators=[indicator])[0].status == default_status

    settings.MONITORING_PROGRESS_THRESHOLDS = {"on_track": 1.0, "at_risk": 0.6}
    assert indicator_progress_list(indicators=[indicator])[0].status == strict_status


def test_thresholds_may_be_given_by_the_caller():
    indicator = IndicatorFactory()
    record(indicator, "125")
    lenient = {"on_track": Decimal("0.4"), "at_risk": Decimal("0.1")}
    progress = indicator_progress_list(indicators=[indicator], thresholds=lenient)[0]
    assert progress.status == ON_TRACK


def test_progress_status_without_a_value_is_no_data():
    assert progress_status(share=None, expected_share=None) == NO_DATA
    assert progress_status(share=Decimal(0), expected_share=Decimal(0)) == ON_TRACK
    assert progress_status(share=Decimal(-1), expected_share=Decimal(0)) == OFF_TRACK


def test_the_list_keeps_the_given_order():
    first, second, third = IndicatorFactory(), IndicatorFactory(), IndicatorFactory()
    record(second, "150")
    items = indicator_progress_list(indicators=[third, first, second])
    assert [item.indicator for item in items] == [third, first, second]
    assert [item.status for item in items] == [NO_DATA, NO_DATA, ON_TRACK]
    assert indicator_progress_list(indicators=[]) == []


def test_a_subject_without_indicators_costs_the_same_queries():
    """A theme page's query count must not depend on whether it has indicators."""
    with_indicators, without = ThemeFactory(), ThemeFactory()
    record(IndicatorFactory(theme=with_indicators), "150")
    IndicatorFactory(theme=with_indicators)
    counts = []
    for theme in (with_indicators, without):
        with CaptureQueriesContext(connection) as queries:
            indicator_subject_progress(subject=theme)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 3


def test_a_roll_up_takes_the_worst_status_and_the_mean_capped_share():
    theme = ThemeFactory()
    on_track = IndicatorFactory(theme=theme)
    at_risk = IndicatorFactory(theme=theme)
    overshot = IndicatorFactory(theme=theme)
    no_data = IndicatorFactory(theme=theme)
    record(on_track, "150")
    record(at_risk, "125")
    record(overshot, "300")
    IndicatorFactory(theme=ThemeFactory())  # another theme's

    summary = theme_progress_list(themes=[theme])[0]

    assert summary.subject == theme
    assert [item.indicator for item in summary.items] == [
        on_track,
        at_risk,
        overshot,
        no_data,
    ]
    assert summary.status == AT_RISK
    # Capped: 0.5, 0.25 and 1 (not 2); the indicator without data is left out.
    assert summary.mean_share == (Decimal("0.5") + Decimal("0.25") + 1) / 3
    assert summary.counts == {
        "on_track": 2,
        "at_risk": 1,
        "off_track": 0,
        "no_data": 1,
    }


def test_a_roll_up_without_data_is_no_data():
    theme = ThemeFactory()
    assert theme_progress_list(themes=[theme])[0].status == NO_DATA
    assert theme_progress_list(themes=[theme])[0].mean_share is None
    IndicatorFactory(theme=None, measure=MeasureFactory(theme=theme))
    assert theme_progress_list(themes=[theme])[0].status == NO_DATA


def test_a_theme_rolls_up_its_own_and_its_measures_indicators():
    theme = ThemeFactory()
    measure = MeasureFactory(theme=theme, order=1)
    own = IndicatorFactory(theme=theme)
    of_measure = IndicatorFactory(theme=None, measure=measure)
    elsewhere = IndicatorFactory(theme=None, measure=MeasureFactory())
    record(own, "150")
    record(of_measure, "110")
    record(elsewhere, "105")

    summary = theme_progress_list(themes=[theme])[0]

    assert [item.indicator for item in summary.items] == [own, of_measure]
    assert summary.status == OFF_TRACK
    assert summary.mean_share == Decimal("0.3")


def test_a_city_roll_up_counts_only_indicators_reported_per_city(organisations):
    theme = ThemeFactory()
    per_city = IndicatorFactory(theme=theme, reported_per_city=True)
    national = IndicatorFactory(theme=theme)
    record(per_city, "190", city=organisations["oulu"])
    record(per_city, "110")
    record(national, "150")

    oulu = theme_progress_list(themes=[theme], city=organisations["oulu"])[0]
    whole_country = theme_progress_list(themes=[theme])[0]

    assert [item.indicator for item in oulu.items] == [per_city]
    assert oulu.status == ON_TRACK
    assert whole_country.status == OFF_TRACK
    assert len(whole_country.items) == 2


def create_indicators(count: int, organisations) -> list:
    themes = [ThemeFactory() for _ in range(3)]
    measures = [MeasureFactory(theme=theme) for theme in themes]
    indicators = []
    for number in range(count):
        owner = (
            {"theme": themes[number % 3]}
            if number % 2
            else {"theme": None, "measure": measures[number % 3]}
        )
        indicator = IndicatorFactory(reported_per_city=True, **owner)
        for quarter in range(4):
            period = datetime.date(2024, 1 + 3 * quarter, 1)
            record(indicator, str(100 + 10 * quarter + number % 7), period=period)
            record(indicator, "120", period=period, city=organisations["oulu"])
        indicators.append(indicator)
    return indicators


@pytest.mark.parametrize("count", [10, 50])
def test_a_list_of_indicators_takes_a_fixed_number_of_queries(
    count, organisations, django_assert_max_num_queries
):
    create_indicators(count, organisations)

    with django_assert_max_num_queries(3):
        national = indicator_progress_list(indicators=Indicator.objects.all())
        statuses = [item.status for item in national]
        # The observation's indicator is already at hand.
        labels = [item.latest.period_label for item in national]
    with django_assert_max_num_queries(3):
        for_oulu = indicator_progress_list(
            indicators=Indicator.objects.all(), city=organisations["oulu"]
        )

    assert len(national) == len(for_oulu) == count
    assert NO_DATA not in statuses
    assert set(labels) == {"2024-Q4"}
    assert {item.value for item in for_oulu} == {Decimal("120")}


@pytest.mark.parametrize("count", [10, 50])
def test_roll_ups_of_many_themes_take_a_fixed_number_of_queries(
    count, organisations, django_assert_max_num_queries
):
    from themes.models import Theme

    create_indicators(count, organisations)
    for _ in range(count // 10):
        ThemeFactory()  # without indicators

    with django_assert_max_num_queries(4):
        themes = theme_progress_list(themes=Theme.objects.all())
    with django_assert_max_num_queries(4):
        theme_progress_list(themes=Theme.objects.all(), city=organisations["oulu"])

    assert sum(len(summary.items) for summary in themes) == count
    assert themes[-1].status == NO_DATA
