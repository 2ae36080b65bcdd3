"""The proposal's drafts and final versions, and the jobs that print them.

A draft is a job that prints a snapshot taken when it was asked for; anyone of the
secretariat may ask at any time. A final version is the chair's: it freezes the
snapshot in a numbered `ModelProposalVersion` and queues one job per format, each of
which prints from that snapshot only and writes one `ModelProposalFile` once.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Job
from alliance.permissions import require_rule
from alliance.services import JobError, job_enqueue, job_retry, job_run
from secretariat.models import ModelProposal, ModelProposalFile, ModelProposalVersion
from secretariat.permissions import can_make_final_proposal, can_make_proposal_draft
from secretariat.proposal_snapshot import snapshot_build, snapshots_equal

FORMATS = (ModelProposalFile.Format.PDF, ModelProposalFile.Format.DOCX)
DRAFT_TASK = "secretariat.proposal_draft"
FILE_TASK = "secretariat.proposal_version_file"
DRAFT_KINDS = {format: f"proposal_draft_{format}" for format in FORMATS}
FILE_KINDS = {format: f"proposal_final_{format}" for format in FORMATS}
FILE_STEM = "esitys-yhteistyomallista"


def _format_checked(format: str) -> str:
    if format not in FORMATS:
        raise ValidationError(_("Unknown file format."), code="format")
    return format


def proposal_render(snapshot: dict, format: str) -> bytes:
    """Print a snapshot as a PDF or a Word file."""
    if format == ModelProposalFile.Format.PDF:
        from secretariat.proposal_pdf import proposal_pdf

        return proposal_pdf(snapshot)
    if format == ModelProposalFile.Format.DOCX:
        from secretariat.proposal_word import proposal_docx

        return proposal_docx(snapshot)
    raise JobError(_("Unknown file format."))


def proposal_draft_request(
    *, proposal: ModelProposal, format: str, by, language: str = "fi"
) -> Job:
    """Queue a draft (LUONNOS) of the proposal as it is now, in one format.

    The snapshot is taken now and travels in the job's arguments, so the draft
    shows what was there when it was asked for.
    """
    require_rule(by, can_make_proposal_draft)
    format = _format_checked(format)
    snapshot = snapshot_build(
        proposal=proposal,
        language=language,
        draft=True,
        number=None,
        made_by=by,
        at=timezone.now(),
    )
    return job_enqueue(
        kind=DRAFT_KINDS[format],
        task_name=DRAFT_TASK,
        arguments={"format": format, "snapshot": snapshot},
        requested_by=by,
    )


def proposal_draft_job_run(*, job_id: int, format: str, snapshot: dict) -> Job | None:
    def work(job: Job) -> ContentFile:
        data = proposal_render(snapshot, _format_checked(format))
        day = snapshot["version"]["date"].replace(".", "-")
        return ContentFile(data, name=f"{FILE_STEM}-luonnos-{day}.{format}")

    return job_run(job_id=job_id, work=work)


def proposal_final_make(
    *, proposal: ModelProposal, by, at=None
) -> ModelProposalVersion:
    """Freeze the proposal as the next numbered final version and print its files.

    Only the chair; refused when nothing changed since the previous version.
    """
    require_rule(by, can_make_final_proposal)
    if by is None:
        raise ValueError("A final version names the chair who made it.")
    at = at or timezone.now()
    with transaction.atomic():
        proposal = ModelProposal.objects.select_for_update().get(pk=proposal.pk)
        previous = (
            ModelProposalVersion.objects.filter(proposal=proposal)
            .order_by("-number")
            .first()
        )
        number = previous.number + 1 if previous else 1
        snapshot = snapshot_build(
            proposal=proposal, draft=False, number=number, made_by=by, at=at
        )
        if previous is not None and snapshots_equal(previous.snapshot, snapshot):
            raise ValidationError(
                _(
                    "Nothing has changed since version %(number)s, so no new "
                    "version was made."
                )
                % {"number": previous.number},
                code="unchanged",
            )
        version = ModelProposalVersion.objects.create(
            proposal=proposal,
            number=number,
            snapshot=snapshot,
            created_by=by,
            created_at=at,
        )
        for format in FORMATS:
            job_enqueue(
                kind=FILE_KINDS[format],
                task_name=FILE_TASK,
                arguments={"version_id": version.pk, "format": format},
                requested_by=by,
            )
    return version


def proposal_file_write(*, version: ModelProposalVersion, format: str):
    """Print a version's file from its snapshot and store it once.

    A file that exists is left alone; the storage never overwrites a name.
    """
    format = _format_checked(format)
    existing = ModelProposalFile.objects.filter(version=version, format=format).first()
    if existing is not None:
        return existing
    data = proposal_render(version.snapshot, format)
    row = ModelProposalFile(
        version=version,
        format=format,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created_at=timezone.now(),
    )
    row.file.save(
        f"{FILE_STEM}-v{version.number}.{format}", ContentFile(data), save=False
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # Another run of the same job wrote it first: keep theirs.
        row.file.storage.delete(row.file.name)
        return ModelProposalFile.objects.get(version=version, format=format)
    return row


def proposal_file_job_run(*, job_id: int, version_id: int, format: str) -> Job | None:
    def work(job: Job) -> None:
        version = ModelProposalVersion.objects.filter(pk=version_id).first()
        if version is None:
            raise JobError(_("The version no longer exists."))
        proposal_file_write(version=version, format=format)

    return job_run(job_id=job_id, work=work)


def proposal_file_retry(*, job: Job, by) -> Job:
    """Print a failed file of a final version again, from the same snapshot."""
    require_rule(by, can_make_final_proposal)
    if job.task_name != FILE_TASK:
        raise JobError(_("That is not a job of a proposal version."))
    return job_retry(job=job)
