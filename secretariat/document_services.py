"""Documents as background jobs: ask for a PDF, render it in a worker, reuse it.

Asking again for the same content (the same key, see `secretariat.documents`) returns
the stored file instead of rendering again.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Job
from alliance.services import JobError, job_enqueue, job_run
from members.models import User
from secretariat import documents
from secretariat.meetings.models import Meeting

RENDER_TASK = "secretariat.render_document"


def _stored_job(key: str) -> Job | None:
    job = (
        Job.objects.filter(content_key=key, state=Job.State.DONE)
        .exclude(result="")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if job is not None and default_storage.exists(job.result.name):
        return job
    return None


def document_request(
    *,
    name: str,
    meeting: Meeting,
    by: User,
    version_number: int | None = None,
    language: str = "fi",
) -> Job:
    """Ask for a document's PDF: the stored file for the same content, else a job.

    Returns at once; the job renders after commit, in a worker when there is one.
    """
    document = documents.document_build(
        name=name, meeting=meeting, version_number=version_number, language=language
    )
    key = document.content_key
    arguments = {
        "document": name,
        "meeting_id": meeting.pk,
        "version_number": version_number,
        "language": language,
    }
    with transaction.atomic():
        stored = _stored_job(key)
        if stored is not None:
            if stored.requested_by_id == by.pk:
                return stored
            # The same file, on a job row of the asker's own, so they may open it.
            now = timezone.now()
            return Job.objects.create(
                kind=f"{name}_pdf",
                task_name=RENDER_TASK,
                arguments=arguments,
                state=Job.State.DONE,
                result=stored.result.name,
                content_key=key,
                requested_by=by,
                started_at=now,
                finished_at=now,
            )
        pending = Job.objects.filter(
            content_key=key,
            requested_by=by,
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
        ).first()
        if pending is not None:
            return pending
        job = job_enqueue(
            kind=f"{name}_pdf",
            task_name=RENDER_TASK,
            arguments=arguments,
            requested_by=by,
        )
        job.content_key = key
        job.save(update_fields=["content_key"])
    return job


def document_job_run(
    *,
    job_id: int,
    document: str,
    meeting_id: int,
    version_number: int | None,
    language: str,
) -> Job | None:
    """Render a document job's PDF from the rows as they are now and store it."""

    def work(job: Job) -> ContentFile:
        meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
        if meeting is None:
            raise JobError(_("The meeting no longer exists."))
        built = documents.document_build(
            name=document,
            meeting=meeting,
            version_number=version_number,
            language=language,
        )
        key = built.content_key
        if job.content_key != key:
            # The rows changed after the request: the file is what they are now.
            Job.objects.filter(pk=job.pk).update(content_key=key)
            job.content_key = key
        return ContentFile(documents.document_render(built), name=built.filename)

    return job_run(job_id=job_id, work=work)


def document_pdf_bytes(document: documents.Document) -> bytes:
    """Return a document's PDF: the stored file of its content, or a fresh render."""
    stored = _stored_job(document.content_key)
    if stored is not None:
        with stored.result.open("rb") as file:
            return file.read()
    return documents.document_render(document)
