"""The outbox: written with the change, sent after commit, sent once, kept when not."""

import datetime
from email.header import decode_header, make_header
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.models import OutboxMessage
from alliance.outbox import Attachment, message_enqueue
from alliance.tasks import outbox_resend, outbox_send
from members.models import User
from tests.factories import UserFactory
from tests.theme_proposals.factories import proposal_in_status, proposal_world_create
from themes.proposals.models import ProposalComment, ThemeProposal

pytestmark = pytest.mark.django_db
Waiting, Sent, Failed = (
    OutboxMessage.Status.WAITING,
    OutboxMessage.Status.SENT,
    OutboxMessage.Status.FAILED,
)
SMTP_DOWN = mock.patch(
    "django.core.mail.backends.locmem.EmailBackend.send_messages",
    side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
)


def _enqueue(key="test:1", **overrides):
    return message_enqueue(
        key=key,
        recipient=overrides.pop("recipient", "palonen@example.org"),
        subject=overrides.pop("subject", "Esityslista\n  julkaistu"),
        body=overrides.pop("body", "Hei!"),
        language=overrides.pop("language", "fi"),
        **overrides,
    )


def _account_create(username: str) -> User:
    # The change that a message is written with.
    user = UserFactory(username=username)
    _enqueue(key=f"welcome:{user.pk}", recipient=user.email)
    return user


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _account_create("kaunisharju")
        raise RuntimeError("roll back")

    assert callbacks == []
    assert not User.objects.filter(username="kaunisharju").exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_message_is_written_with_the_change_and_sent_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            user = _account_create("kaunisharju")
            message = OutboxMessage.objects.get()
            assert message.status == Waiting
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Sent, 1, "")
    assert message.sent_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "Esityslista julkaistu"


def test_attachments_and_the_html_body_are_sent_with_the_message(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(
            html_body="<p>Hei!</p>",
            attachments=[
                Attachment("esityslista.pdf", b"%PDF-1.7", "application/pdf"),
                Attachment("kokous.ics", b"BEGIN:VCALENDAR", "text/calendar"),
            ],
        )

    (sent,) = mail.outbox
    assert sent.body == "Hei!"
    assert sent.alternatives[0][0] == "<p>Hei!</p>"
    names = [(name, kind) for name, _content, kind in sent.attachments]
    assert names == [
        ("esityslista.pdf", "application/pdf"),
        ("kokous.ics", "text/calendar"),
    ]
    assert sent.attachments[0][1] == b"%PDF-1.7"


def test_every_message_names_its_sender_and_says_it_was_sent_automatically(
    settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Allianssin sihteeristö <allianssi@tem.example.fi>"
    settings.EMAIL_REPLY_TO = "sihteeristo@tem.example.fi"
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()

    (sent,) = mail.outbox
    message = sent.message()
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Reply-To"] == "sihteeristo@tem.example.fi"
    assert "allianssi@tem.example.fi" in message["From"]
    assert str(make_header(decode_header(message["From"]))) == (
        "Allianssin sihteeristö <allianssi@tem.example.fi>"
    )


def test_without_a_reply_address_answers_go_to_the_sender(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_REPLY_TO = ""
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()

    message = mail.outbox[0].message()
    assert message["Reply-To"] is None
    assert message["Auto-Submitted"] == "auto-generated"


def test_an_attachment_keeps_the_parameters_of_its_type(
    django_capture_on_commit_callbacks,
):
    calendar = "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(
            attachments=[
                Attachment(
                    "kokous.ics",
                    calendar.encode(),
                    "text/calendar; charset=utf-8; method=PUBLISH",
                )
            ]
        )

    message = mail.outbox[0].message()
    (part,) = [p for p in message.walk() if p.get_filename()]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "kokous.ics"
    assert part.get_payload(decode=True).decode() == calendar


def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _enqueue()
        second = _enqueue(subject="Toinen")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_a_message_is_sent_once_even_if_its_task_runs_twice(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert len(mail.outbox) == 1

    assert outbox_send(message_id=message.pk) is False
    assert outbox_send.delay(message_id=message.pk).get() is False
    assert outbox_send(message_id=999999) is False

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_mail_server_failure_leaves_the_message_waiting_and_the_change_committed(
    client, django_capture_on_commit_callbacks
):
    world = proposal_world_create()
    proposal = proposal_in_status(world, ThemeProposal.Status.UNDER_REVIEW)
    client.force_login(world.users["voutilainen"])

    with SMTP_DOWN, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
            {"text": "Voisitteko tarkentaa kustannuksia?"},
        )

    assert response.status_code == 302
    comment = ProposalComment.objects.get()
    messages = OutboxMessage.objects.filter(
        key__startswith=f"proposal_comment:{comment.pk}:"
    )
    assert messages.count() == 2
    for message in messages:
        assert (message.status, message.attempts) == (Waiting, 1)
        assert message.last_error == (
            "SMTPServerDisconnected: Connection unexpectedly closed"
        )
        assert message.sent_at is None
    assert mail.outbox == []


def test_an_unexpected_error_marks_the_message_failed_and_is_not_resent(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ValueError("bad header"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = _enqueue()

    message.refresh_from_db()
    assert (message.status, message.last_error) == (Failed, "ValueError: bad header")
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(1))
    assert outbox_resend() == 0
    assert mail.outbox == []


def test_the_resend_task_sends_the_messages_still_waiting_after_a_minute(
    django_capture_on_commit_callbacks,
):
    with SMTP_DOWN, django_capture_on_commit_callbacks(execute=True):
        old = _enqueue(key="test:old")
        fresh = _enqueue(key="test:fresh")
    with django_capture_on_commit_callbacks(execute=True):
        done = _enqueue(key="test:done")
    assert len(mail.outbox) == 1
    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    OutboxMessage.objects.exclude(pk=fresh.pk).update(created_at=two_minutes_ago)

    assert outbox_resend.delay().get() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert (old.status, old.attempts) == (Sent, 2)
    assert old.last_error == ""
    assert (fresh.status, fresh.attempts) == (Waiting, 1)
    assert (done.status, done.attempts) == (Sent, 1)
    assert len(mail.outbox) == 2


def test_the_admin_lists_the_outbox_and_changes_nothing(admin_client):
    _enqueue()

    listing = admin_client.get(reverse("admin:alliance_outboxmessage_changelist"))
    assert listing.status_code == 200
    assert "palonen@example.org" in listing.content.decode()
    add = admin_client.get(reverse("admin:alliance_outboxmessage_add"))
    assert add.status_code == 403


def test_an_unreachable_broker_leaves_the_message_waiting_for_the_resend(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch(
            "alliance.tasks.outbox_send.apply_async",
            side_effect=ConnectionRefusedError("no broker"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user = _account_create("kaunisharju")

    assert User.objects.filter(pk=user.pk).exists()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Waiting, 0)
    assert mail.outbox == []
