"""Writes of the cities' theme proposals: drafts, the workflow, comments, attachments.

`proposal_transition` is the only function that changes a proposal's status. Every
write locks the proposal's row first, so that a status check and the change it allows
cannot be separated by someone else's change.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.history import save_tracked
from alliance.ordering import next_position
from alliance.permissions import require_rule
from alliance.uploads import (
    attachment_check,
    file_removed_on_failure,
    filename_shortened,
)
from members.models import Organisation, User
from members.permissions import can_act_for, is_secretariat
from themes.models import Measure, Theme
from themes.proposals import permissions, workflow
from themes.proposals.models import (
    EDITABLE_STATUSES,
    ProposalAttachment,
    ProposalComment,
    ProposalRound,
    ProposalTransition,
    ThemeProposal,
)
from themes.proposals.notifications import (
    proposal_comment_notify,
    proposal_transition_notify,
)
from themes.proposals.selectors import proposal_round_current, proposal_submissions_open

Status = ThemeProposal.Status
PROPOSAL_FIELDS = (
    "title",
    "rationale",
    "proposed_measures",
    "expected_impact",
    "theme",
)


class ProposalTransitionError(Exception):
    """A move that the workflow table does not have, or that the user may not make."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class MeasureDraft:
    """A measure to create when a proposal is accepted."""

    title: str
    description: str = ""


def _locked(proposal: ThemeProposal) -> ThemeProposal:
    return (
        ThemeProposal.objects.select_for_update()
        .select_related("city")
        .get(pk=proposal.pk)
    )


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown proposal fields: {sorted(unknown)}")


# Drafts


def proposal_create(
    *, city: Organisation, by: User, is_example: bool = False, **fields
) -> ThemeProposal:
    """Create a draft for `city`, written by `by`, who must act for the city."""
    _check_fields(fields)
    if city.kind != Organisation.Kind.CITY:
        raise ValidationError(
            {
                "city": ValidationError(
                    _("Only a city can make a theme proposal."), code="not_a_city"
                )
            }
        )
    if not can_act_for(by, city):
        raise PermissionDenied(_("You cannot make proposals for this city."))
    proposal = ThemeProposal(city=city, author=by, is_example=is_example, **fields)
    proposal.full_clean()
    with transaction.atomic():
        return save_tracked(proposal, by=by, token=None)


def proposal_update(
    *, proposal: ThemeProposal, by: User, token: str | None = None, **fields
) -> ThemeProposal:
    """Change a draft or a returned proposal of the user's own city.

    The row is read again under a lock, so that the workflow's own fields (status,
    decision) are never overwritten with what a form happened to load.
    """
    _check_fields(fields)
    with transaction.atomic():
        current = _locked(proposal)
        if not can_act_for(by, current.city):
            raise PermissionDenied(_("You cannot change this city's proposals."))
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _(
                    "The proposal has been sent to the secretariat and cannot be "
                    "changed until it is returned for revision."
                ),
                code="not_editable",
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        return save_tracked(current, by=by, token=token)


# The workflow


def _check_submissions_open(*, today: datetime.date) -> None:
    proposal_round = proposal_round_current()
    if not proposal_submissions_open(proposal_round=proposal_round, today=today):
        raise ValidationError(
            _(
                "Proposals can no longer be submitted: the closing date was "
                "%(date)s. Only the chair can reopen submissions."
            ),
            code="submissions_closed",
            params={
                "date": date_format(proposal_round.closing_date, "SHORT_DATE_FORMAT")
            },
        )


def _accept(
    proposal: ThemeProposal,
    *,
    by: User,
    theme: Theme | None = None,
    new_theme_title: str = "",
    new_theme_lead: Organisation | None = None,
    measures: Sequence[MeasureDraft] = (),
) -> Theme:
    """Link the proposal to an existing theme or a new one; create the measures."""
    new_theme_title = new_theme_title.strip()
    if theme is None and not new_theme_title:
        raise ValidationError(
            _("Choose an existing theme or give the title of a new theme."),
            code="theme_missing",
        )
    if theme is not None and new_theme_title:
        raise ValidationError(
            _("Choose either an existing theme or a new theme, not both."),
            code="theme_choice",
        )
    if theme is None:
        theme = Theme(
            title=new_theme_title,
            description=proposal.rationale,
            goals=proposal.expected_impact,
            status=Theme.Status.DRAFT,
            lead_organisation=new_theme_lead or proposal.city,
            order=next_position(Theme.objects.all()),
            is_example=proposal.is_example,
        )
        theme.full_clean()
        theme._history_user = by
        theme.save()
    first = next_position(theme.measures.all())
    for position, draft in enumerate(measures, start=first):
        measure = Measure(
            theme=theme,
            title=draft.title.strip(),
            description=draft.description.strip(),
            lead_organisation=proposal.city,
            status=Measure.Status.PLANNED,
            order=position,
            is_example=proposal.is_example,
        )
        measure.full_clean()
        measure._history_user = by
        measure.save()
    return theme


