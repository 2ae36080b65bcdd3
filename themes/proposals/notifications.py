"""E-mails about the cities' theme proposals, queued with the step or the comment.

Each recipient gets one message in their own language, written to the outbox in the
transaction that records the step or the comment: no step, no message.
"""

from django.conf import settings

from alliance.outbox import message_enqueue_rendered
from members.models import User
from members.selectors import secretariat_users_with_email
from themes.proposals.models import ProposalComment, ProposalTransition, ThemeProposal
from themes.proposals.selectors import proposal_city_recipients

Status = ThemeProposal.Status

# Which steps are told to whom (templates theme_proposals/email/proposal_<status>_*);
# other steps send nothing.
TRANSITION_MAIL = {
    Status.SUBMITTED: "secretariat",
    Status.RETURNED: "city",
    Status.ACCEPTED: "city",
    Status.REJECTED: "city",
}


def _recipients(side: str, proposal: ThemeProposal, exclude: User | None) -> list[User]:
    if side == "city":
        return list(proposal_city_recipients(city=proposal.city, exclude=exclude))
    users = secretariat_users_with_email()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def _enqueue(*, key: str, recipients, templates: str, context: dict) -> None:
    proposal = context["proposal"]
    link = settings.SITE_URL + proposal.get_absolute_url()
    for user in recipients:
        message_enqueue_rendered(
            key=f"{key}:user:{user.pk}",
            recipient=user.email,
            language=user.language,
            templates=templates,
            context={**context, "recipient": user, "link": link},
        )


def proposal_transition_notify(*, step: ProposalTransition) -> None:
    """Queue the e-mails that tell the other side about a step of a proposal."""
    side = TRANSITION_MAIL.get(step.to_status)
    if side is None:
        return
    proposal = step.proposal
    _enqueue(
        key=f"proposal_transition:{step.pk}",
        recipients=_recipients(side, proposal, exclude=step.by),
        templates=f"theme_proposals/email/proposal_{step.to_status}",
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
        templates="theme_proposals/email/proposal_comment",
        context={"proposal": proposal, "comment": comment, "actor": comment.author},
    )
