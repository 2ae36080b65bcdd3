"""Reporting rounds: opening and closing, what is in, missing and late, the city
scope of entering values and completing, and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.history import edit_token
from monitoring import selectors, services
from monitoring.models import CityReport, Indicator, Observation, ReportingRound
from monitoring.selectors import RoundCell
from tests.monitoring.rounds_factories import DUE, Q3_2023, rounds_world

pytestmark = pytest.mark.django_db

BEFORE_DUE = datetime.date(2023, 9, 15)
AFTER_DUE = datetime.date(2023, 9, 23)


@pytest.fixture
def rw(organisations):
    return rounds_world(organisations)


def record(rw, indicator, city, value="10", by=None):
    return services.observation_record(
        indicator=indicator,
        period=Q3_2023,
        city=city,
        value=Decimal(value),
        by=by,
    )


def cells_of(table, city):
    return next(row for row in table.rows if row.city == city)


# Opening and closing


def test_round_open_records_who_and_the_indicators(rw):
    round = rw.round
    assert round.status == ReportingRound.Status.OPEN
    assert round.opened_by == rw.users["staff"]
    assert round.period_label == "2023-Q3"
    assert list(round.indicators.all()) == rw.indicators
    assert round.history.exists()


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({}, "period", "duplicate_round"),
        ({"due_date": datetime.date(2023, 6, 30)}, "due_date", "due_before_period"),
        ({"period": datetime.date(2023, 8, 1)}, "period", "period_frequency_mismatch"),
        ({"indicators": []}, "indicators", "no_indicators"),
        ({"indicators": "yearly"}, "indicators", "indicator_unfit"),
        ({"indicators": "national_only"}, "indicators", "indicator_unfit"),
    ],
)
def test_round_open_refuses_what_cannot_be_reported(rw, changes, field, code):
    arguments = {
        "period": Q3_2023,
        "frequency": Indicator.Frequency.QUARTERLY,
        "due_date": DUE,
        "indicators": rw.indicators,
        **changes,
    }
    if isinstance(arguments["indicators"], str):
        arguments["indicators"] = [getattr(rw, arguments["indicators"])]
    with pytest.raises(ValidationError) as refused:
        services.round_open(**arguments, by=rw.users["staff"])
    assert refused.value.error_dict[field][0].code == code
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize("role", ["tampere", "observer", "norole"])
def test_only_the_secretariat_opens_and_closes_rounds(rw, role):
    with pytest.raises(PermissionDenied):
        services.round_open(
            period=datetime.date(2023, 10, 1),
            frequency=Indicator.Frequency.QUARTERLY,
            due_date=DUE,
            indicators=rw.indicators,
            by=rw.users[role],
        )
    with pytest.raises(PermissionDenied):
        services.round_close(round=rw.round, by=rw.users[role])
    assert ReportingRound.objects.get().is_open


def test_a_closed_round_takes_no_values_and_no_completion(rw):
    services.round_close(round=rw.round, by=rw.users["chair"])
    rw.round.refresh_from_db()
    assert rw.round.status == ReportingRound.Status.CLOSED
    assert rw.round.closed_by == rw.users["chair"]
    with pytest.raises(ValidationError) as refused:
        services.round_close(round=rw.round, by=rw.users["chair"])
    assert refused.value.code == "round_closed"
    with pytest.raises(PermissionDenied):
        services.city_report_complete(
            round=rw.round, city=rw.tampere, by=rw.users["tampere"]
        )
    with pytest.raises(PermissionDenied):
        services.city_round_values_save(
            round=rw.round,
            city=rw.tampere,
            entries=[services.RoundValueEntry(rw.indicators[0], Decimal(1))],
            by=rw.users["tampere"],
        )
    assert not Observation.objects.exists()


# In, missing, late, complete


def test_missing_until_entered_and_late_after_the_due_date(rw):
    record(rw, rw.indicators[0], rw.tampere)
    # A value of another period or a national value does not count.
    services.observation_record(
        indicator=rw.indicators[1],
        period=datetime.date(2023, 4, 1),
        city=rw.tampere,
        value=Decimal(1),
        by=None,
    )
    services.observation_record(
        indicator=rw.indicators[1], period=Q3_2023, value=Decimal(1), by=None
    )

    before = selectors.round_table(round=rw.round, today=BEFORE_DUE)
    assert not before.is_late
    assert cells_of(before, rw.tampere).cells == (
        RoundCell.IN,
        RoundCell.MISSING,
        RoundCell.MISSING,
    )
    assert cells_of(before, rw.turku).cells == (RoundCell.MISSING,) * 3
    assert cells_of(before, rw.tampere).missing_count == 2
    on_due = selectors.round_table(round=rw.round, today=DUE)
    assert cells_of(on_due, rw.tampere).cells[1] == RoundCell.MISSING

    after = selectors.round_table(round=rw.round, today=AFTER_DUE)
    assert after.is_late
    assert cells_of(after, rw.tampere).cells == (
        RoundCell.IN,
        RoundCell.LATE,
        RoundCell.LATE,
    )
    assert [
        i.name for i in selectors.city_round_missing(round=rw.round, city=rw.tampere)
    ] == [rw.indicators[1].name, rw.indicators[2].name]


def test_completing_with_values_missing_needs_a_confirmation(rw):
    record(rw, rw.indicators[0], rw.tampere)
    with pytest.raises(ValidationError) as refused:
        services.city_report_complete(
            round=rw.round, city=rw.tampere, by=rw.users["tampere"]
        )
    assert refused.value.code == "values_missing"
    assert not CityReport.objects.exists()

    report = services.city_report_complete(
        round=rw.round, city=rw.tampere, by=rw.users["tampere"], confirm_missing=True
    )
    assert report.is_complete
    assert report.completed_by == rw.users["tampere"]
    assert report.missing_at_completion == 2
    # Completing again changes nothing.
    again = services.city_report_complete(
        round=rw.round, city=rw.tampere, by=rw.users["tampere"]
    )
    assert again.completed_at == report.completed_at
    assert report.history.count() == 1
    table = selectors.round_table(round=rw.round, today=BEFORE_DUE)
    assert cells_of(table, rw.tampere).is_complete
    assert not cells_of(table, rw.turku).is_complete
    assert table.complete_count == 1


def test_completing_with_every_value_in_needs_no_confirmation(rw):
    for indicator in rw.indicators:
        record(rw, indicator, rw.tampere)
    report = services.city_report_complete(
        round=rw.round, city=rw.tampere, by=rw.users["staff"]
    )
    assert report.missing_at_completion == 0


def test_what_a_city_owes_leaves_out_completed_cities(rw):
    record(rw, rw.indicators[0], rw.tampere)
    debts = selectors.rounds_owed(cities=[rw.tampere, rw.turku], today=AFTER_DUE)
    assert [(d.city, d.missing_count, d.is_late) for d in debts] == [
        (rw.tampere, 2, True),
        (rw.turku, 3, True),
    ]
    # Completed, with a confirmation: owes nothing more.
    services.city_report_complete(
        round=rw.round, city=rw.tampere, by=None, confirm_missing=True
    )
    debts = selectors.rounds_owed(cities=[rw.tampere, rw.turku], today=BEFORE_DUE)
    assert [d.city for d in debts] == [rw.turku]
    services.round_close(round=rw.round, by=None)
    assert selectors.rounds_owed(cities=[rw.turku], today=BEFORE_DUE) == []


# The city scope


def test_a_city_enters_and_completes_only_its_own(rw):
    tampere_user = rw.users["tampere"]
    with pytest.raises(PermissionDenied):
        services.city_round_values_save(
            round=rw.round,
            city=rw.turku,
            entries=[services.RoundValueEntry(rw.indicators[0], Decimal(1))],
            by=tampere_user,
        )
    with pytest.raises(PermissionDenied):
        services.city_report_complete(
            round=rw.round, city=rw.turku, by=tampere_user, confirm_missing=True
        )
    for role in ("observer", "norole"):
        with pytest.raises(PermissionDenied):
            services.city_report_complete(
                round=rw.round, city=rw.tampere, by=rw.users[role]
            )
    assert not Observation.objects.exists()
    assert not CityReport.objects.exists()
    # Their own city, and the secretariat any city.
    services.city_round_values_save(
        round=rw.round,
        city=rw.tampere,
        entries=[services.RoundValueEntry(rw.indicators[0], Decimal(1))],
        by=tampere_user,
    )
    services.city_round_values_save(
        round=rw.round,
        city=rw.turku,
        entries=[services.RoundValueEntry(rw.indicators[0], Decimal(2))],
        by=rw.users["staff"],
    )
    assert Observation.objects.count() == 2


def test_values_save_refuses_indicators_outside_the_round_and_bad_values(rw):
    with pytest.raises(services.ObservationBatchError) as refused:
        services.city_round_values_save(
            round=rw.round,
            city=rw.tampere,
            entries=[
                services.RoundValueEntry(rw.indicators[0], Decimal(1)),
                services.RoundValueEntry(rw.yearly, Decimal(1)),
                services.RoundValueEntry(rw.indicators[1], Decimal("1e20")),
            ],
            by=rw.users["tampere"],
        )
    assert set(refused.value.errors) == {1, 2}
    assert not Observation.objects.exists()


def test_values_save_refuses_a_value_changed_since_the_page_was_opened(rw):
    first = record(rw, rw.indicators[0], rw.tampere, value="5")
    token = edit_token(first)
    record(rw, rw.indicators[0], rw.tampere, value="7", by=rw.users["staff"])
    with pytest.raises(services.RoundValuesConflict) as refused:
        services.city_round_values_save(
            round=rw.round,
            city=rw.tampere,
            entries=[
                services.RoundValueEntry(rw.indicators[0], Decimal(8), token=token),
                services.RoundValueEntry(rw.indicators[1], Decimal(9), token="0"),
            ],
            by=rw.users["tampere"],
        )
    assert set(refused.value.conflicts) == {rw.indicators[0].pk}
    assert Observation.objects.get(indicator=rw.indicators[0]).value == 7
    assert not Observation.objects.filter(indicator=rw.indicators[1]).exists()
    # A value recorded by someone else meanwhile where the page showed none.
    record(rw, rw.indicators[2], rw.tampere, value="3")
    with pytest.raises(services.RoundValuesConflict):
        services.city_round_values_save(
            round=rw.round,
            city=rw.tampere,
            entries=[services.RoundValueEntry(rw.indicators[2], Decimal(4))],
            by=rw.users["tampere"],
        )
