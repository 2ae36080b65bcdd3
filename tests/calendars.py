"""Every calendar the app writes, read by two parsers that share no code.

The app writes with `icalendar`; `vobject` is an independent reader. A file both read
alike, event for event, is one that calendar programs built on either will read.
"""

from dataclasses import dataclass
from datetime import date, datetime

import vobject
from icalendar import Calendar


@dataclass(frozen=True)
class ParsedEvent:
    uid: str
    sequence: int
    status: str
    summary: str
    start: date | datetime
    end: date | datetime
    stamp: datetime
    organizer: str


@dataclass(frozen=True)
class ParsedCalendar:
    method: str
    events: list[ParsedEvent]

    def event(self, uid: str) -> ParsedEvent:
        (found,) = [event for event in self.events if event.uid == uid]
        return found


def _own(data: bytes) -> ParsedCalendar:
    calendar = Calendar.from_ical(data)
    return ParsedCalendar(
        method=str(calendar.get("method", "")),
        events=[
            ParsedEvent(
                uid=str(event["uid"]),
                sequence=int(event.get("sequence", 0)),
                status=str(event.get("status", "")),
                summary=str(event["summary"]),
                start=event.decoded("dtstart"),
                end=event.decoded("dtend"),
                stamp=event.decoded("dtstamp"),
                organizer=str(event.get("organizer", "")),
            )
            for event in calendar.walk("VEVENT")
        ],
    )


def _value(component, name: str, default=""):
    line = getattr(component, name.lower(), None)
    return default if line is None else line.value


def _independent(data: bytes) -> ParsedCalendar:
    calendar = vobject.readOne(data.decode("utf-8"))
    return ParsedCalendar(
        method=_value(calendar, "method"),
        events=[
            ParsedEvent(
                uid=_value(event, "uid"),
                sequence=int(_value(event, "sequence", 0)),
                status=_value(event, "status"),
                summary=_value(event, "summary"),
                start=_value(event, "dtstart"),
                end=_value(event, "dtend"),
                stamp=_value(event, "dtstamp"),
                organizer=_value(event, "organizer"),
            )
            for event in getattr(calendar, "vevent_list", [])
        ],
    )


def calendar_parsed(data: bytes) -> ParsedCalendar:
    """Parse a calendar with both parsers, check that they agree, return the result."""
    own, independent = _own(data), _independent(data)
    assert own == independent
    assert own.events, "a calendar without events"
    for event in own.events:
        # RFC 5545 asks for an aware UTC stamp; a time zone must come with the file.
        assert event.stamp.utcoffset().total_seconds() == 0
        if isinstance(event.start, datetime):
            assert event.start.tzinfo is not None
    return own


@dataclass(frozen=True)
class MailedCalendar:
    filename: str
    method_parameter: str
    calendar: ParsedCalendar
    text: str


def calendar_mailed(message) -> MailedCalendar:
    """Return the one .ics attached to a sent e-mail, read by both parsers."""
    (part,) = [
        part
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]
    data = part.get_payload(decode=True)
    return MailedCalendar(
        filename=part.get_filename(),
        method_parameter=part.get_param("method"),
        calendar=calendar_parsed(data),
        text=data.decode(),
    )
