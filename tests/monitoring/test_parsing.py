import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from monitoring.parsing import (
    _BOTH_MARKS,
    _NUMBER,
    _period_match,
    parse_number,
    parse_period,
)
from monitoring.periods import Frequency, period_end, period_is_start, period_label

YEARLY, QUARTERLY, MONTHLY = Frequency.YEARLY, Frequency.QUARTERLY, Frequency.MONTHLY


def refused_code(parse, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        parse(*args, **kwargs)
    assert error.value.message
    return error.value.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", datetime.date(2024, 1, 1)),
        (" 2024 ", datetime.date(2024, 1, 1)),
        ("2024-Q1", datetime.date(2024, 1, 1)),
        ("2024-Q2", datetime.date(2024, 4, 1)),
        ("2024-q3", datetime.date(2024, 7, 1)),
        ("2024 - Q4", datetime.date(2024, 10, 1)),
        ("2024 Q4", datetime.date(2024, 10, 1)),
        ("2024Q4", datetime.date(2024, 10, 1)),
        ("2024\u2013Q2", datetime.date(2024, 4, 1)),
        ("Q1/2024", datetime.date(2024, 1, 1)),
        ("q2 / 2024", datetime.date(2024, 4, 1)),
        ("Q3 2024", datetime.date(2024, 7, 1)),
        ("2024-03", datetime.date(2024, 3, 1)),
        ("2024-3", datetime.date(2024, 3, 1)),
        ("2024 - 12", datetime.date(2024, 12, 1)),
        ("2024M03", datetime.date(2024, 3, 1)),
        ("3/2024", datetime.date(2024, 3, 1)),
        ("03/2024", datetime.date(2024, 3, 1)),
        ("12 / 2024", datetime.date(2024, 12, 1)),
    ],
)
def test_parse_period_returns_the_first_day(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid_period"),
        ("   ", "invalid_period"),
        ("kevät 2024", "invalid_period"),
        ("24", "invalid_period"),
        ("20245", "invalid_period"),
        ("2024-Q", "invalid_period"),
        ("2024-Q12", "invalid_period"),
        ("2024/03", "invalid_period"),
        ("1.3.2024", "invalid_period"),
        ("2024-03-01", "invalid_period"),
        ("2024 03", "invalid_period"),
        ("Q1-2024-03", "invalid_period"),
        ("２０２４", "invalid_period"),
        ("2024-Q0", "invalid_quarter"),
        ("2024-Q5", "invalid_quarter"),
        ("Q5/2024", "invalid_quarter"),
        ("2024-00", "invalid_month"),
        ("2024-13", "invalid_month"),
        ("13/2024", "invalid_month"),
        ("0/2024", "invalid_month"),
        ("0224", "year_out_of_range"),
        ("2204-Q1", "year_out_of_range"),
    ],
)
def test_parse_period_refuses_bad_input(text, code):
    assert refused_code(parse_period, text) == code


def test_parse_period_tolerates_none():
    assert refused_code(parse_period, None) == "invalid_period"


