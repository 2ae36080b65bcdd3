from celery import shared_task

from alliance.audit import audit_expire
from alliance.outbox import message_send, messages_resend
from alliance.services import job_run, jobs_resend


@shared_task(name="alliance.ping", acks_late=True)
def ping(*, job_id: int) -> None:
    """Prove the path from the web process through the broker to a worker."""
    job_run(job_id=job_id, work=lambda job: None)


@shared_task(name="alliance.outbox_send", acks_late=True)
def outbox_send(*, message_id: int) -> bool:
    """Send one outgoing e-mail, unless it was already sent."""
    return message_send(message_id=message_id)


@shared_task(name="alliance.outbox_resend", acks_late=True)
def outbox_resend() -> int:
    """Every few minutes: send again the e-mails the mail server did not take."""
    return messages_resend()


@shared_task(name="alliance.audit_expire", acks_late=True)
def audit_expire_task() -> int:
    """Daily: remove the audit events older than AUDIT_RETENTION_DAYS."""
    return audit_expire()


@shared_task(name="alliance.jobs_resend", acks_late=True)
def jobs_resend_task() -> int:
    """Every few minutes: fail the jobs whose worker died, send again those waiting."""
    return jobs_resend()
