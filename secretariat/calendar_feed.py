"""The workspace's calendar feed: the milestones, meetings and the proposals' closing
date from a year back to two years ahead, as iCalendar.

Calendar programs poll the feed every few minutes, and building it is the costly part,
so a built feed is kept in the shared cache per user and language under a version of
what it shows. The version is read in one query whatever the data: the newest entry of
the history of every kind of row the feed shows. Every save and delete writes such an
entry, so any change gives a new version and the feed is built again; a feed of an
older version is never served.

A feed's Last-Modified is when it was built: a history entry may carry an earlier
date than its writing (the scale data's are back-dated), and a rebuilt feed that
changed nothing only costs a calendar program one full answer.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Body
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.ical import (
    calendar_bytes,
    day_event,
    meeting_event,
    milestone_event,
    uid_domain,
)
from secretariat.meetings.models import Meeting
from themes import selectors as theme_selectors
from themes.models import Measure, Milestone, Theme
from themes.proposals.models import ProposalRound
from themes.proposals.selectors import proposal_round_current

YEARS_BACK = 1
YEARS_AHEAD = 2
# The version already tells a changed feed; the timeout only frees the memory of
# feeds no one asks for any more.
CACHE_SECONDS = 24 * 3600
# Every kind of row whose fields the feed shows.
SHOWN_MODELS = (Milestone, Measure, Theme, Meeting, Body, ProposalRound)


@dataclass(frozen=True)
class CalendarFeed:
    body: bytes
    etag: str
    last_modified: datetime.datetime


def calendar_window(*, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day the feed shows: a year back, two years ahead."""
    return _years_later(today, -YEARS_BACK), _years_later(today, YEARS_AHEAD)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


def calendar_feed_version() -> str:
    """Return a version of what the feed shows.

    One query: the newest history entry (id and date) of each kind of row the feed
    shows, each read from an index.
    """
    quote = connection.ops.quote_name
    columns = []
    for model in SHOWN_MODELS:
        table = quote(model.history.model._meta.db_table)
        columns += [
            f"(SELECT MAX(history_id) FROM {table})",
            f"(SELECT MAX(history_date) FROM {table})",
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        return "|".join(str(value) for value in cursor.fetchone())


def calendar_feed_for(*, user, today: datetime.date) -> CalendarFeed:
    """Return the feed `user` sees in their language, built once per version."""
    first_day, last_day = calendar_window(today=today)
    domain = uid_domain()
    version = calendar_feed_version()
    # The secret address is part of the key (hashed, as keys may be listed), so that a
    # replaced address never reaches a feed kept for the old one.
    shown = (
        user.pk,
        user.calendar_token,
        user.language,
        first_day,
        domain,
        settings.SITE_URL,
        version,
    )
    key = "calendar-feed:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    feed = cache.get(key)
    if feed is None:
        with translation.override(user.language):
            body = _calendar(first_day=first_day, last_day=last_day, domain=domain)
        feed = CalendarFeed(
            body=body,
            etag=f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"',
            last_modified=timezone.now(),
        )
        cache.set(key, feed, CACHE_SECONDS)
    return feed


def _calendar(*, first_day, last_day, domain: str) -> bytes:
    return calendar_bytes(
        events=[
            *(
                milestone_event(
                    milestone=milestone,
                    stamp=milestone.last_changed or _day_start(milestone.due_date),
                    domain=domain,
                )
                for milestone in theme_selectors.milestones_for_calendar(
                    first_day=first_day, last_day=last_day
                )
            ),
            *(
                meeting_event(meeting=meeting, domain=domain)
                for meeting in meeting_selectors.meetings_for_calendar(
                    first_day=first_day, last_day=last_day
                )
            ),
            *_proposal_closing_events(
                first_day=first_day, last_day=last_day, domain=domain
            ),
        ],
        name=_("Allianssi"),
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def _proposal_closing_events(*, first_day, last_day, domain: str):
    closing = proposal_round_current().closing_date
    if closing is None or not first_day <= closing <= last_day:
        return []
    return [
        day_event(
            key="proposal-closing",
            day=closing,
            summary=_("Closing date of the cities' theme proposals"),
            stamp=_day_start(closing),
            domain=domain,
        )
    ]