@pytest.mark.parametrize(
    ("text", "frequency", "ok"),
    [
        ("2024", YEARLY, True),
        ("2024", QUARTERLY, False),
        ("2024", MONTHLY, False),
        ("2024-Q2", QUARTERLY, True),
        ("2024-Q2", YEARLY, False),
        ("2024-Q2", MONTHLY, False),
        ("2024-04", MONTHLY, True),
        # April is the first month of the second quarter, but a month is not a quarter.
        ("2024-04", QUARTERLY, False),
        ("4/2024", YEARLY, False),
    ],
)
def test_parse_period_refuses_a_period_of_another_frequency(text, frequency, ok):
    if ok:
        assert parse_period(text, frequency=frequency).day == 1
    else:
        assert refused_code(parse_period, text, frequency=frequency) == (
            "period_frequency_mismatch"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "0"),
        ("1234", "1234"),
        ("1234,5", "1234.5"),
        ("1234.5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("12 345 678,25", "12345678.25"),
        ("1 234 567", "1234567"),
        ("123 456", "123456"),
        ("-3.5", "-3.5"),
        ("-3,5", "-3.5"),
        ("\u22123,5", "-3.5"),
        ("\u20133,5", "-3.5"),
        ("\u22121 234,5", "-1234.5"),
        ("+12,0", "12.0"),
        ("  42,50  ", "42.50"),
        ("0,001", "0.001"),
        ("-0", "0"),
        ("007", "7"),
        # One comma is a decimal comma here, as in every Finnish text.
        ("1,234", "1.234"),
    ],
)
def test_parse_number_accepts_finnish_and_plain_notation(text, expected):
    value = parse_number(text)
    assert value == Decimal(expected)
    assert str(value) == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize("text", ["1,234.5", "1.234,5", "-1.234.567,89", "1,2.3"])
def test_parse_number_refuses_ambiguous_separators(text):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_number(text)
    assert error.value.code == "ambiguous_number"
    assert "ambiguous" in error.value.messages[0]
    assert text in error.value.messages[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("abc", "invalid_number"),
        ("12a", "invalid_number"),
        ("1e5", "invalid_number"),
        ("NaN", "invalid_number"),
        ("Infinity", "invalid_number"),
        ("--5", "invalid_number"),
        ("5-", "invalid_number"),
        ("- 5", "invalid_number"),
        ("1,", "invalid_number"),
        (",5", "invalid_number"),
        (".5", "invalid_number"),
        ("1 234,5 6", "invalid_number"),
        ("1,234,567", "invalid_number"),
        ("1.234.567", "invalid_number"),
        ("1  234", "invalid_number"),
        ("1 234 ,5", "invalid_number"),
        ("1_234", "invalid_number"),
        ("١٢٣", "invalid_number"),
        ("12 34", "invalid_grouping"),
        ("1234 567", "invalid_grouping"),
        ("1 2345", "invalid_grouping"),
        ("1 234 56", "invalid_grouping"),
    ],
)
def test_parse_number_refuses_bad_input(text, code):
    assert refused_code(parse_number, text) == code


# Property tests: what a person or a spreadsheet writes in Finnish reads back exactly.

SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f"])
MINUS_SIGNS = st.sampled_from(["-", "\u2212", "\u2013"])


def finnish(value: Decimal, *, separator: str, minus: str, grouped: bool) -> str:
    integer, _, fraction = f"{abs(value):f}".partition(".")
    if grouped:
        groups = []
        while integer:
            groups.insert(0, integer[-3:])
            integer = integer[:-3]
        integer = separator.join(groups)
    text = integer + ("," + fraction if fraction else "")
    return (minus if value < 0 else "") + text


