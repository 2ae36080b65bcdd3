"""iCalendar: a meeting's .ics and the events that the workspace feed reuses.

Every calendar is read by the project's parser and by an independent one
(`tests.calendars`).
"""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from alliance.installation import setting_fixed
from secretariat.bootstrap import BootstrapReport, calendar_uid_domain_fix
from secretariat.meetings import ical
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import Meeting
from tests.calendars import calendar_parsed
from tests.meetings.factories import (
    HELSINKI,
    MEETING_DAY,
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
    at,
)
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db

STAMP = datetime.datetime(2023, 10, 1, 12, 0, tzinfo=datetime.UTC)
# The fixed clock of the changes below.
MOVED_AT = datetime.datetime(2023, 10, 5, 8, 30, tzinfo=datetime.UTC)


def test_meeting_and_milestone_events_serialise_to_one_calendar(settings):
    settings.SITE_URL = "https://allianssi.example.fi"
    alliance = alliance_create()
    meeting = MeetingFactory(
        body=alliance.group, number=2, online_link="https://teams.example/m"
    )
    milestone = MilestoneFactory(due_date=datetime.date(2023, 11, 30))
    domain = ical.uid_domain()

    data = ical.calendar_bytes(
        events=[
            ical.meeting_event(meeting=meeting, domain=domain),
            ical.milestone_event(milestone=milestone, stamp=STAMP, domain=domain),
        ],
        name="Allianssi",
    )

    parsed = calendar_parsed(data)
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert [event.uid for event in parsed.events] == [
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

    event = ical.meeting_event(meeting=meeting, domain="allianssi.example.fi")

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
    assert 'filename="kokous-7-2023.ics"' in response["Content-Disposition"]
    (event,) = calendar_parsed(response.content).events
    assert timezone.localtime(event.start).hour == 9
    assert event.status == "TENTATIVE"


def test_milestones_name_their_measure_and_theme(settings):
    theme = ThemeFactory(title="Osaaminen")
    measures = [
        MeasureFactory(theme=theme, title=title) for title in ("Kielikoulutus", "Työ")
    ]
    launches = [
        MilestoneFactory(title="Käynnistys", measure=m, theme=None) for m in measures
    ]
    of_theme = MilestoneFactory(title="Käynnistys", theme=theme)

    with translation.override("fi"):
        data = ical.calendar_bytes(
            events=[
                ical.milestone_event(milestone=m, stamp=STAMP, domain="a.example.fi")
                for m in [*launches, of_theme]
            ],
            name="Allianssi",
        )

    summaries = [event.summary for event in calendar_parsed(data).events]
    assert summaries == [
        "Välitavoite: Käynnistys – Kielikoulutus (Osaaminen)",
        "Välitavoite: Käynnistys – Työ (Osaaminen)",
        "Välitavoite: Käynnistys – Osaaminen",
    ]


def test_the_uid_host_is_fixed_the_first_time_and_a_moved_site_keeps_it(settings):
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group)
    settings.CALENDAR_UID_DOMAIN = ""
    settings.SITE_URL = "https://allianssi.tem.example.fi"

    calendar_uid_domain_fix(BootstrapReport())
    settings.SITE_URL = "https://allianssi.uusi.example.fi"
    settings.CALENDAR_UID_DOMAIN = "kalenteri.example.fi"
    report = BootstrapReport()
    calendar_uid_domain_fix(report)

    assert report.written == []
    assert setting_fixed(name="CALENDAR_UID_DOMAIN") == "allianssi.tem.example.fi"
    event = ical.meeting_event(meeting=meeting, domain=ical.uid_domain())
    assert str(event["uid"]) == f"meeting-{meeting.pk}@allianssi.tem.example.fi"


def test_the_uid_host_setting_wins_over_the_site_address(settings):
    settings.CALENDAR_UID_DOMAIN = "kalenteri.example.fi"
    settings.SITE_URL = "https://allianssi.example.fi"

    calendar_uid_domain_fix(BootstrapReport())

    assert ical.uid_domain() == "kalenteri.example.fi"


def _published(alliance) -> Meeting:
    meeting = MeetingFactory(body=alliance.group, number=3)
    AgendaItemFactory(meeting=meeting)
    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    meeting.refresh_from_db()
    return meeting


def _event(meeting: Meeting):
    meeting.refresh_from_db()
    data = ical.calendar_bytes(
        events=[ical.meeting_event(meeting=meeting, domain="a.example.fi")],
        name=str(meeting),
    )
    (event,) = calendar_parsed(data).events
    return event


def test_the_revision_grows_when_a_published_meetings_time_changes():
    alliance = alliance_create()
    meeting = _published(alliance)
    published = _event(meeting)
    assert (published.sequence, published.status) == (1, "CONFIRMED")

    meeting.starts_at = at(MEETING_DAY, 13)
    meeting.ends_at = at(MEETING_DAY, 15)
    with mock.patch("django.utils.timezone.now", return_value=MOVED_AT):
        meeting_services.meeting_save(meeting=meeting, by=alliance.users["staff"])

    moved = _event(meeting)
    assert moved.sequence == 2
    assert moved.stamp == MOVED_AT
    assert timezone.localtime(moved.start).hour == 13

    meeting.place = "Kaupungintalo, Pohjoisesplanadi 11, Helsinki"
    meeting_services.meeting_save(meeting=meeting, by=alliance.users["staff"])
    assert _event(meeting).sequence == 3


def test_the_revision_stays_when_nothing_a_calendar_shows_changed():
    alliance = alliance_create()
    meeting = _published(alliance)
    before = _event(meeting)

    # Saved unchanged, and a revised agenda: the event is the same.
    with mock.patch("django.utils.timezone.now", return_value=MOVED_AT):
        meeting_services.meeting_save(meeting=meeting, by=alliance.users["staff"])
        AgendaItemFactory(meeting=meeting, title="Lisäasia")
        meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])

    after = _event(meeting)
    assert after == before


def test_each_status_move_is_a_revision_with_the_status_a_calendar_knows():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=3)
    assert (_event(meeting).sequence, _event(meeting).status) == (0, "TENTATIVE")
    AgendaItemFactory(meeting=meeting)
    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    meeting_services.meeting_mark_held(meeting=meeting, by=alliance.users["chair"])

    held = _event(meeting)

    assert (held.sequence, held.status) == (2, "CONFIRMED")
