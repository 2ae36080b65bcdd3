"""iCalendar (RFC 5545) for meetings and milestones, with the `icalendar` library.

One function per kind of event and one that serialises a list of events: the .ics
download of a meeting, the attachments of the meeting e-mails and the workspace feed
all use them. Texts are in the active language; wrap calls in `translation.override`.

An event is stamped with its last change and carries a revision (`SEQUENCE`) that
grows with each change a calendar shows, so that a calendar program keeps the latest
one. Its UID names the installation's own host (`CALENDAR_UID_DOMAIN`, fixed when the
installation was first set up), so that a site that moves keeps every event's UID.
"""

from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
)

from alliance.installation import setting_fixed
from secretariat.meetings.models import Meeting

PRODID = "-//Allianssi//TEM077:00/2023//FI"
# A meeting without an end is shown as lasting this long.
DEFAULT_DURATION = timedelta(hours=2)
UID_DOMAIN_SETTING = "CALENDAR_UID_DOMAIN"
# The methods of the e-mailed files (RFC 5546): an announcement and its calling off.
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"

EVENT_STATUS = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def uid_domain_configured() -> str:
    """Return the host the environment gives for UIDs: its own, else the site's."""
    return (
        settings.CALENDAR_UID_DOMAIN
        or urlsplit(settings.SITE_URL).hostname
        or "allianssi"
    )


def uid_domain() -> str:
    """Return the host of every UID: the one fixed at installation, if any."""
    return setting_fixed(name=UID_DOMAIN_SETTING) or uid_domain_configured()


def _uid(kind: str, pk: int, domain: str) -> str:
    return f"{kind}-{pk}@{domain}"


def meeting_event(*, meeting: Meeting, domain: str) -> Event:
    """Return the event of a meeting: its time, place, link, status and revision."""
    local_zone = timezone.get_default_timezone()
    starts = meeting.starts_at.astimezone(local_zone)
    ends = (meeting.ends_at or meeting.starts_at + DEFAULT_DURATION).astimezone(
        local_zone
    )
    event = Event()
    event.add("uid", _uid("meeting", meeting.pk, domain))
    event.add("dtstamp", meeting.calendar_changed_at)
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
    event.add("sequence", meeting.calendar_sequence)
    event.add("status", EVENT_STATUS.get(meeting.status, "CONFIRMED"))
    return event


def _organizer() -> vCalAddress:
    """The sender of the e-mails, who organises the meeting as far as mail goes."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    return organizer


def meeting_mail_calendar(*, meeting: Meeting, method: str) -> tuple[bytes, str]:
    """Return the .ics of an e-mail about a meeting and its MIME type, both with the
    method (`PUBLISH` or `CANCEL`) that tells a calendar program what to do."""
    event = meeting_event(meeting=meeting, domain=uid_domain())
    event.add("organizer", _organizer())
    data = calendar_bytes(events=[event], name=str(meeting), method=method)
    return data, f"text/calendar; charset=utf-8; method={method}"


def meeting_file_name(meeting: Meeting) -> str:
    """Return the name of a meeting's .ics in the active language: kokous-4-2023.ics."""
    year = timezone.localtime(meeting.starts_at).year
    return f"{slugify(_('meeting'))}-{meeting.number}-{year}.ics"


