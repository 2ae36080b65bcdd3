"""The proposal as the versions tests need it: its text with the four task sections."""

from secretariat.models import Appointment, ModelProposal, ProposalSection
from secretariat.services import proposal_ensure

SECTIONS = [
    (ProposalSection.Kind.ORGANISATION, "Organisointi ja tavoitteet"),
    (ProposalSection.Kind.OPERATING_MODEL, "Teemat, toimenpiteet ja toimintamalli"),
    (ProposalSection.Kind.SCHEDULE, "Käynnistämisen ja toimeenpanon aikataulu"),
    (ProposalSection.Kind.MONITORING, "Toimeenpanon seuranta"),
]


def proposal_create(*, appointment: Appointment | None = None) -> ModelProposal:
    """The appointment's proposal (as bootstrap makes it), a text in each section."""
    appointment = appointment or Appointment.objects.get()
    proposal = proposal_ensure(appointment=appointment)
    ModelProposal.objects.filter(pk=proposal.pk).update(
        summary="Sihteeristö esittää **mallia**."
    )
    for order, (kind, title) in enumerate(SECTIONS, 1):
        proposal.sections.filter(kind=kind).update(
            title=title, body=f"Luvun {order} teksti: {title.lower()}.", order=order
        )
    proposal.refresh_from_db()
    return proposal
