"""Publishing the agenda: a frozen version, and e-mails with the PDF and the .ics."""

import datetime
import io
from unittest import mock

import pytest
from celery import current_app
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from alliance.models import Job, OutboxMessage
from alliance.services import job_retry
from secretariat import mail as meeting_mail
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaVersion, Meeting, MeetingStatusChange
from tests.calendars import calendar_mailed
from tests.meetings.factories import (
    MEETING_DAY,
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
    at,
)

pytestmark = pytest.mark.django_db

ICS_NAMES = {
    "fi": "kokous-4-2023.ics",
    "sv": "mote-4-2023.ics",
    "en": "meeting-4-2023.ics",
}


@pytest.fixture
def secretariat_meeting(alliance):
    meeting = MeetingFactory(body=alliance.secretariat, number=4)
    AgendaItemFactory(meeting=meeting, title="Esitys yhteistyömallista")
    AgendaItemFactory(meeting=meeting, title="Seuraava kokous")
    return meeting


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish as the chair would: the e-mails leave once the transaction commits."""

    def publish(meeting, by):
        with django_capture_on_commit_callbacks(execute=True):
            return meeting_services.agenda_publish(meeting=meeting, by=by)

    return publish


def _pdf_language(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]


def test_only_the_chair_publishes(alliance, secretariat_meeting):
    with pytest.raises(ValidationError) as error:
        meeting_services.agenda_publish(
            meeting=secretariat_meeting, by=alliance.users["staff"]
        )
    assert error.value.code == "not_permitted"
    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.status == Meeting.Status.PLANNED
    assert not AgendaVersion.objects.exists()


def test_publishing_freezes_the_version_and_mails_each_invitee_in_their_language(
    alliance, secretariat_meeting, django_capture_on_commit_callbacks
):
    chair = alliance.users["chair"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = meeting_services.agenda_publish(meeting=secretariat_meeting, by=chair)

    # The publication's, then one send per message that it queued.
    assert len(callbacks) == 1 + 3
    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.status == Meeting.Status.AGENDA_PUBLISHED
    change = MeetingStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by) == (
        "planned",
        "agenda_published",
        chair,
    )
    assert version.number == 1
    assert [item["title"] for item in version.content["items"]] == [
        "Esitys yhteistyömallista",
        "Seuraava kokous",
    ]

    # The seats have no addresses of their own: mail goes to the accounts' addresses.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {
        "palonen@example.org",
        "voutilainen@example.org",
        "nyholm@example.org",
    }
    expected_languages = {
        "palonen@example.org": "fi",
        "voutilainen@example.org": "sv",
        "nyholm@example.org": "en",
    }
    for address, message in by_address.items():
        language = expected_languages[address]
        assert len(message.attachments) == 2
        (pdf_name, pdf, pdf_type), _ics = message.attachments
        assert pdf_type == "application/pdf"
        assert (
            pdf_name
            == {
                "fi": "esityslista-4-2023-v1-fi.pdf",
                "sv": "föredragningslista-4-2023-v1-sv.pdf",
                "en": "agenda-4-2023-v1-en.pdf",
            }[language]
        )
        assert _pdf_language(pdf) == language
        ics = calendar_mailed(message)
        assert ics.filename == ICS_NAMES[language]
        assert ics.method_parameter == ics.calendar.method == "PUBLISH"
        (event,) = ics.calendar.events
        assert event.organizer == "mailto:allianssi@localhost"
        assert "DTSTART;TZID=Europe/Helsinki:20231012T090000" in ics.text
        assert "12.10.2023" in message.subject

    # The frozen version does not follow later edits.
    AgendaItemFactory(meeting=secretariat_meeting, title="Lisäys")
    version.refresh_from_db()
    assert len(version.content["items"]) == 2


def test_a_redelivered_task_sends_nothing_twice(alliance, secretariat_meeting, publish):
    version = publish(secretariat_meeting, alliance.users["chair"])
    assert len(mail.outbox) == 3

    assert meeting_mail.agenda_send(version_id=version.pk) == 0

    assert len(mail.outbox) == 3
    queued = OutboxMessage.objects.filter(
        key__startswith=f"agenda_version:{version.pk}:"
    )
    assert queued.filter(status="sent").count() == 3


def test_the_mailing_is_a_job_written_with_the_version_and_retried_after_a_failure(
    alliance, secretariat_meeting, django_capture_on_commit_callbacks, monkeypatch
):
    def renderer_down(document):
        raise OSError("the PDF renderer is down")

    monkeypatch.setattr(meeting_mail, "document_pdf_bytes", renderer_down)
    with django_capture_on_commit_callbacks(execute=True):
        version = meeting_services.agenda_publish(
            meeting=secretariat_meeting, by=alliance.users["chair"]
        )

    job = Job.objects.get(kind="agenda_mail")
    assert (job.state, job.arguments) == ("failed", {"version_id": version.pk})
    assert job.requested_by == alliance.users["chair"]
    assert mail.outbox == [] and not OutboxMessage.objects.exists()
    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.status == Meeting.Status.AGENDA_PUBLISHED

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)

    job.refresh_from_db()
    assert job.state == "done"
    assert len(mail.outbox) == 3


def test_a_broker_that_is_down_leaves_the_publication_and_a_mailing_to_retry(
    alliance, secretariat_meeting, django_capture_on_commit_callbacks
):
    send_agenda = current_app.tasks["secretariat.send_agenda"]
    with (
        mock.patch.object(
            send_agenda, "apply_async", side_effect=ConnectionRefusedError("no broker")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        version = meeting_services.agenda_publish(
            meeting=secretariat_meeting, by=alliance.users["chair"]
        )

    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert AgendaVersion.objects.get() == version
    job = Job.objects.get(kind="agenda_mail")
    assert job.state == Job.State.UNSENT
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)

    job.refresh_from_db()
    assert job.state == "done"
    assert len(mail.outbox) == 3


def test_nothing_is_sent_or_saved_when_the_transaction_rolls_back(
    alliance, secretariat_meeting, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        meeting_services.agenda_publish(
            meeting=secretariat_meeting, by=alliance.users["chair"]
        )
        raise RuntimeError("roll back")

    assert callbacks == []
    assert mail.outbox == []
    assert not AgendaVersion.objects.exists()
    assert not Job.objects.exists()
    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.status == Meeting.Status.PLANNED


def test_seats_without_an_address_get_nothing_and_are_warned_of(
    client, alliance, publish
):
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory(meeting=meeting)

    publish(meeting, alliance.users["chair"])

    # The office addresses of the seats named by position; the fourth seat has none.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "kam@vm.example.org",
        "kj@hel.example.org",
        "pm@vnk.example.org",
    ]
    client.force_login(alliance.users["staff"])
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert page.context["distribution"][3].has_address is False
    assert "badge--warn" in page.content.decode()


def test_a_revised_agenda_is_a_new_version_and_an_unchanged_one_is_refused(
    alliance, secretariat_meeting, publish
):
    chair = alliance.users["chair"]
    publish(secretariat_meeting, chair)

    with pytest.raises(ValidationError) as error:
        meeting_services.agenda_publish(meeting=secretariat_meeting, by=chair)
    assert error.value.code == "agenda_unchanged"

    AgendaItemFactory(meeting=secretariat_meeting, title="Lisäasia")
    version = publish(secretariat_meeting, chair)

    assert version.number == 2
    assert len(version.content["items"]) == 3
    assert len(mail.outbox) == 6
    assert MeetingStatusChange.objects.count() == 1


def test_an_empty_agenda_is_not_published(alliance):
    meeting = MeetingFactory(body=alliance.group)
    with pytest.raises(ValidationError) as error:
        meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    assert error.value.code == "agenda_empty"


def test_publish_page_shows_the_refusal_and_the_success(
    client, alliance, secretariat_meeting
):
    url = reverse("meetings:agenda_publish", args=[secretariat_meeting.pk])
    client.force_login(alliance.users["staff"])
    assert client.post(url).status_code == 403

    client.force_login(alliance.users["chair"])
    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert AgendaVersion.objects.filter(meeting=secretariat_meeting).count() == 1
    response = client.post(url, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# The revised agenda

MOVED_AT = datetime.datetime(2023, 10, 5, 8, 30, tzinfo=datetime.UTC)


def _by_address(messages) -> dict:
    return {message.to[0]: message for message in messages}


def test_a_revised_agenda_says_so_and_lists_what_changed(
    alliance, secretariat_meeting, publish
):
    chair, staff = alliance.users["chair"], alliance.users["staff"]
    publish(secretariat_meeting, chair)
    first = _by_address(mail.outbox)
    mail.outbox.clear()

    secretariat_meeting.starts_at = at(MEETING_DAY, 13)
    secretariat_meeting.ends_at = at(MEETING_DAY, 15)
    with mock.patch("django.utils.timezone.now", return_value=MOVED_AT):
        meeting_services.meeting_save(meeting=secretariat_meeting, by=staff)
    removed = secretariat_meeting.agenda_items.get(title="Seuraava kokous")
    meeting_services.agenda_item_delete(item=removed, by=staff)
    AgendaItemFactory(meeting=secretariat_meeting, title="Lisäasia")
    publish(secretariat_meeting, chair)

    revised = _by_address(mail.outbox)
    finnish = revised["palonen@example.org"]
    assert first["palonen@example.org"].subject.startswith("Esityslista: ")
    assert finnish.subject.startswith("Täydennetty esityslista: ")
    assert "13.00–15.00" in finnish.subject
    assert "on julkaistu" not in finnish.body
    assert "Täydennetty esityslista: " in finnish.body
    assert "(versio 2)" in finnish.body
    assert "Muutokset versioon 1 verrattuna:" in finnish.body
    assert "- Aika muuttui: 12.10.2023 klo 9.00–11.00 → " in finnish.body
    assert "- Lisätty asia: Lisäasia" in finnish.body
    assert "- Poistettu asia: Seuraava kokous" in finnish.body
    assert "Paikka muuttui" not in finnish.body
    swedish = revised["voutilainen@example.org"]
    assert swedish.subject.startswith("Kompletterad föredragningslista: ")
    assert "Tillagt ärende: Lisäasia" in swedish.body
    # The calendar entries: the moved one is a later revision, stamped when it moved.
    before = calendar_mailed(first["palonen@example.org"]).calendar.events[0]
    after = calendar_mailed(finnish).calendar.events[0]
    assert after.uid == before.uid
    assert after.sequence > before.sequence
    assert after.stamp == MOVED_AT
    assert timezone.localtime(after.start).hour == 13


def test_a_revised_agenda_that_changed_only_a_text_names_the_item(
    alliance, secretariat_meeting, publish
):
    chair = alliance.users["chair"]
    publish(secretariat_meeting, chair)
    mail.outbox.clear()
    item = secretariat_meeting.agenda_items.get(title="Esitys yhteistyömallista")
    item.decision_proposal = "Hyväksytään esitys."
    meeting_services.agenda_item_save(item=item, by=alliance.users["staff"])

    publish(secretariat_meeting, chair)

    english = _by_address(mail.outbox)["nyholm@example.org"]
    assert english.subject.startswith("Revised agenda: ")
    assert "- Item revised: Esitys yhteistyömallista" in english.body
    assert "The time changed" not in english.body


def test_a_publication_that_reaches_no_one_says_so(client):
    alliance = alliance_create(group_addresses=False)
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory(meeting=meeting)
    client.force_login(alliance.users["chair"])
    page = reverse("meetings:meeting_detail", args=[meeting.pk])

    before = client.get(page)
    response = client.post(
        reverse("meetings:agenda_publish", args=[meeting.pk]), follow=True
    )

    warning = "julkaistua esityslistaa ei lähetetä kenellekään"
    assert warning in before.content.decode()
    (message,) = response.context["messages"]
    assert message.level_tag == "warning"
    assert str(message) == (
        "Esityslistan versio 1 julkaistiin, mutta sitä ei lähetetty kenellekään: "
        "kenelläkään jakelulistalla ei ole sähköpostiosoitetta."
    )
    assert "jakelulistalle" not in response.content.decode()
    assert mail.outbox == []


def test_a_publication_that_reaches_someone_says_it_is_being_sent(
    client, alliance, secretariat_meeting
):
    client.force_login(alliance.users["chair"])

    response = client.post(
        reverse("meetings:agenda_publish", args=[secretariat_meeting.pk]), follow=True
    )

    (message,) = response.context["messages"]
    assert message.level_tag == "success"
    assert "kenellekään" not in response.content.decode()
