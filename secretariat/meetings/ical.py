"""iCalendar (RFC 5545) for meetings and milestones, with the `icalendar` library.

One function per kind of event and one that serialises a list of events: the .ics
download of a meeting, the attachment of the agenda e-mail and the workspace feed all
use them. Texts are in the active language; wrap calls in `translation.override`.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Allianssi//TEM077:00/2023//FI"
# A meeting without an end is shown as lasting this long.
DEFAULT_DURATION = timedelta(hours=2)


def _uid(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "allianssi"
    return f"{kind}-{pk}@{host}"


def meeting_event(*, meeting, stamp: datetime | None = None) -> Event:
    """Return the event of a meeting: its time, place, link and status."""
    local_zone = timezone.get_default_timezone()
    starts = meeting.starts_at.astimezone(local_zone)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_DURATION).astimezone(
        local_zone
    )
    event = Event()
    event.add("uid", _uid("meeting", meeting.pk))
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add(
        "summary",
        _("%(body)s, meeting %(number)s")
        % {"body": meeting.body.name, "number": meeting.number},
    )
    location = ", ".join(part for part in (meeting.place, meeting.online_link) if part)
    if location:
        event.add("location", location)
    description = [_("Status: %(status)s") % {"status": meeting.get_status_display()}]
    if meeting.online_link:
        description.append(_("Online: %(link)s") % {"link": meeting.online_link})
    description.append(settings.SITE_URL + meeting.get_absolute_url())
    event.add("description", "\n".join(description))
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    # Each published agenda version and status change is a new revision of the event.
    event.add("sequence", _meeting_sequence(meeting))
    event.add("status", "CONFIRMED")
    return event


def _meeting_sequence(meeting) -> int:
    order = [choice for choice, _label in meeting.Status.choices]
    return order.index(meeting.status)


def milestone_event(*, milestone, stamp: datetime | None = None) -> Event:
    """Return an all-day event on a milestone's due date."""
    event = Event()
    event.add("uid", _uid("milestone", milestone.pk))
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", milestone.due_date)
    event.add("dtend", milestone.due_date + timedelta(days=1))
    event.add("summary", _("Milestone: %(title)s") % {"title": milestone.title})
    owner = milestone.measure or milestone.theme
    if owner is not None:
        event.add("description", str(owner))
    event.add("transp", "TRANSPARENT")
    if milestone.done_on:
        event.add("status", "CONFIRMED")
    return event


def day_event(*, key: str, day, summary: str, stamp: datetime | None = None) -> Event:
    """Return an all-day event, such as a deadline."""
    event = Event()
    event.add("uid", _uid(key, day.toordinal()))
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_bytes(*, events: list[Event], name: str, method: str = "") -> bytes:
    """Serialise events as one calendar, with the time zones they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
