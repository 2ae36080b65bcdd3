"""Production without a mail server: messages wait in the outbox, never in a log."""

import logging
import secrets
import sys

import pytest

from alliance.models import OutboxMessage
from alliance.outbox import message_enqueue
from alliance.tasks import outbox_send
from tests.alliance.test_settings import _run

RESET_LINK = "https://allianssi.example.org/tili/salasana/MQ/c0ffee-5ecret/"


@pytest.mark.django_db
def test_without_a_mail_server_the_message_waits_and_its_body_stays_out_of_the_log(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "alliance.mail.NoMailServerBackend"

    with (
        caplog.at_level(logging.DEBUG),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_enqueue(
            key="password_reset:1",
            recipient="nyholm@example.org",
            subject="Salasanan vaihto",
            body=f"Vaihda salasanasi osoitteessa {RESET_LINK}",
            language="fi",
        )
    outbox_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.WAITING
    assert message.last_error == "MailServerNotConfigured: EMAIL_HOST is not set"
    assert "could not be delivered: EMAIL_HOST is not set" in caplog.text
    assert RESET_LINK not in caplog.text
    assert "c0ffee-5ecret" not in caplog.text


def test_production_with_a_mail_server_sends_by_smtp(tmp_path):
    result = _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)",
        ],
        cwd=tmp_path,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="alliance.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        EMAIL_HOST="smtp.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
