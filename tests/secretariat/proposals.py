"""The proposal as the versions tests need it: its text with the four task sections."""

from secretariat.models import Appointment, ModelProposal, ProposalSection

SECTIONS = [
    (ProposalSection.Kind.ORGANISATION, "Organisointi ja tavoitteet"),
    (ProposalSection.Kind.OPERATING_MODEL, "Teemat, toimenpiteet ja toimintamalli"),
    (ProposalSection.Kind.SCHEDULE, "Käynnistämisen ja toimeenpanon aikataulu"),
    (ProposalSection.Kind.MONITORING, "Toimeenpanon seuranta"),
]


def proposal_create(*, appointment: Appointment | None = None) -> ModelProposal:
    """The proposal of the appointment, with a text in each task section."""
    appointment = appointment or Appointment.objects.get()
    proposal = ModelProposal.objects.create(
        appointment=appointment, summary="Sihteeristö esittää **mallia**."
    )
    for order, (kind, title) in enumerate(SECTIONS, 1):
        ProposalSection.objects.create(
            proposal=proposal,
            kind=kind,
            title=title,
            body=f"Luvun {order} teksti: {title.lower()}.",
            order=order,
        )
    return proposal
