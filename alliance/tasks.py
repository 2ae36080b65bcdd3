from celery import shared_task

from alliance.services import job_run


@shared_task(name="alliance.ping", acks_late=True)
def ping(*, job_id: int) -> None:
    """Prove the path from the web process through the broker to a worker."""
    job_run(job_id=job_id, work=lambda job: None)