def milestone_event(*, milestone, stamp: datetime, domain: str) -> Event:
    """Return an all-day event on a milestone's due date, named with its measure and
    theme: many milestones share a title such as "Käynnistys"."""
    event = Event()
    event.add("uid", _uid("milestone", milestone.pk, domain))
    event.add("dtstamp", stamp)
    event.add("dtstart", milestone.due_date)
    event.add("dtend", milestone.due_date + timedelta(days=1))
    # A milestone belongs to a measure (of a theme) or to a theme itself.
    measure = milestone.measure
    theme = measure.theme if measure is not None else milestone.theme
    if measure is not None:
        summary = _("Milestone: %(title)s – %(measure)s (%(theme)s)") % {
            "title": milestone.title,
            "measure": measure.title,
            "theme": theme.title,
        }
        description = [
            _("Measure: %(title)s") % {"title": measure.title},
            _("Theme: %(title)s") % {"title": theme.title},
        ]
    else:
        summary = _("Milestone: %(title)s – %(theme)s") % {
            "title": milestone.title,
            "theme": theme.title,
        }
        description = [_("Theme: %(title)s") % {"title": theme.title}]
    url = settings.SITE_URL + milestone.get_absolute_url()
    event.add("summary", summary)
    event.add("description", "\n".join([*description, url]))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    if milestone.done_on:
        event.add("status", "CONFIRMED")
    return event


def day_event(*, key: str, day, summary: str, stamp: datetime, domain: str) -> Event:
    """Return an all-day event, such as a deadline."""
    event = Event()
    event.add("uid", _uid(key, day.toordinal(), domain))
    event.add("dtstamp", stamp)
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
    # The time zone first, as calendar programs read it before the events using it.
    if any(isinstance(event.decoded("dtstart"), datetime) for event in events):
        calendar.add_component(_vtimezone(timezone.get_default_timezone_name()))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


# The time zone, written with yearly rules (RRULE) rather than a list of dates: one
# rule a year is what calendar programs read best, and `icalendar`'s own list of
# dates is read wrongly by some. The rules are the zone's current ones, taken from a
# recent year; the events are all of this decade.
RULES_YEAR = 2024


def _vtimezone(name: str) -> Timezone:
    zone = ZoneInfo(name)
    vtimezone = Timezone()
    vtimezone.add("tzid", name)
    changes = _offset_changes(name, RULES_YEAR)
    if not changes:
        offset = zone.utcoffset(datetime(RULES_YEAR, 1, 1))
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", zone.tzname(datetime(RULES_YEAR, 1, 1)))
        vtimezone.add_component(standard)
        return vtimezone
    for onset, before, after, zone_name, is_daylight in changes:
        part = TimezoneDaylight() if is_daylight else TimezoneStandard()
        month, weekday, week = onset.month, onset.weekday(), _week_of_month(onset)
        part.add("dtstart", _first_onset(1970, month, weekday, week, onset.time()))
        part.add(
            "rrule",
            {"freq": "yearly", "bymonth": month, "byday": f"{week}{WEEKDAYS[weekday]}"},
        )
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", zone_name)
        vtimezone.add_component(part)
    return vtimezone


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@lru_cache
def _offset_changes(name: str, year: int) -> list[tuple]:
    """Return the year's changes of offset: the local onset (in the offset before),
    the offsets before and after, the zone's name after and whether it is summer."""
    zone = ZoneInfo(name)
    changes = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone)
    while moment.year == year:
        moment += timedelta(hours=1)
        after = moment.astimezone(zone)
        if after.utcoffset() != before.utcoffset():
            # `moment` is the first hour of the new offset; the onset is written in
            # the local time of the offset before it.
            onset = (moment + before.utcoffset()).replace(tzinfo=None)
            changes.append(
                (
                    onset,
                    before.utcoffset(),
                    after.utcoffset(),
                    after.tzname(),
                    bool(after.dst()),
                )
            )
        before = after
    return changes


def _week_of_month(day: datetime) -> int:
    """Return 1–4 for the first to fourth such weekday of the month, -1 for the last."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return (day.day - 1) // 7 + 1


def _first_onset(year: int, month: int, weekday: int, week: int, at) -> datetime:
    """Return the day of `year` that the yearly rule names, at the onset's time."""
    if week == -1:
        day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        day -= timedelta(days=(day.weekday() - weekday) % 7)
    else:
        day = date(year, month, 1)
        day += timedelta(days=(weekday - day.weekday()) % 7 + 7 * (week - 1))
    return datetime.combine(day, at)
