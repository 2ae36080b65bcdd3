"""Cancelling a meeting: a move of the table, with a reason, sent as METHOD:CANCEL."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.models import OutboxMessage
from secretariat.meetings import ical
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import Meeting, MeetingStatusChange
from tests.calendars import calendar_mailed, calendar_parsed
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
Status = Meeting.Status
CANCELLED_AT = datetime.datetime(2023, 10, 6, 10, 0, tzinfo=datetime.UTC)
REASON = "Puheenjohtaja on estynyt."


@pytest.fixture
def published(alliance, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(body=alliance.secretariat, number=5)
    AgendaItemFactory(meeting=meeting, title="Esitys yhteistyömallista")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    mail.outbox.clear()
    meeting.refresh_from_db()
    return meeting


def test_the_chair_cancels_with_a_reason_and_the_invitees_get_method_cancel(
    alliance, published, django_capture_on_commit_callbacks
):
    sequence = published.calendar_sequence

    with (
        mock.patch("django.utils.timezone.now", return_value=CANCELLED_AT),
        django_capture_on_commit_callbacks(execute=True),
    ):
        meeting_services.meeting_cancel(
            meeting=published, reason=REASON, by=alliance.users["chair"]
        )

    published.refresh_from_db()
    assert published.status == Status.CANCELLED
    assert published.calendar_sequence == sequence + 1
    change = MeetingStatusChange.objects.get(to_status=Status.CANCELLED)
    assert (change.from_status, change.by, change.note, change.at) == (
        Status.AGENDA_PUBLISHED,
        alliance.users["chair"],
        REASON,
        CANCELLED_AT,
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {
        "palonen@example.org",
        "voutilainen@example.org",
        "nyholm@example.org",
    }
    finnish = by_address["palonen@example.org"]
    assert finnish.subject.startswith("Peruttu: ")
    assert "on peruttu" in finnish.body
    assert f"Peruutuksen syy: {REASON}" in finnish.body
    assert by_address["voutilainen@example.org"].subject.startswith("Inställt: ")
    for message in by_address.values():
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        ics = calendar_mailed(message)
        assert ics.method_parameter == ics.calendar.method == "CANCEL"
        (event,) = ics.calendar.events
        assert event.uid == f"meeting-{published.pk}@{ical.uid_domain()}"
        assert (event.status, event.sequence) == ("CANCELLED", sequence + 1)
        assert event.stamp == CANCELLED_AT
        assert event.organizer == "mailto:allianssi@localhost"
    assert calendar_mailed(by_address["voutilainen@example.org"]).filename == (
        "mote-5-2023.ics"
    )


def test_a_cancellation_is_refused_without_a_reason_to_others_and_after_the_meeting(
    alliance, published
):
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_cancel(
            meeting=published, reason="  ", by=alliance.users["chair"]
        )
    assert error.value.error_dict["note"][0].code == "note_required"
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_cancel(
            meeting=published, reason=REASON, by=alliance.users["staff"]
        )
    assert error.value.code == "not_permitted"
    meeting_services.meeting_mark_held(meeting=published, by=alliance.users["chair"])
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_cancel(
            meeting=published, reason=REASON, by=alliance.users["chair"]
        )
    assert error.value.code == "transition_not_allowed"

    published.refresh_from_db()
    assert published.status == Status.HELD
    assert not MeetingStatusChange.objects.filter(to_status=Status.CANCELLED).exists()
    cancellations = OutboxMessage.objects.filter(key__startswith="meeting_cancelled")
    assert not cancellations.exists()


def test_a_meeting_never_published_is_cancelled_without_mail(
    alliance, django_capture_on_commit_callbacks
):
    planned = MeetingFactory(body=alliance.group)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(
            meeting=planned, reason=REASON, by=alliance.users["chair"]
        )

    planned.refresh_from_db()
    assert planned.status == Status.CANCELLED
    assert mail.outbox == []


def test_a_cancelled_meeting_no_longer_changes(alliance, published):
    meeting_services.meeting_cancel(
        meeting=published, reason=REASON, by=alliance.users["chair"]
    )
    published.refresh_from_db()
    staff = alliance.users["staff"]

    published.place = "Muualla"
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_save(meeting=published, by=staff)
    assert error.value.code == "meeting_cancelled"
    AgendaItemFactory(meeting=published)
    for attempt in (
        lambda: meeting_services.agenda_publish(
            meeting=published, by=alliance.users["chair"]
        ),
        lambda: meeting_services.agenda_standard_items_add(meeting=published, by=staff),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.code == "meeting_cancelled"


def test_the_page_offers_the_chair_a_cancellation_with_a_reason_and_a_confirmation(
    client, alliance, published
):
    page = reverse("meetings:meeting_detail", args=[published.pk])
    url = reverse("meetings:meeting_cancel", args=[published.pk])
    client.force_login(alliance.users["staff"])
    assert url not in client.get(page).content.decode()
    assert client.post(url, {"note": REASON, "confirm": "on"}).status_code == 403

    client.force_login(alliance.users["chair"])
    assert f'href="{url}"' in client.get(page).content.decode()
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="note"' in form.content.decode()
    assert 'name="confirm"' in form.content.decode()

    unconfirmed = client.post(url, {"note": REASON})
    assert unconfirmed.status_code == 400
    assert unconfirmed.context["form"].errors["confirm"]
    no_reason = client.post(url, {"note": "", "confirm": "on"})
    assert no_reason.status_code == 400
    assert no_reason.context["form"].errors["note"]
    published.refresh_from_db()
    assert published.status == Status.AGENDA_PUBLISHED

    done = client.post(url, {"note": REASON, "confirm": "on"}, follow=True)

    assert done.redirect_chain[-1][0] == page
    published.refresh_from_db()
    assert published.status == Status.CANCELLED
    content = done.content.decode()
    assert "status--cancelled" in content
    assert "Kokous peruttiin" in content
    assert REASON in content
    assert done.context["moves"] == []
    assert not done.context["may_change_meeting"]
    assert reverse("meetings:meeting_edit", args=[published.pk]) not in content


def test_the_feed_and_the_download_show_the_meeting_cancelled(
    client, alliance, published, fixed_today
):
    meeting_services.meeting_cancel(
        meeting=published, reason=REASON, by=alliance.users["chair"]
    )
    observer = alliance.users["observer"]
    client.force_login(observer)

    download = client.get(reverse("meetings:meeting_ical", args=[published.pk]))
    feed = client.get(
        reverse("secretariat:calendar_feed", args=[observer.calendar_token])
    )

    (event,) = calendar_parsed(download.content).events
    assert event.status == "CANCELLED"
    in_feed = calendar_parsed(feed.content).event(event.uid)
    assert in_feed == event
