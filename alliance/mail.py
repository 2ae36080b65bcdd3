"""Where e-mail goes when production has no mail server.

Messages carry sign-in links and reset tokens, so in production they must never end up
in a log. Without `EMAIL_HOST` they stay waiting in the outbox, which sends them once a
server is configured; the log says only that a message could not be delivered.
"""

import logging

from django.conf import settings
from django.core import checks
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class MailServerNotConfigured(OSError):
    """No mail server is set; an `OSError`, so the outbox keeps the message waiting."""


class NoMailServerBackend(BaseEmailBackend):
    """Deliver nothing, write no message content anywhere, and say so."""

    def send_messages(self, email_messages):
        count = len(list(email_messages))
        logger.warning(
            "%d e-mail message(s) could not be delivered: EMAIL_HOST is not set.",
            count,
        )
        if not self.fail_silently and count:
            raise MailServerNotConfigured("EMAIL_HOST is not set")
        return 0


@checks.register(checks.Tags.compatibility)
def check_mail_server(app_configs, **kwargs):
    """Tell whoever deploys that mail waits, without failing the deploy check."""
    if settings.DEBUG or settings.EMAIL_HOST:
        return []
    return [
        checks.Info(
            "EMAIL_HOST is not set: no e-mail is sent. Messages wait in the outbox "
            "and are sent once a mail server is configured.",
            id="alliance.I001",
        )
    ]
