import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from monitoring.models import Observation
from monitoring.services import observation_record
from tests.factories import secretariat_user_create
from tests.monitoring.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2024, 1, 1)


def error_codes(error: ValidationError) -> dict[str, set[str]]:
    return {
        field: {e.code for e in errors} for field, errors in error.error_dict.items()
    }


def test_records_a_national_value_with_who_entered_it():
    indicator = IndicatorFactory()
    user = secretariat_user_create()

    observation = observation_record(
        indicator=indicator, period=Q1, value=Decimal("123.4"), note="Arvio", by=user
    )

    observation.refresh_from_db()
    assert (observation.value, observation.city, observation.note) == (
        Decimal("123.4"),
        None,
        "Arvio",
    )
    assert observation.entered_by == user
    assert not observation.is_example
    assert observation.history.get().history_user == user


def test_recording_again_replaces_the_value_and_keeps_the_old_in_history():
    indicator = IndicatorFactory()
    first_user, second_user = secretariat_user_create(), secretariat_user_create()
    first = observation_record(
        indicator=indicator, period=Q1, value=Decimal("100"), by=first_user
    )

    second = observation_record(
        indicator=indicator, period=Q1, value=Decimal("105"), by=second_user
    )

    assert second.pk == first.pk
    assert Observation.objects.count() == 1
    second.refresh_from_db()
    assert (second.value, second.entered_by) == (Decimal("105"), second_user)
    values = [record.value for record in second.history.order_by("history_id")]
    assert values == [Decimal("100"), Decimal("105")]
    assert second.history.first().history_user == second_user


def test_recording_the_same_value_again_writes_nothing():
    indicator = IndicatorFactory()
    user = secretariat_user_create()
    observation_record(indicator=indicator, period=Q1, value=Decimal("100"), by=user)

    observation = observation_record(
        indicator=indicator,
        period=Q1,
        value=Decimal("100.000"),
        by=secretariat_user_create(),
    )

    assert observation.history.count() == 1
    assert observation.entered_by == user


def test_city_and_national_values_are_kept_apart(organisations):
    indicator = IndicatorFactory(reported_per_city=True)
    user = secretariat_user_create()
    for city, value in [
        (None, "70"),
        (organisations["oulu"], "68"),
        (organisations["turku"], "72"),
    ]:
        observation_record(
            indicator=indicator, period=Q1, value=Decimal(value), city=city, by=user
        )
    observation_record(
        indicator=indicator,
        period=Q1,
        value=Decimal("69"),
        city=organisations["oulu"],
        by=user,
    )

    values = {
        o.city.slug if o.city else None: o.value for o in Observation.objects.all()
    }
    assert values == {
        None: Decimal("70"),
        "oulu": Decimal("69"),
        "turku": Decimal("72"),
    }


def test_a_person_recording_over_example_data_makes_it_real():
    example = ObservationFactory(period=Q1, is_example=True)
    observation_record(
        indicator=example.indicator,
        period=Q1,
        value=Decimal("1"),
        by=secretariat_user_create(),
    )
    example.refresh_from_db()
    assert not example.is_example


def test_the_system_can_record_an_example_value():
    indicator = IndicatorFactory()

    new = observation_record(
        indicator=indicator, period=Q1, value=Decimal("1"), by=None, example=True
    )
    replaced = observation_record(
        indicator=indicator, period=Q1, value=Decimal("2"), by=None, example=True
    )

    assert replaced.pk == new.pk
    replaced.refresh_from_db()
    assert replaced.is_example
    assert replaced.value == Decimal("2")
    assert replaced.entered_by is None
    assert [record.history_user for record in replaced.history.all()] == [None, None]


@pytest.mark.parametrize(
    ("frequency", "period"),
    [
        ("quarterly", datetime.date(2024, 2, 1)),
        ("quarterly", datetime.date(2024, 4, 2)),
        ("yearly", datetime.date(2024, 7, 1)),
        ("monthly", datetime.date(2024, 7, 31)),
    ],
)
def test_a_period_that_does_not_fit_the_frequency_is_refused(frequency, period):
    indicator = IndicatorFactory(frequency=frequency)
    with pytest.raises(ValidationError) as error:
        observation_record(
            indicator=indicator,
            period=period,
            value=Decimal(1),
            by=secretariat_user_create(),
        )
    assert error_codes(error.value) == {"period": {"period_frequency_mismatch"}}
    assert not Observation.objects.exists()


def test_city_rules(organisations):
    national_only = IndicatorFactory(reported_per_city=False)
    per_city = IndicatorFactory(reported_per_city=True)
    user = secretariat_user_create()

    with pytest.raises(ValidationError) as error:
        observation_record(
            indicator=national_only,
            period=Q1,
            value=Decimal(1),
            city=organisations["oulu"],
            by=user,
        )
    assert error_codes(error.value) == {"city": {"not_reported_per_city"}}

    with pytest.raises(ValidationError) as error:
        observation_record(
            indicator=per_city,
            period=Q1,
            value=Decimal(1),
            city=organisations["tem"],
            by=user,
        )
    assert error_codes(error.value) == {"city": {"not_a_city"}}
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (Decimal("1.23456"), "max_decimal_places"),
        (Decimal("1234567890123"), "max_whole_digits"),
        (Decimal("NaN"), "invalid"),
        (Decimal("Infinity"), "invalid"),
    ],
)
def test_a_value_that_does_not_fit_is_refused(value, code):
    with pytest.raises(ValidationError) as error:
        observation_record(
            indicator=IndicatorFactory(),
            period=Q1,
            value=value,
            by=secretariat_user_create(),
        )
    assert code in error_codes(error.value)["value"]


def test_all_errors_are_reported_at_once(organisations):
    with pytest.raises(ValidationError) as error:
        observation_record(
            indicator=IndicatorFactory(),
            period=datetime.date(2024, 2, 1),
            value=Decimal("0.00001"),
            city=organisations["oulu"],
            by=None,
        )
    assert set(error_codes(error.value)) == {"period", "city", "value"}


def test_a_value_recorded_meanwhile_by_someone_else_is_replaced():
    """The row appears between our look-up and our insert: we update it instead."""
    theirs = ObservationFactory(period=Q1, value=Decimal("1"))
    user = secretariat_user_create()
    real_first = QuerySet.first
    calls = []

    def first_sees_nothing_once(queryset):
        if queryset.model is Observation and not calls:
            calls.append(queryset)
            return None
        return real_first(queryset)

    with mock.patch.object(QuerySet, "first", first_sees_nothing_once):
        mine = observation_record(
            indicator=theirs.indicator, period=Q1, value=Decimal("2"), by=user
        )

    assert calls
    assert mine.pk == theirs.pk
    assert Observation.objects.get().value == Decimal("2")
    assert Observation.objects.get().entered_by == user
