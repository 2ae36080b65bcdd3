"""E-mails about the cities' theme proposals, sent after the change is committed.

Each task takes the id of the recorded step or comment, sends one e-mail to each
recipient in the recipient's own language, and marks the row as notified, so that
running it again sends nothing.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from themes.proposals.models import ProposalComment, ProposalTransition, ThemeProposal
from themes.proposals.selectors import (
    proposal_city_recipients,
    proposal_secretariat_recipients,
)

logger = logging.getLogger(__name__)
Status = ThemeProposal.Status

# Which steps are told to whom, with which subject; other steps send nothing.
TRANSITION_MAIL = {
    Status.SUBMITTED: ("secretariat", _("Proposal submitted: %(title)s (%(city)s)")),
    Status.RETURNED: ("city", _("Proposal returned for revision: %(title)s")),
    Status.ACCEPTED: ("city", _("Proposal accepted: %(title)s")),
    Status.REJECTED: ("city", _("Proposal rejected: %(title)s")),
}
COMMENT_SUBJECT = _("New comment on the proposal: %(title)s")
RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def _recipients(side: str, proposal: ThemeProposal, exclude):
    if side == "secretariat":
        return list(proposal_secretariat_recipients(exclude=exclude))
    return list(proposal_city_recipients(city=proposal.city, exclude=exclude))


def _send(*, recipients, subject, template: str, context: dict) -> int:
    """Send one message to each recipient, each in the recipient's language."""
    proposal = context["proposal"]
    link = settings.SITE_URL + proposal.get_absolute_url()
    messages = []
    for user in recipients:
        with translation.override(user.language):
            text = str(subject) % {"title": proposal.title, "city": proposal.city.name}
            body = render_to_string(
                template, {**context, "recipient": user, "link": link}
            )
        messages.append(EmailMessage(" ".join(text.split()), body, None, [user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


@shared_task(name="themes.proposal_transition_notify", acks_late=True, **RETRY)
def proposal_transition_notify(*, transition_id: int) -> int:
    """Tell the other side about a step of a proposal; return how many were sent."""
    with transaction.atomic():
        record = (
            ProposalTransition.objects.select_for_update()
            .filter(pk=transition_id, notified_at__isnull=True)
            .first()
        )
        if record is None:
            return 0
        rule = TRANSITION_MAIL.get(record.to_status)
        sent = 0
        if rule is not None:
            side, subject = rule
            proposal = ThemeProposal.objects.select_related("city").get(
                pk=record.proposal_id
            )
            sent = _send(
                recipients=_recipients(side, proposal, exclude=record.by),
                subject=subject,
                template=f"theme_proposals/email/proposal_{record.to_status}.txt",
                context={"proposal": proposal, "step": record, "actor": record.by},
            )
        record.notified_at = timezone.now()
        record.save(update_fields=["notified_at"])
    logger.info("Proposal step %s: %s e-mails sent.", transition_id, sent)
    return sent


@shared_task(name="themes.proposal_comment_notify", acks_late=True, **RETRY)
def proposal_comment_notify(*, comment_id: int) -> int:
    """Tell the other side about a comment; return how many e-mails were sent."""
    with transaction.atomic():
        comment = (
            ProposalComment.objects.select_for_update()
            .filter(pk=comment_id, notified_at__isnull=True)
            .first()
        )
        if comment is None:
            return 0
        proposal = ThemeProposal.objects.select_related("city").get(
            pk=comment.proposal_id
        )
        other_side = (
            "city"
            if comment.side == ProposalComment.Side.SECRETARIAT
            else "secretariat"
        )
        sent = _send(
            recipients=_recipients(other_side, proposal, exclude=comment.author),
            subject=COMMENT_SUBJECT,
            template="theme_proposals/email/proposal_comment.txt",
            context={
                "proposal": proposal,
                "comment": comment,
                "actor": comment.author,
            },
        )
        comment.notified_at = timezone.now()
        comment.save(update_fields=["notified_at"])
    logger.info("Proposal comment %s: %s e-mails sent.", comment_id, sent)
    return sent
