"""Reporting periods: a period is stored as the date of its first day."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")


# The months in which a period of each frequency may start.
_START_MONTHS = {
    Frequency.YEARLY: frozenset({1}),
    Frequency.QUARTERLY: frozenset({1, 4, 7, 10}),
    Frequency.MONTHLY: frozenset(range(1, 13)),
}
_LENGTH_IN_MONTHS = {Frequency.YEARLY: 12, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}


def period_is_start(day: datetime.date, frequency: str) -> bool:
    """Return whether `day` is the first day of a period of the frequency."""
    return day.day == 1 and day.month in _START_MONTHS[Frequency(frequency)]


def period_end(period: datetime.date, frequency: str) -> datetime.date:
    """Return the last day of the period that starts on `period`."""
    months = (
        period.year * 12 + period.month - 1 + _LENGTH_IN_MONTHS[Frequency(frequency)]
    )
    next_start = datetime.date(months // 12, months % 12 + 1, 1)
    return next_start - datetime.timedelta(days=1)


def period_label(period: datetime.date, frequency: str) -> str:
    """Return the period as it is typed: 2024, 2024-Q1 or 2024-03."""
    frequency = Frequency(frequency)
    if frequency == Frequency.YEARLY:
        return f"{period.year}"
    if frequency == Frequency.QUARTERLY:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}-{period.month:02d}"