def proposal_transition(
    *,
    proposal: ThemeProposal,
    to_status: str,
    by: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
    notify: bool = True,
    **decision,
) -> ThemeProposal:
    """Move a proposal to `to_status`, if the table has the move and `by` may make it.

    Accepting takes the decision as keyword arguments: `theme` (an existing theme) or
    `new_theme_title` (and optionally `new_theme_lead`), and `measures`, a sequence of
    `MeasureDraft` to create in that theme. Returning and rejecting require a note.
    The step is recorded at `at` (now by default), and unless `notify` is false the
    e-mails are sent once the transaction commits. `by=None` is the system, which
    makes any move of the table. Return the proposal as saved.
    """
    note = (note or "").strip()
    with transaction.atomic():
        current = _locked(proposal)
        move = workflow.TRANSITIONS.find(source=current.status, target=to_status)
        if move is None:
            raise ProposalTransitionError(
                _("A proposal that is “%(status)s” cannot be moved to “%(target)s”.")
                % {
                    "status": current.get_status_display(),
                    "target": Status(to_status).label
                    if to_status in Status.values
                    else to_status,
                },
                code="not_in_table",
            )
        if not move.permits(user=by, obj=current):
            raise ProposalTransitionError(
                _("You are not allowed to do this with this proposal."),
                code="not_permitted",
            )
        if decision and not move.needs_form:
            raise TypeError(f"Only accepting takes a decision, not {sorted(decision)}")
        if move.note_required and not note:
            raise ValidationError(
                {
                    "note": ValidationError(
                        _("Write a note for the city: say why."), code="note_required"
                    )
                }
            )
        now = at or timezone.now()
        if move.name == "submit":
            _check_submissions_open(today=timezone.localdate(now))
        if move.target == Status.SUBMITTED:
            current.submitted_at = now
        if move.target in (Status.RETURNED, Status.REJECTED):
            current.decision_note = note
        if move.target == Status.ACCEPTED:
            current.resulting_theme = _accept(current, by=by, **decision)
            current.decision_note = note
        if move.name == "reopen":
            # The previous decision stays in the history and in the recorded steps.
            current.resulting_theme = None
            current.decision_note = ""
        from_status = current.status
        current.status = move.target
        current._history_user = by
        current.save()
        step = ProposalTransition.objects.create(
            proposal=current,
            from_status=from_status,
            to_status=move.target,
            by=by,
            at=now,
            note=note,
        )
        if notify:
            proposal_transition_notify(step=step)
    return current


# Comments


def proposal_comment_add(
    *, proposal: ThemeProposal, by: User, text: str
) -> ProposalComment:
    """Add a comment of the secretariat or of the proposing city; tell the other."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"text": ValidationError(_("Write a comment."), code="required")}
        )
    with transaction.atomic():
        current = _locked(proposal)
        if not permissions.can_comment_proposal(by, current):
            raise PermissionDenied(_("You cannot comment on this proposal."))
        side = (
            ProposalComment.Side.SECRETARIAT
            if is_secretariat(by)
            else ProposalComment.Side.CITY
        )
        comment = ProposalComment.objects.create(
            proposal=current, author=by, side=side, text=text
        )
        proposal_comment_notify(comment=comment)
    return comment


# Attachments


def proposal_attachment_add(
    *, proposal: ThemeProposal, upload, by: User
) -> ProposalAttachment:
    """Store a supporting file, checked by its content, under a random name."""
    kind = attachment_check(upload=upload)
    name_length = ProposalAttachment._meta.get_field("original_name").max_length
    name = filename_shortened(upload.name or "", max_length=name_length)
    attachment = ProposalAttachment(
        original_name=name or f"file.{kind.extension}",
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    with file_removed_on_failure(attachment.file), transaction.atomic():
        current = _locked(proposal)
        if not permissions.can_change_proposal(by, current):
            raise PermissionDenied(_("You cannot add files to this proposal."))
        attachment.proposal = current
        attachment.file.save(f"upload.{kind.extension}", upload, save=False)
        attachment._history_user = by
        attachment.save()
    return attachment


def proposal_attachment_delete(*, attachment: ProposalAttachment, by: User) -> None:
    """Remove a file from a proposal that the city may still change."""
    with transaction.atomic():
        current = _locked(attachment.proposal)
        if not permissions.can_change_proposal(by, current):
            raise PermissionDenied(_("You cannot remove files of this proposal."))
        storage, name = attachment.file.storage, attachment.file.name
        attachment._history_user = by
        attachment.delete()
        # The file goes only once the row is surely gone.
        transaction.on_commit(lambda: storage.delete(name))


# The submission settings


def proposal_round_update(
    *,
    proposal_round: ProposalRound,
    by: User,
    closing_date: datetime.date | None,
    token: str | None = None,
) -> ProposalRound:
    """Set the closing date of submissions (the secretariat)."""
    require_rule(
        by,
        permissions.can_set_proposal_closing_date,
        refusal=PermissionDenied(_("Only the secretariat sets the closing date.")),
    )
    with transaction.atomic():
        current = (
            ProposalRound.objects.select_for_update()
            .filter(pk=ProposalRound.SINGLETON_PK)
            .first()
        ) or ProposalRound(pk=ProposalRound.SINGLETON_PK)
        current.closing_date = closing_date
        return save_tracked(current, by=by, token=token)


def proposal_round_set_reopened(*, reopened: bool, by: User) -> ProposalRound:
    """Allow submissions after the closing date, or stop allowing them (the chair)."""
    require_rule(
        by,
        permissions.can_reopen_proposal_submissions,
        refusal=PermissionDenied(_("Only the chair can reopen submissions.")),
    )
    with transaction.atomic():
        current = (
            ProposalRound.objects.select_for_update()
            .filter(pk=ProposalRound.SINGLETON_PK)
            .first()
        ) or ProposalRound(pk=ProposalRound.SINGLETON_PK)
        if current.reopened != reopened or current._state.adding:
            current.reopened = reopened
            save_tracked(current, by=by, token=None)
    return current
