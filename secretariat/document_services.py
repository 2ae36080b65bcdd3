"""Documents as background jobs: ask for a PDF, render it in a worker, reuse it.

Asking again for the same content (the same key, see `secretariat.documents`) returns
the stored file instead of rendering again.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Job
from alliance.permissions import require_rule
from alliance.services import JobError, job_enqueue, job_retry, job_run
from members.models import Organisation, User
from secretariat import documents, progress_report
from secretariat.meetings.models import Meeting
from secretariat.permissions import can_request_progress_report
from themes.models import Theme

RENDER_TASK = "secretariat.render_document"
PROGRESS_REPORT_TASK = "secretariat.render_progress_report"
PROGRESS_REPORT_KIND = "progress_report"


def stored_job(key: str) -> Job | None:
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
        stored = stored_job(key)
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
                result_name=stored.result_name,
                content_key=key,
                requested_by=by,
                started_at=now,
                finished_at=now,
            )
        pending = Job.objects.filter(
            content_key=key,
            requested_by=by,
            state__in=[Job.State.QUEUED, Job.State.UNSENT, Job.State.RUNNING],
        ).first()
        if pending is not None:
            if pending.is_retryable:
                # It never reached a worker, or its worker died: asking again sends it.
                return job_retry(job=pending)
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
    stored = stored_job(document.content_key)
    if stored is not None:
        with stored.result.open("rb") as file:
            return file.read()
    return documents.document_render(document)


# The progress report


def progress_report_request(
    *,
    by: User,
    scope: str,
    period: progress_report.ReportPeriod,
    theme: Theme | None = None,
    city: Organisation | None = None,
    foreword: str = "",
    language: str = "fi",
) -> Job:
    """Ask for a progress report: a job that renders it after commit.

    The job row, with the scope, period, foreword and language as its arguments, is
    the report's record: the list of reports made is the list of these rows.
    """
    require_rule(by, can_request_progress_report)
    if scope not in progress_report.Scope.CHOICES:
        raise JobError(_("Unknown scope."))
    if (scope == progress_report.Scope.THEME) != (theme is not None):
        raise JobError(_("Choose the theme of the report."))
    if (scope == progress_report.Scope.CITY) != (city is not None):
        raise JobError(_("Choose the city of the report."))
    return job_enqueue(
        kind=PROGRESS_REPORT_KIND,
        task_name=PROGRESS_REPORT_TASK,
        arguments={
            "scope": scope,
            "theme_id": theme.pk if theme else None,
            "city_id": city.pk if city else None,
            "period": period.label,
            "foreword": foreword[: progress_report.FOREWORD_MAX_LENGTH],
            "language": language,
        },
        requested_by=by,
    )


def progress_report_job_run(
    *,
    job_id: int,
    scope: str,
    theme_id: int | None,
    city_id: int | None,
    period: str,
    foreword: str,
    language: str,
) -> Job | None:
    """Render a progress report job's PDF from the data as it is now, and store it."""

    def work(job: Job) -> ContentFile:
        try:
            report_period = progress_report.report_period(period)
        except ValidationError:
            raise JobError(_("The period is not valid.")) from None
        built = progress_report.progress_report_document(
            scope=progress_report.report_scope(
                kind=scope, theme_id=theme_id, city_id=city_id
            ),
            period=report_period,
            foreword=foreword,
            language=language,
        )
        Job.objects.filter(pk=job.pk).update(content_key=built.content_key)
        job.content_key = built.content_key
        return ContentFile(documents.document_render(built), name=built.filename)

    return job_run(job_id=job_id, work=work)


def progress_reports_made() -> QuerySet[Job]:
    """Return the progress reports asked for, the newest first, with who asked."""
    return Job.objects.filter(kind=PROGRESS_REPORT_KIND).select_related("requested_by")
