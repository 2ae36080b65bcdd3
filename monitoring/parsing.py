"""Read periods and numbers as people type them, in Finnish or plain notation.

Every form and every import reads periods and values through these two functions, so
that the same text means the same thing everywhere.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from monitoring.periods import Frequency

# Years outside this range are almost certainly typing mistakes (0224, 2204).
MIN_YEAR = 1900
MAX_YEAR = 2100

# Longer text is no period and no number; refusing it before matching bounds the work
# a request can cause.
MAX_INPUT_LENGTH = 64

# Hyphen and the dashes a word processor puts in its place.
_DASH = "[-\u2013\u2014]"
_YEAR = r"(?P<year>[0-9]{4})"
# 2024Q1 and 2024M03 are how Statistics Finland writes periods, so they are read too.
# Possessive quantifiers (*+, ?+) and no nested ones: a failing match never backtracks
# over the spaces it has read.
_PERIOD_PATTERNS = [
    (Frequency.YEARLY, re.compile(_YEAR)),
    (
        Frequency.QUARTERLY,
        re.compile(rf"{_YEAR}\s*+{_DASH}?+\s*+[qQ]\s*+(?P<q>[0-9])"),
    ),
    (
        # The quarter and the year are apart by a slash, a dash or a space at least.
        Frequency.QUARTERLY,
        re.compile(
            rf"[qQ]\s*+(?P<q>[0-9])(?=[/\s]|{_DASH})\s*+(?:/|{_DASH})?+\s*+{_YEAR}"
        ),
    ),
    (
        Frequency.MONTHLY,
        re.compile(rf"{_YEAR}\s*+(?:{_DASH}|[mM])\s*+(?P<m>[0-9]{{1,2}})"),
    ),
    (Frequency.MONTHLY, re.compile(rf"(?P<m>[0-9]{{1,2}})\s*+/\s*+{_YEAR}")),
]


def _too_long() -> ValidationError:
    return ValidationError(
        gettext("The text is too long: at most %(limit)s characters."),
        code="too_long",
        params={"limit": MAX_INPUT_LENGTH},
    )


def _period_match(text: str) -> tuple[Frequency, re.Match] | None:
    for frequency, pattern in _PERIOD_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return frequency, match
    return None


_FREQUENCY_MISMATCH_MESSAGES = {
    Frequency.YEARLY: gettext_noop(
        "The indicator is recorded yearly: enter a year, for example 2024."
    ),
    Frequency.QUARTERLY: gettext_noop(
        "The indicator is recorded quarterly: enter a quarter, for example 2024-Q1."
    ),
    Frequency.MONTHLY: gettext_noop(
        "The indicator is recorded monthly: enter a month, for example 2024-03."
    ),
}


def parse_period(text: str, *, frequency: str | None = None) -> datetime.date:
    """Return the first day of the period written in `text`.

    Accepted: 2024 (a year), 2024-Q1 or Q1/2024 (a quarter), 2024-03, 3/2024 or
    03/2024 (a month). With a frequency, a period of another length is refused.
    """
    if text and len(text) > MAX_INPUT_LENGTH:
        raise _too_long()
    found = _period_match((text or "").strip())
    if found is None:
        raise ValidationError(
            gettext(
                "Enter a period as a year (2024), a quarter (2024-Q1 or Q1/2024) or "
                "a month (2024-03 or 3/2024)."
            ),
            code="invalid_period",
        )
    period_frequency, match = found
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            gettext("The year must be between %(min)s and %(max)s."),
            code="year_out_of_range",
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )
    if period_frequency == Frequency.QUARTERLY:
        quarter = int(match["q"])
        if not 1 <= quarter <= 4:
            raise ValidationError(
                gettext("A quarter is numbered from 1 to 4."), code="invalid_quarter"
            )
        month = 3 * quarter - 2
    elif period_frequency == Frequency.MONTHLY:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise ValidationError(
                gettext("A month is numbered from 1 to 12."), code="invalid_month"
            )
    else:
        month = 1
    if frequency is not None and Frequency(frequency) != period_frequency:
        raise ValidationError(
            gettext(_FREQUENCY_MISMATCH_MESSAGES[Frequency(frequency)]),
            code="period_frequency_mismatch",
        )
    return datetime.date(year, month, 1)


# Minus: hyphen, the minus sign U+2212 and the en dash Finnish typography uses for it.
_SIGN = "(?P<sign>[-+\u2212\u2013]?)"
# Thousands separators: space, no-break space, narrow no-break space, thin space.
_GROUP_SEPARATORS = " \u00a0\u202f\u2009"
_GROUP_SEPARATOR = f"[{_GROUP_SEPARATORS}]"
# The digits and separators of the integer part; how they are grouped is checked after
# the match, so that the pattern has no nested quantifiers.
_NUMBER = re.compile(
    rf"{_SIGN}(?P<integer>[0-9][0-9{_GROUP_SEPARATORS}]*+)"
    r"(?:(?P<mark>[,.])(?P<fraction>[0-9]++))?+"
)
# Digits with both a comma and a point: a number, but written for another country.
_BOTH_MARKS = re.compile(rf"{_SIGN}[0-9][0-9,.]*+(?<=[0-9])")


def _integer_groups(integer: str) -> list[str] | None:
    """Return the digit groups of `integer`, or None when a separator is misplaced."""
    groups = re.split(_GROUP_SEPARATOR, integer)
    return None if "" in groups else groups


def parse_number(text: str) -> Decimal:
    """Return the number written in `text`, exactly, as a Decimal.

    Finnish notation (1 234,5 with a decimal comma, spaces between thousands, − or -
    as the minus sign) and plain notation (1234.5, -3.5) are both accepted. A number
    with both a comma and a point is refused: 1,234.5 and 1.234,5 mean different
    things in different countries.
    """
    if text and len(text) > MAX_INPUT_LENGTH:
        raise _too_long()
    text = (text or "").strip()
    if not text:
        raise ValidationError(gettext("Enter a number."), code="empty")
    if "," in text and "." in text and _BOTH_MARKS.fullmatch(text):
        raise ValidationError(
            gettext(
                "%(value)s is ambiguous: use a comma or a point as the decimal "
                "separator, not both, and separate thousands with spaces."
            ),
            code="ambiguous_number",
            params={"value": text},
        )
    match = _NUMBER.fullmatch(text)
    groups = _integer_groups(match["integer"]) if match is not None else None
    if groups is None:
        raise ValidationError(
            gettext("Enter a number, for example 1 234,5 or -3,5."),
            code="invalid_number",
        )
    well_grouped = 1 <= len(groups[0]) <= 3 and all(
        len(group) == 3 for group in groups[1:]
    )
    if len(groups) > 1 and not well_grouped:
        raise ValidationError(
            gettext(
                "Separate the thousands in groups of three digits, for example "
                "1 234 567."
            ),
            code="invalid_grouping",
        )
    digits = "".join(groups)
    if match["fraction"] is not None:
        digits += "." + match["fraction"]
    try:
        value = Decimal(digits)
    except InvalidOperation as error:  # pragma: no cover - the pattern allows digits
        raise ValidationError(
            gettext("Enter a number, for example 1 234,5 or -3,5."),
            code="invalid_number",
        ) from error
    # Minus zero is zero; keeping the sign would only surprise.
    if match["sign"] not in {"", "+"} and value:
        value = -value
    return value
