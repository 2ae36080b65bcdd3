"""E-mail about meetings: the published agenda and the daily reminders.

Each message goes to one recipient, in their language, and is recorded as a
`SentMail` in the same transaction as it is sent: a message already recorded is not
sent again (a redelivered task, a second run on the same day), and a message that fails
to send leaves no record, so the next run tries again.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.models import User
from members.permissions import ROLE_CHAIR, ROLE_STAFF
from secretariat import documents
from secretariat.document_services import document_pdf_bytes
from secretariat.meetings import ical
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import AgendaVersion
from secretariat.models import SentMail
from themes.models import Milestone

logger = logging.getLogger(__name__)


def _subject(template: str, context: dict) -> str:
    return " ".join(render_to_string(template, context).split())


def _send_once(*, topic: str, recipient: str, day: date, message, once_ever=False):
    """Send `message` unless it was already sent (that day, or ever); return sent."""
    sent = SentMail.objects.filter(topic=topic, recipient=recipient)
    if not once_ever:
        sent = sent.filter(sent_on=day)
    if sent.exists():
        return False
    try:
        with transaction.atomic():
            SentMail.objects.create(topic=topic, recipient=recipient, sent_on=day)
            message.send()
    except IntegrityError:
        # Another run recorded the same message meanwhile.
        return False
    return True


def agenda_send(*, version_id: int) -> int:
    """E-mail a published agenda (PDF and .ics) to every invitee with an address."""
    version = (
        AgendaVersion.objects.select_related("meeting__body")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        logger.warning("Agenda version %s no longer exists; nothing sent.", version_id)
        return 0
    meeting = version.meeting
    today = timezone.localdate()
    pdfs: dict[str, tuple[str, bytes]] = {}
    sent = 0
    for recipient in meeting_selectors.meeting_distribution(meeting=meeting):
        if not recipient.has_address:
            continue
        language = recipient.language
        with translation.override(language):
            if language not in pdfs:
                document = documents.agenda_document(
                    meeting=meeting, version_number=version.number, language=language
                )
                pdfs[language] = (document.filename, document_pdf_bytes(document))
            filename, pdf = pdfs[language]
            context = {
                "meeting": meeting,
                "version": version,
                "recipient": recipient,
                "time": documents.meeting_time_text(meeting.starts_at, meeting.ends_at),
                "url": settings.SITE_URL + meeting.get_absolute_url(),
            }
            message = EmailMessage(
                subject=_subject("secretariat/email/agenda_subject.txt", context),
                body=render_to_string("secretariat/email/agenda_body.txt", context),
                to=[recipient.address],
            )
            message.attach(filename, pdf, "application/pdf")
            message.attach(
                "kokous.ics",
                ical.calendar_bytes(
                    events=[ical.meeting_event(meeting=meeting)],
                    name=str(meeting),
                    method="PUBLISH",
                ),
                "text/calendar",
            )
        sent += _send_once(
            topic=f"agenda_version:{version.pk}",
            recipient=recipient.address,
            day=today,
            message=message,
            once_ever=True,
        )
    return sent


def _secretariat_users():
    return (
        User.objects.filter(is_active=True, groups__name__in=[ROLE_CHAIR, ROLE_STAFF])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def reminders_send(*, today: date) -> dict[str, int]:
    """Remind owners of action items due within a week, and the secretariat of
    milestones due within a week that are not done. At most once a day each."""
    counts = {"action_items": 0, "milestones": 0}
    by_address: dict[tuple[str, str], list] = defaultdict(list)
    for item in meeting_selectors.action_items_due(today=today).select_related(
        "owner__person__user"
    ):
        recipient = meeting_selectors.recipient_for(item.owner)
        if recipient.has_address:
            by_address[(recipient.address, recipient.language)].append(item)
        else:
            logger.warning("Action item %s has no address for its owner.", item.pk)
    for (address, language), items in by_address.items():
        for item in items:
            with translation.override(language):
                context = {"item": item, "today": today, "url": _url(item)}
                message = EmailMessage(
                    subject=_subject(
                        "secretariat/email/action_item_reminder_subject.txt", context
                    ),
                    body=render_to_string(
                        "secretariat/email/action_item_reminder_body.txt", context
                    ),
                    to=[address],
                )
            counts["action_items"] += _send_once(
                topic=f"action_item:{item.pk}",
                recipient=address,
                day=today,
                message=message,
            )

    milestones = list(
        Milestone.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=7),
        )
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")
    )
    if milestones:
        for user in _secretariat_users():
            with translation.override(user.language):
                context = {"milestones": milestones, "today": today, "user": user}
                message = EmailMessage(
                    subject=_subject(
                        "secretariat/email/milestone_reminder_subject.txt", context
                    ),
                    body=render_to_string(
                        "secretariat/email/milestone_reminder_body.txt", context
                    ),
                    to=[user.email],
                )
            # One digest a day: milestones added later that day wait for tomorrow.
            counts["milestones"] += _send_once(
                topic="milestones_due", recipient=user.email, day=today, message=message
            )
    return counts


def _url(item) -> str:
    return settings.SITE_URL + item.get_absolute_url()
