"""E-mails about the cities' theme proposals, queued with the step or the comment.

Each recipient gets one message in their own language, written to the outbox in the
transaction that records the step or the comment: no step, no message.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from alliance.outbox import message_enqueue
from members.models import User
from members.selectors import secretariat_users_with_email
from themes.proposals.models import ProposalComment, ProposalTransition, ThemeProposal
from themes.proposals.selectors import proposal_city_recipients

Status = ThemeProposal.Status

# Which steps are told to whom, with which subject; other steps send nothing.
TRANSITION_MAIL = {
    Status.SUBMITTED: ("secretariat", _("Proposal submitted: %(title)s (%(city)s)")),
    Status.RETURNED: ("city", _("Proposal returned for revision: %(title)s")),
    Status.ACCEPTED: ("city", _("Proposal accepted: %(title)s")),
    Status.REJECTED: ("city", _("Proposal rejected: %(title)s")),
}
COMMENT_SUBJECT = _("New comment on the proposal: %(title)s")


def _recipients(side: str, proposal: ThemeProposal, exclude: User | None) -> list[User]:
    if side == "city":
        return list(proposal_city_recipients(city=proposal.city, exclude=exclude))
    users = secretariat_users_with_email()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def _enqueue(*, key: str, recipients, subject, template: str, context: dict) -> None:
    proposal = context["proposal"]
    link = settings.SITE_URL + proposal.get_absolute_url()
    for user in recipients:
        with translation.override(user.language):
            text = str(subject) % {"title": proposal.title, "city": proposal.city.name}
            body = render_to_string(
                template, {**context, "recipient": user, "link": link}
            )
        message_enqueue(
            key=f"{key}:user:{user.pk}",
            recipient=user.email,
            subject=text,
            body=body,
            language=user.language,
        )


def proposal_transition_notify(*, step: ProposalTransition) -> None:
    """Queue the e-mails that tell the other side about a step of a proposal."""
    rule = TRANSITION_MAIL.get(step.to_status)
    if rule is None:
        return
    side, subject = rule
    proposal = step.proposal
    _enqueue(
        key=f"proposal_transition:{step.pk}",
        recipients=_recipients(side, proposal, exclude=step.by),
        subject=subject,
        template=f"theme_proposals/email/proposal_{step.to_status}.txt",
        context={"proposal": proposal, "step": step, "actor": step.by},
    )


def proposal_comment_notify(*, comment: ProposalComment) -> None:
    """Queue the e-mails that tell the other side about a comment on a proposal."""
    proposal = comment.proposal
    other_side = (
        "city" if comment.side == ProposalComment.Side.SECRETARIAT else "secretariat"
    )
    _enqueue(
        key=f"proposal_comment:{comment.pk}",
        recipients=_recipients(other_side, proposal, exclude=comment.author),
        subject=COMMENT_SUBJECT,
        template="theme_proposals/email/proposal_comment.txt",
        context={"proposal": proposal, "comment": comment, "actor": comment.author},
    )
