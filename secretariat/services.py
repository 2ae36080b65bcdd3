"""Writes of the secretariat app: the appointment decision, its tasks and the
proposal's text."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.history import save_tracked
from alliance.models import Publicity
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from alliance.services import JobError
from members.models import User
from secretariat.document_services import document_request
from secretariat.models import (
    PROPOSAL_TEXT_MAX_LENGTH,
    Appointment,
    AppointmentTask,
    ModelProposal,
    ProposalSection,
)
from secretariat.permissions import (
    can_edit_appointment,
    can_edit_proposal,
    can_set_publicity,
)

# Editing in the browser: each write records who and when and refuses a save made on a
# version someone else has changed meanwhile.


def appointment_save(
    *, appointment: Appointment, by: User, token: str | None = None
) -> Appointment:
    require_rule(by, can_edit_appointment)
    with transaction.atomic():
        appointment.full_clean()
        return save_tracked(appointment, by=by, token=token)


def appointment_task_save(
    *, task: AppointmentTask, by: User, token: str | None = None
) -> AppointmentTask:
    require_rule(by, can_edit_appointment)
    with transaction.atomic():
        task.full_clean()
        return save_tracked(task, by=by, token=token)


# The proposal for the cooperation model: its own text, written in the browser.

# The sections the decision's tasks 1–3 ask for, in the document's order, with the
# Finnish titles they start with (the document is written in Finnish).
PROPOSAL_TASK_SECTIONS = [
    (ProposalSection.Kind.ORGANISATION, "Organisaatio ja tavoitteet"),
    (ProposalSection.Kind.OPERATING_MODEL, "Teemat, toimenpiteet ja toimintamalli"),
    (ProposalSection.Kind.SCHEDULE, "Käynnistämisen ja toimeenpanon aikataulu"),
    (ProposalSection.Kind.MONITORING, "Toimeenpanon seuranta"),
]


def proposal_text_check(text: str) -> None:
    """Refuse a text longer than a section may be."""
    if len(text or "") > PROPOSAL_TEXT_MAX_LENGTH:
        raise ValidationError(
            _("The text is too long: at most %(limit)s characters."),
            code="too_long",
            params={"limit": PROPOSAL_TEXT_MAX_LENGTH},
        )


def proposal_ensure(*, appointment: Appointment) -> ModelProposal:
    """Return the appointment's proposal, made with its task sections if missing.

    Idempotent: an existing proposal and its sections are left as they are (their
    titles and texts are the secretariat's), and only a missing task section is
    added, at the end. Written as the system.
    """
    with transaction.atomic():
        proposal = ModelProposal.objects.filter(appointment=appointment).first()
        if proposal is None:
            proposal = save_tracked(
                ModelProposal(appointment=appointment), by=None, token=None
            )
        else:
            proposal = ModelProposal.objects.select_for_update().get(pk=proposal.pk)
        present = set(
            proposal.sections.exclude(kind=ProposalSection.Kind.OWN).values_list(
                "kind", flat=True
            )
        )
        for kind, title in PROPOSAL_TASK_SECTIONS:
            if kind in present:
                continue
            section = ProposalSection(
                proposal=proposal,
                kind=kind,
                title=title,
                order=next_position(proposal.sections.all()),
            )
            section.full_clean()
            save_tracked(section, by=None, token=None)
    return proposal


def proposal_save(
    *, proposal: ModelProposal, by: User | None, token: str | None = None
) -> ModelProposal:
    """Save the proposal's title and summaries."""
    require_rule(by, can_edit_proposal)
    with transaction.atomic():
        proposal.full_clean()
        for text in (proposal.summary, proposal.summary_sv):
            proposal_text_check(text)
        return save_tracked(proposal, by=by, token=token)


def section_save(
    *, section: ProposalSection, by: User | None, token: str | None = None
) -> ProposalSection:
    """Save a section's title and text.

    A person's save makes the text the secretariat's own: only the system (the demo
    data) writes example content.
    """
    require_rule(by, can_edit_proposal)
    with transaction.atomic():
        if by is not None:
            section.is_example = False
        section.full_clean()
        proposal_text_check(section.body)
        return save_tracked(section, by=by, token=token)


def section_add(
    *, proposal: ModelProposal, title: str, body: str = "", by: User | None
) -> ProposalSection:
    """Add a section of the secretariat's own after the others."""
    require_rule(by, can_edit_proposal)
    with transaction.atomic():
        # Locked, so that two sections added at once do not take the same place.
        proposal = ModelProposal.objects.select_for_update().get(pk=proposal.pk)
        section = ProposalSection(
            proposal=proposal,
            kind=ProposalSection.Kind.OWN,
            title=title,
            body=body,
            order=next_position(proposal.sections.all()),
        )
        section.full_clean()
        proposal_text_check(section.body)
        return save_tracked(section, by=by, token=None)


def section_remove(*, section: ProposalSection, by: User | None) -> None:
    """Remove a section the secretariat added; the task sections stay."""
    require_rule(by, can_edit_proposal)
    if section.kind != ProposalSection.Kind.OWN:
        raise ValidationError(
            _(
                "“%(title)s” is a section that the appointment decision's tasks ask "
                "for; it cannot be removed."
            ),
            code="task_section",
            params={"title": section.title},
        )
    with transaction.atomic():
        section._history_user = by
        section.delete()


def section_move(*, section: ProposalSection, direction: str, by: User | None) -> None:
    """Move a section up or down among the proposal's sections."""
    require_rule(by, can_edit_proposal)
    move_in_order(
        section,
        siblings=ProposalSection.objects.filter(proposal_id=section.proposal_id),
        direction=direction,
        by=by,
    )


# Publicity of documents (Act 621/1999): the secretariat decides each one.

# The meetings' documents are PDFs made on request; once public, both languages are
# made, so that the public page has a file to hand out.
_MEETING_DOCUMENTS = {"agenda_version": "agenda", "minutes": "minutes"}


def document_publicity_save(
    *, publicity: Publicity, kind: str, document, by: User | None, token: str | None
) -> Publicity:
    """Record whether `document` is public, with who and when in its history."""
    require_rule(by, can_set_publicity)
    with transaction.atomic():
        publicity.full_clean()
        saved = save_tracked(publicity, by=by, token=token)
        if (
            by is not None
            and kind in _MEETING_DOCUMENTS
            and saved.is_public_on(timezone.localdate())
        ):
            _meeting_document_render(kind=kind, document=document, by=by)
    return saved


def _meeting_document_render(*, kind: str, document, by: User) -> None:
    meeting = document.meeting if kind == "agenda_version" else document
    version = document.number if kind == "agenda_version" else None
    for language in ("fi", "sv"):
        try:
            document_request(
                name=_MEETING_DOCUMENTS[kind],
                meeting=meeting,
                by=by,
                version_number=version,
                language=language,
            )
        except JobError:
            # A document that cannot be made yet (no items) is simply not offered.
            continue
