"""E-mail of the reporting rounds: the reminders to the cities' representatives.

A week before a round's due date and on it, each representative of a city whose
report is not complete gets a reminder in their own language, through the outbox.
The key names the round, the city, the recipient and the kind of reminder, so that
each is queued once however often the daily task runs.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from alliance.outbox import message_enqueue_rendered, message_keys_queued
from monitoring import selectors
from monitoring.models import ReportingRound

WEEK_BEFORE = "week"
ON_DUE_DATE = "due"
REMINDER_LEAD = datetime.timedelta(days=7)
# A daily run missed (a worker down) still sends the reminder the day after, but a
# round long past its due date is not reminded of for the first time.
CATCH_UP = datetime.timedelta(days=3)


def reminder_kind(*, round: ReportingRound, today: datetime.date) -> str | None:
    """Return which reminder of the round is due today, if any."""
    if round.due_date - REMINDER_LEAD <= today < round.due_date:
        return WEEK_BEFORE
    if round.due_date <= today <= round.due_date + CATCH_UP:
        return ON_DUE_DATE
    return None


def reminder_key(*, round, city, user, kind: str) -> str:
    return f"reporting_round:{round.pk}:city:{city.pk}:user:{user.pk}:{kind}"


def round_reminders_send(*, today: datetime.date) -> int:
    """Queue the reminders due today for every open round; return how many."""
    queued_count = 0
    rounds = [
        (round, kind)
        for round in ReportingRound.objects.filter(status=ReportingRound.Status.OPEN)
        if (kind := reminder_kind(round=round, today=today)) is not None
    ]
    for round, kind in rounds:
        table = selectors.round_table(round=round, today=today)
        owing = [row for row in table.rows if not row.is_complete]
        representatives = selectors.city_representatives(
            cities=[row.city for row in owing]
        )
        messages = {
            reminder_key(round=round, city=row.city, user=user, kind=kind): (row, user)
            for row in owing
            for user in representatives[row.city.pk]
        }
        with transaction.atomic():
            queued = message_keys_queued(keys=messages)
            for key, (row, user) in messages.items():
                if key in queued:
                    continue
                missing = [
                    indicator
                    for indicator, cell in zip(table.indicators, row.cells, strict=True)
                    if cell != selectors.RoundCell.IN
                ]
                message_enqueue_rendered(
                    key=key,
                    recipient=user.email,
                    language=user.language,
                    templates="monitoring/email/round_reminder",
                    context={
                        "round": round,
                        "city": row.city,
                        "user": user,
                        "kind": kind,
                        "missing": missing,
                        "url": settings.SITE_URL
                        + reverse(
                            "monitoring:city_round", args=[round.pk, row.city.slug]
                        ),
                    },
                )
                queued_count += 1
    return queued_count
