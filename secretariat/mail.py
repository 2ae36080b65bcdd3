"""E-mail about meetings: the published agenda and the daily reminders.

Each message goes to one recipient, in their language, through the outbox. Its key
names what it is about (and for a reminder, the day), so that a redelivered task or a
second run on the same day queues nothing twice.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation

from alliance.outbox import Attachment, message_enqueue_rendered, message_keys_queued
from members.selectors import secretariat_users_with_email
from secretariat import documents
from secretariat.document_services import document_pdf_bytes
from secretariat.meetings import ical
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import ActionItem, AgendaVersion
from themes.models import Milestone

logger = logging.getLogger(__name__)


def agenda_send(*, version_id: int) -> int:
    """Queue a published agenda (PDF and .ics) for every invitee with an address.

    Return how many messages were queued; those queued by an earlier run are not.
    """
    version = (
        AgendaVersion.objects.select_related("meeting__body")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        logger.warning("Agenda version %s no longer exists; nothing sent.", version_id)
        return 0
    meeting = version.meeting
    recipients = {
        f"agenda_version:{version.pk}:{recipient.address}": recipient
        for recipient in meeting_selectors.meeting_distribution(meeting=meeting)
        if recipient.has_address
    }
    queued = message_keys_queued(keys=recipients)
    revision = meeting_selectors.agenda_revision(version=version)
    pdfs: dict[str, Attachment] = {}
    messages = []
    for key, recipient in recipients.items():
        if key in queued:
            continue
        language = recipient.language
        with translation.override(language):
            if language not in pdfs:
                document = documents.agenda_document(
                    meeting=meeting, version_number=version.number, language=language
                )
                pdfs[language] = Attachment(
                    document.filename, document_pdf_bytes(document), "application/pdf"
                )
            context = {
                "meeting": meeting,
                "version": version,
                "revision": revision,
                "recipient": recipient,
                "time": documents.meeting_time_text(meeting.starts_at, meeting.ends_at),
                "url": settings.SITE_URL + meeting.get_absolute_url(),
            }
            if revision is not None and revision.time_changed:
                context["previous_time"] = documents.meeting_time_text(
                    revision.previous_starts_at, revision.previous_ends_at
                )
            data, content_type = ical.meeting_mail_calendar(
                meeting=meeting, method=ical.PUBLISH
            )
            calendar = Attachment(ical.meeting_file_name(meeting), data, content_type)
            messages.append(
                {
                    "key": key,
                    "recipient": recipient.address,
                    "language": language,
                    "templates": "secretariat/email/agenda",
                    "context": context,
                    "attachments": [pdfs[language], calendar],
                }
            )
    # The documents are rendered first, so that the transaction stays short.
    with transaction.atomic():
        for message in messages:
            message_enqueue_rendered(**message)
    return len(messages)


def reminders_send(*, today: date) -> dict[str, int]:
    """Remind owners of action items due within a week and, once, of those overdue
    since yesterday; remind the secretariat of milestones due within a week that are
    not done. At most once a day each."""
    counts = {"action_items": 0, "overdue_action_items": 0, "milestones": 0}
    action_items = {
        f"action_item:{item.pk}:{address}:{today.isoformat()}": (
            address,
            language,
            item,
        )
        for address, language, item in _owners_with_address(
            meeting_selectors.action_items_due(today=today)
        )
    }
    # No day in the key: an overdue item is reminded of once, whenever the task ran.
    overdue = {
        f"action_item_overdue:{item.pk}:{address}": (address, language, item)
        for address, language, item in _owners_with_address(
            meeting_selectors.action_items_overdue_for_reminder(today=today)
        )
    }
    milestones = list(
        Milestone.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=7),
        )
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")
    )
    # One digest a day: milestones added later that day wait for tomorrow.
    digests = (
        {
            f"milestones_due:{user.email}:{today.isoformat()}": user
            for user in secretariat_users_with_email()
        }
        if milestones
        else {}
    )
    with transaction.atomic():
        queued = message_keys_queued(keys=[*action_items, *overdue, *digests])
        for kind, templates, items in (
            ("action_items", "secretariat/email/action_item_reminder", action_items),
            (
                "overdue_action_items",
                "secretariat/email/action_item_overdue",
                overdue,
            ),
        ):
            for key, (address, language, item) in items.items():
                if key in queued:
                    continue
                message_enqueue_rendered(
                    key=key,
                    recipient=address,
                    language=language,
                    templates=templates,
                    context={"item": item, "today": today, "url": _url(item)},
                )
                counts[kind] += 1
        for key, user in digests.items():
            if key in queued:
                continue
            message_enqueue_rendered(
                key=key,
                recipient=user.email,
                language=user.language,
                templates="secretariat/email/milestone_reminder",
                context={"milestones": milestones, "today": today, "user": user},
            )
            counts["milestones"] += 1
    return counts


def _owners_with_address(items) -> list[tuple[str, str, ActionItem]]:
    """Return each item with its owner's address and language; warn of the others."""
    found = []
    for item in items.select_related("owner__person__user"):
        recipient = meeting_selectors.recipient_for(item.owner)
        if recipient.has_address:
            found.append((recipient.address, recipient.language, item))
        else:
            logger.warning("Action item %s has no address for its owner.", item.pk)
    return found


def _url(item) -> str:
    return settings.SITE_URL + item.get_absolute_url()
