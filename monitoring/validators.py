"""Checks shared by Observation.clean() and the write services."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from members.models import Organisation
from monitoring.periods import Frequency, period_is_start

_PERIOD_START_MESSAGES = {
    Frequency.YEARLY: gettext_noop(
        "A yearly value is recorded for the first of January."
    ),
    Frequency.QUARTERLY: gettext_noop(
        "A quarterly value is recorded for the first day of a quarter: 1 January, "
        "1 April, 1 July or 1 October."
    ),
    Frequency.MONTHLY: gettext_noop(
        "A monthly value is recorded for the first day of a month."
    ),
}


def validate_period_fits(period: datetime.date, frequency: str) -> None:
    """Refuse a period that is not the first day of a period of the frequency."""
    if not period_is_start(period, frequency):
        raise ValidationError(
            gettext(_PERIOD_START_MESSAGES[Frequency(frequency)]),
            code="period_frequency_mismatch",
        )


def validate_observation_city(
    *, city: Organisation | None, reported_per_city: bool
) -> None:
    """Refuse a city for a national-only indicator, and an organisation not a city."""
    if city is None:
        return
    if not reported_per_city:
        raise ValidationError(
            gettext("The indicator is reported only as a national value."),
            code="not_reported_per_city",
        )
    if city.kind != Organisation.Kind.CITY:
        raise ValidationError(
            gettext("%(organisation)s is not a city."),
            code="not_a_city",
            params={"organisation": city},
        )
