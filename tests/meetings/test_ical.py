"""iCalendar: a meeting's .ics and the events that the workspace feed reuses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from secretariat.meetings import ical
from tests.meetings.factories import (
    HELSINKI,
    MeetingFactory,
    alliance_create,
)
from tests.themes.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

STAMP = datetime.datetime(2023, 10, 1, 12, 0, tzinfo=datetime.UTC)


def test_meeting_and_milestone_events_serialise_to_one_calendar(settings):
    settings.SITE_URL = "https://allianssi.example.fi"
    alliance = alliance_create()
    meeting = MeetingFactory(
        body=alliance.group, number=2, online_link="https://teams.example/m"
    )
    milestone = MilestoneFactory(due_date=datetime.date(2023, 11, 30))

    data = ical.calendar_bytes(
        events=[
            ical.meeting_event(meeting=meeting, stamp=STAMP),
            ical.milestone_event(milestone=milestone, stamp=STAMP),
        ],
        name="Allianssi",
    )

    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        f"meeting-{meeting.pk}@allianssi.example.fi",
        f"milestone-{milestone.pk}@allianssi.example.fi",
    ]
    start = events[0].decoded("dtstart")
    assert start == datetime.datetime(2023, 10, 12, 9, 0, tzinfo=HELSINKI)
    assert start.tzinfo.key == "Europe/Helsinki"
    assert events[0].decoded("dtend").hour == 11
    assert "Snellmaninkatu 1" in str(events[0]["location"])
    assert "https://teams.example/m" in str(events[0]["location"])
    assert events[1].decoded("dtstart") == datetime.date(2023, 11, 30)
    assert events[1].decoded("dtend") == datetime.date(2023, 12, 1)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Helsinki"
    assert b"PRODID:-//Allianssi//TEM077:00/2023//FI" in data


def test_a_meeting_without_an_end_lasts_two_hours():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, ends_at=None)

    event = ical.meeting_event(meeting=meeting, stamp=STAMP)

    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(
        hours=2
    )


def test_the_ics_download_is_for_every_role(client):
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=7)
    url = reverse("meetings:meeting_ical", args=[meeting.pk])

    client.force_login(alliance.users["city"])
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert timezone.localtime(event.decoded("dtstart")).hour == 9