@given(
    value=st.integers(min_value=0, max_value=6).flatmap(
        lambda places: st.decimals(
            min_value=-(10**12),
            max_value=10**12,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    ),
    separator=SEPARATORS,
    minus=MINUS_SIGNS,
    grouped=st.booleans(),
)
def test_finnish_notation_round_trips(value, separator, minus, grouped):
    text = finnish(value, separator=separator, minus=minus, grouped=grouped)
    assert parse_number(text) == value


@given(
    value=st.decimals(
        min_value=-(10**12),
        max_value=10**12,
        places=3,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_plain_notation_round_trips(value):
    assert parse_number(f"{value:f}") == value


@given(
    integer=st.integers(min_value=1000, max_value=10**9), fraction=st.integers(1, 99)
)
def test_a_comma_and_a_point_together_are_always_refused(integer, fraction):
    grouped = f"{integer:,}.{fraction}"  # 1,234.5 as written in English
    with pytest.raises(ValidationError) as error:
        parse_number(grouped)
    assert error.value.code == "ambiguous_number"


PERIOD_NOTATIONS = {
    YEARLY: [lambda y, n: f"{y}"],
    QUARTERLY: [
        lambda y, n: f"{y}-Q{n}",
        lambda y, n: f"Q{n}/{y}",
        lambda y, n: f" {y} q{n} ",
        lambda y, n: f"q{n} / {y}",
        lambda y, n: f"{y}Q{n}",
    ],
    MONTHLY: [
        lambda y, n: f"{y}-{n:02d}",
        lambda y, n: f"{n}/{y}",
        lambda y, n: f"{n:02d}/{y}",
        lambda y, n: f"{y}M{n:02d}",
    ],
}


PERIODS_IN_A_YEAR = {YEARLY: 1, QUARTERLY: 4, MONTHLY: 12}


@given(
    year=st.integers(1900, 2100),
    frequency=st.sampled_from(list(Frequency)),
    data=st.data(),
)
def test_a_valid_period_round_trips(year, frequency, data):
    number = data.draw(st.integers(1, PERIODS_IN_A_YEAR[frequency]))
    start = datetime.date(
        year, (number - 1) * 12 // PERIODS_IN_A_YEAR[frequency] + 1, 1
    )
    notation = data.draw(st.sampled_from(PERIOD_NOTATIONS[frequency]))
    text = notation(year, number)

    assert period_is_start(start, frequency)
    assert parse_period(text) == start
    assert parse_period(text, frequency=frequency) == start
    assert parse_period(period_label(start, frequency), frequency=frequency) == start
    # The next period starts the day after this one ends.
    following = period_end(start, frequency) + datetime.timedelta(days=1)
    assert start < following
    assert period_is_start(following, frequency)


@pytest.mark.parametrize(
    ("period", "frequency", "end"),
    [
        (datetime.date(2024, 1, 1), YEARLY, datetime.date(2024, 12, 31)),
        (datetime.date(2024, 10, 1), QUARTERLY, datetime.date(2024, 12, 31)),
        (datetime.date(2024, 1, 1), QUARTERLY, datetime.date(2024, 3, 31)),
        (datetime.date(2024, 2, 1), MONTHLY, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 12, 1), MONTHLY, datetime.date(2024, 12, 31)),
    ],
)
def test_period_end(period, frequency, end):
    assert period_end(period, frequency) == end


# Hostile input: the old period pattern took minutes on 150 000 spaces.

HOSTILE_PERIODS = [
    "Q1" + " " * 150_000,
    "Q1" + " " * 150_000 + "x",
    "2024" + " " * 150_000 + "Q",
    "1" + " " * 150_000 + "/",
]


@pytest.mark.parametrize("text", HOSTILE_PERIODS)
def test_parse_period_refuses_long_input_before_matching(text, monkeypatch):
    monkeypatch.setattr("monitoring.parsing._period_match", None)
    assert refused_code(parse_period, text) == "too_long"


@pytest.mark.parametrize("text", ["1" * 65, "1 " * 40, " " * 150_000 + "1"])
def test_parse_number_refuses_long_input_before_matching(text, monkeypatch):
    monkeypatch.setattr("monitoring.parsing._NUMBER", None)
    assert refused_code(parse_number, text) == "too_long"


def test_the_longest_accepted_input_is_still_read():
    assert parse_period("2024-Q1".center(64)) == datetime.date(2024, 1, 1)
    assert parse_number("1 234,5".center(64)) == Decimal("1234.5")


@pytest.mark.parametrize("text", [t.rstrip() + "x" for t in HOSTILE_PERIODS])
def test_the_patterns_do_not_backtrack_over_spaces(text):
    """Even past the length check, a failing match reads the spaces only once."""
    started = time.perf_counter()
    assert _period_match(text) is None
    assert _NUMBER.fullmatch("1" + " " * 150_000 + "x") is None
    assert _BOTH_MARKS.fullmatch("1" + ",." * 75_000 + "x") is None
    assert time.perf_counter() - started < 1
