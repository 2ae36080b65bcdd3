import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from monitoring.models import Indicator, Observation
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2024, 1, 1)


def error_codes(error: ValidationError) -> dict[str, set[str]]:
    return {
        field: {e.code for e in errors} for field, errors in error.error_dict.items()
    }


def test_indicator_belongs_to_a_theme_or_a_measure_not_both():
    measure = MeasureFactory()
    both = IndicatorFactory.build(theme=measure.theme, measure=measure)
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "theme_xor_measure" in error_codes(error.value)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_indicator_without_theme_or_measure_is_refused():
    theme = ThemeFactory()
    orphan = IndicatorFactory.build(
        theme=None, measure=None, responsible_organisation=theme.lead_organisation
    )
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert "theme_xor_measure" in error_codes(error.value)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()


def test_indicator_of_a_measure_is_valid():
    indicator = IndicatorFactory(theme=None, measure=MeasureFactory())
    indicator.full_clean()


@pytest.mark.parametrize("target_date", [datetime.date(2023, 12, 31), Q1.replace(2020)])
def test_indicator_target_date_must_come_after_the_baseline_date(target_date):
    indicator = IndicatorFactory.build(theme=ThemeFactory(), target_date=target_date)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "target_not_after_baseline" in error_codes(error.value)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


def test_one_national_value_per_indicator_and_period():
    first = ObservationFactory(period=Q1)
    second = Observation(indicator=first.indicator, period=Q1, value=Decimal(1))
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "duplicate_national_value" in error_codes(error.value)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_one_value_per_city_indicator_and_period(organisations):
    indicator = IndicatorFactory(reported_per_city=True)
    ObservationFactory(indicator=indicator, period=Q1, city=organisations["oulu"])
    second = Observation(
        indicator=indicator, period=Q1, city=organisations["oulu"], value=Decimal(1)
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "duplicate_city_value" in error_codes(error.value)["__all__"]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_national_and_city_values_of_a_period_live_side_by_side(organisations):
    indicator = IndicatorFactory(reported_per_city=True)
    for city in (None, organisations["oulu"], organisations["turku"]):
        observation = Observation(
            indicator=indicator, period=Q1, city=city, value=Decimal(5)
        )
        observation.full_clean()
        observation.save()
    ObservationFactory(indicator=indicator, period=Q1.replace(month=4))
    assert Observation.objects.count() == 4


@pytest.mark.parametrize(
    ("frequency", "period", "fits"),
    [
        (Indicator.Frequency.YEARLY, datetime.date(2024, 1, 1), True),
        (Indicator.Frequency.YEARLY, datetime.date(2024, 4, 1), False),
        (Indicator.Frequency.YEARLY, datetime.date(2024, 1, 2), False),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 1, 1), True),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 4, 1), True),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 7, 1), True),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 10, 1), True),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 2, 1), False),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 12, 1), False),
        (Indicator.Frequency.QUARTERLY, datetime.date(2024, 4, 15), False),
        (Indicator.Frequency.MONTHLY, datetime.date(2024, 2, 1), True),
        (Indicator.Frequency.MONTHLY, datetime.date(2024, 2, 29), False),
    ],
)
def test_clean_checks_the_period_fits_the_frequency(frequency, period, fits):
    indicator = IndicatorFactory(frequency=frequency)
    observation = Observation(indicator=indicator, period=period, value=Decimal(1))
    if fits:
        observation.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    assert error_codes(error.value) == {"period": {"period_frequency_mismatch"}}


def test_clean_refuses_a_city_value_of_a_national_indicator(organisations):
    indicator = IndicatorFactory(reported_per_city=False)
    observation = Observation(
        indicator=indicator, period=Q1, city=organisations["oulu"], value=Decimal(1)
    )
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    assert error_codes(error.value) == {"city": {"not_reported_per_city"}}


def test_clean_refuses_a_ministry_as_the_city(organisations):
    indicator = IndicatorFactory(reported_per_city=True)
    observation = Observation(
        indicator=indicator, period=Q1, city=organisations["tem"], value=Decimal(1)
    )
    with pytest.raises(ValidationError) as error:
        observation.full_clean()
    # The form's choices already leave ministries out; clean() says why, too.
    assert "not_a_city" in error_codes(error.value)["city"]


def test_observation_history_and_label():
    observation = ObservationFactory(period=datetime.date(2024, 7, 1))
    observation.value = Decimal("120")
    observation.save()
    assert observation.history.count() == 2
    assert observation.period_label == "2024-Q3"
    assert str(observation).endswith("2024-Q3: 120")
