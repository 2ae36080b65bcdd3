"""Background tasks of the secretariat: documents, agenda e-mails, daily reminders.

The e-mails are queued in the outbox, which sends them.

Each task takes ids, loads rows and calls a service; each is safe to run again.
"""

from celery import shared_task
from django.utils import timezone

from alliance.services import job_run
from secretariat import document_services, proposal_versions
from secretariat import mail as meeting_mail


@shared_task(name="secretariat.render_document", acks_late=True)
def render_document(
    *,
    job_id: int,
    document: str,
    meeting_id: int,
    version_number: int | None = None,
    language: str = "fi",
) -> None:
    """Render a meeting document's PDF for its job (a done job is left alone)."""
    document_services.document_job_run(
        job_id=job_id,
        document=document,
        meeting_id=meeting_id,
        version_number=version_number,
        language=language,
    )


@shared_task(name="secretariat.proposal_draft", acks_late=True)
def proposal_draft(*, job_id: int, format: str, snapshot: dict) -> None:
    """Print a draft of the proposal from the snapshot taken when it was asked for."""
    proposal_versions.proposal_draft_job_run(
        job_id=job_id, format=format, snapshot=snapshot
    )


@shared_task(name="secretariat.proposal_version_file", acks_late=True)
def proposal_version_file(*, job_id: int, version_id: int, format: str) -> None:
    """Print one file of a final version from its snapshot; an existing file stays."""
    proposal_versions.proposal_file_job_run(
        job_id=job_id, version_id=version_id, format=format
    )


@shared_task(name="secretariat.render_progress_report", acks_late=True)
def render_progress_report(
    *,
    job_id: int,
    scope: str,
    theme_id: int | None = None,
    city_id: int | None = None,
    period: str,
    foreword: str = "",
    language: str = "fi",
) -> None:
    """Render a progress report's PDF for its job (a done job is left alone)."""
    document_services.progress_report_job_run(
        job_id=job_id,
        scope=scope,
        theme_id=theme_id,
        city_id=city_id,
        period=period,
        foreword=foreword,
        language=language,
    )


@shared_task(name="secretariat.send_agenda", acks_late=True)
def send_agenda(*, job_id: int, version_id: int) -> None:
    """Queue a published agenda's e-mails for its job; a done job is left alone."""

    def queue_messages(job) -> None:
        meeting_mail.agenda_send(version_id=version_id)

    job_run(job_id=job_id, work=queue_messages)


@shared_task(name="secretariat.send_reminders", acks_late=True)
def send_reminders() -> dict[str, int]:
    """Daily: remind of action items and milestones due within a week, and once of
    action items overdue since yesterday."""
    return meeting_mail.reminders_send(today=timezone.localdate())
