"""The outbox: every e-mail the app sends, as a row written with the change behind it.

`message_enqueue` is called inside the transaction of the change, so that the message
exists exactly when the change does; its send task is dispatched once that transaction
commits. `message_send` sends a waiting message and marks it sent, once: the row is
locked while it is sent, and a sent row is never sent again. A message that the mail
server did not take stays waiting, with the error, and `messages_resend` (run by beat)
sends it again; the user's change is committed whatever the mail server does.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email import encoders
from email.message import Message
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alliance.dispatch import task_send, task_send_on_commit
from alliance.models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

SEND_TASK = "alliance.outbox_send"
RESEND_AFTER = timedelta(minutes=1)
RESEND_BATCH = 500


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str


def message_enqueue(
    *,
    key: str,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    html_body: str = "",
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage:
    """Write a message to send once the current transaction commits.

    `key` names the message: a message already written under the same key is returned
    as it is, neither written nor sent again.
    """
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "subject": " ".join(subject.split()),
                "body": body,
                "html_body": html_body,
                "language": language,
            },
        )
        if not created:
            return message
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message=message,
                filename=attachment.filename,
                content_type=attachment.content_type,
                content=attachment.content,
            )
            for attachment in attachments
        )
        # A message the broker does not take simply stays waiting, for the resend.
        task_send_on_commit(
            task_name=SEND_TASK,
            kwargs={"message_id": message.pk},
            notice="notification",
            on_unsent=lambda: None,
        )
    return message


def message_enqueue_rendered(
    *,
    key: str,
    recipient: str,
    language: str,
    templates: str,
    context: dict,
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage:
    """Render `<templates>_subject.txt` and `<templates>_body.txt` in the recipient's
    `language`, then write the message as `message_enqueue` does."""
    with translation.override(language):
        subject = render_to_string(f"{templates}_subject.txt", context)
        body = render_to_string(f"{templates}_body.txt", context)
    return message_enqueue(
        key=key,
        recipient=recipient,
        subject=subject,
        body=body,
        language=language,
        attachments=attachments,
    )


def message_keys_queued(*, keys: Iterable[str]) -> set[str]:
    """Return those of `keys` under which a message was already written."""
    return set(
        OutboxMessage.objects.filter(key__in=list(keys)).values_list("key", flat=True)
    )


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[settings.EMAIL_REPLY_TO] if settings.EMAIL_REPLY_TO else None,
        # Every message is the app's own (RFC 3834): no auto-reply answers it.
        headers={"Auto-Submitted": "auto-generated"},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        if ";" in attachment.content_type:
            email.attach(_mime_part(attachment))
        else:
            email.attach(
                attachment.filename, bytes(attachment.content), attachment.content_type
            )
    return email


def _mime_part(attachment: OutboxAttachment) -> MIMEBase:
    """Return an attachment whose type has parameters as a MIME part that keeps them.

    Django's `attach` keeps only the type itself, but a calendar program acts on an
    invitation only with its `method=` parameter.
    """
    header = Message()
    header["Content-Type"] = attachment.content_type
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    content = bytes(attachment.content)
    if maintype == "text":
        part = SafeMIMEText(content.decode(), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for name, value in header.get_params()[1:]:
        if name != "charset":
            part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def message_send(*, message_id: int) -> bool:
    """Send a waiting message and mark it sent; return whether it was sent now.

    A message that is sent, failed, gone, or being sent by another run is left alone.
    A mail server or connection failure leaves it waiting, with the error recorded.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.WAITING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            _email(message).send()
        except OSError as error:
            # SMTP errors and lost connections pass; the resend tries again.
            logger.warning("E-mail %s not sent: %s", message.pk, error)
            message.last_error = f"{type(error).__name__}: {error}"
            message.save(update_fields=["attempts", "last_error"])
            return False
        except Exception as error:
            logger.exception("E-mail %s cannot be sent", message.pk)
            message.status = OutboxMessage.Status.FAILED
            message.last_error = f"{type(error).__name__}: {error}"
            message.save(update_fields=["attempts", "status", "last_error"])
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True


def messages_resend() -> int:
    """Queue again the messages still waiting a while after they were written.

    Return how many were queued. The fresh ones are left to their own send task.
    """
    waiting = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.WAITING,
            created_at__lte=timezone.now() - RESEND_AFTER,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:RESEND_BATCH]
    )
    for message_id in waiting:
        if not task_send(task_name=SEND_TASK, kwargs={"message_id": message_id}):
            # The broker is still away; the next run tries them all again.
            break
    return len(waiting)
