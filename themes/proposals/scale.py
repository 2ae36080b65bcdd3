"""Synthetic theme proposals with comments and small attachments."""

from datetime import timedelta

from django.core.files.base import ContentFile

from alliance.scale import SYNTHETIC, ScaleContext, created_with_history
from alliance.uploads import PDF
from members.models import Organisation
from themes.models import Theme
from themes.proposals.models import ProposalAttachment, ProposalComment, ThemeProposal

PROPOSALS = 300
COMMENTS_PER_PROPOSAL = 4
ATTACHMENTS_PER_PROPOSAL = 2


def proposals_generate(*, context: ScaleContext, themes: list[Theme]) -> dict[str, int]:
    """Add proposals from the cities, each with comments and attachments."""
    rng = context.rng
    Status = ThemeProposal.Status
    cities = list(
        Organisation.objects.filter(kind=Organisation.Kind.CITY).order_by("slug")
    )
    total = context.count(PROPOSALS)
    proposals = []
    for n in range(total):
        status = rng.choice(Status.values)
        submitted = context.moment(context.day(n, total))
        proposals.append(
            ThemeProposal(
                city=rng.choice(cities),
                author=context.user,
                title=f"{SYNTHETIC} Proposal {n + 1}",
                rationale=f"{SYNTHETIC} Why this theme matters, version {n + 1}.",
                proposed_measures=f"{SYNTHETIC} Measures proposed.",
                expected_impact=f"{SYNTHETIC} The impact expected.",
                status=status,
                resulting_theme=themes[n % len(themes)]
                if status == Status.ACCEPTED
                else None,
                decision_note=f"{SYNTHETIC} Decided."
                if status in {Status.ACCEPTED, Status.REJECTED}
                else "",
                submitted_at=None if status == Status.DRAFT else submitted,
            )
        )
    proposals = created_with_history(
        ThemeProposal, proposals, context=context, at=context.moment(context.day(0, 1))
    )
    comments = ProposalComment.objects.bulk_create(
        [
            ProposalComment(
                proposal=proposal,
                author=context.user,
                side=ProposalComment.Side.values[k % 2],
                text=f"{SYNTHETIC} Comment {k + 1} on proposal {n + 1}.",
            )
            for n, proposal in enumerate(proposals)
            for k in range(COMMENTS_PER_PROPOSAL)
        ]
    )
    attachments = []
    for n, proposal in enumerate(proposals):
        for k in range(ATTACHMENTS_PER_PROPOSAL):
            content = (
                b"%PDF-1.4\n% " + f"{SYNTHETIC} {n + 1}.{k + 1}".encode() + b"\n%%EOF\n"
            )
            attachment = ProposalAttachment(
                proposal=proposal,
                original_name=f"synthetic-{n + 1}-{k + 1}.pdf",
                content_type=PDF.content_type,
                size=len(content),
                uploaded_by=context.user,
            )
            # Through the storage, as an upload is stored, under the field's own path.
            attachment.file.save(
                attachment.original_name, ContentFile(content), save=False
            )
            attachments.append(attachment)
    attachments = created_with_history(
        ProposalAttachment,
        attachments,
        context=context,
        at=context.moment(context.day(0, 1)) + timedelta(hours=1),
    )
    return {
        "proposals": len(proposals),
        "proposal comments": len(comments),
        "proposal attachments": len(attachments),
    }
