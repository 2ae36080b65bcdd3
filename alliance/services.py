"""Writes of the infrastructure app: background jobs."""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.dispatch import task_send, task_send_on_commit
from alliance.models import Job

logger = logging.getLogger(__name__)

# The first key of the PostgreSQL advisory lock a job's run holds, the job's id being
# the second: "AJOB" in ASCII, so that it meets no other lock.
JOB_LOCK_SPACE = 0x414A4F42
JOB_LOCK_WAIT_SECONDS = 10
RESEND_BATCH = 200


class JobError(Exception):
    """An expected failure whose message is shown to the user as it is."""


def _job_kwargs(job: Job) -> dict:
    return {**job.arguments, "job_id": job.pk}


def _job_mark_unsent(job_id: int) -> None:
    Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(state=Job.State.UNSENT)


def _dispatch(job: Job) -> None:
    job_id = job.pk
    task_send_on_commit(
        task_name=job.task_name,
        kwargs=_job_kwargs(job),
        notice="document",
        on_unsent=lambda: _job_mark_unsent(job_id),
    )


def job_enqueue(
    *, kind: str, task_name: str, arguments: dict | None = None, requested_by=None
) -> Job:
    """Create a queued job and send its task once the transaction commits."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            task_name=task_name,
            arguments=arguments or {},
            requested_by=requested_by,
        )
        _dispatch(job)
    return job


def job_retry(*, job: Job) -> Job:
    """Queue a job again, with the same task and arguments.

    A failed job, one that never reached the broker, and one shown as running past
    the time limit (its worker died) may be retried.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.is_retryable:
            raise JobError(_("Only a failed job can be retried."))
        job.state = Job.State.QUEUED
        job.error = ""
        job.started_at = None
        job.finished_at = None
        job.save(update_fields=["state", "error", "started_at", "finished_at"])
        _dispatch(job)
    return job


def jobs_resend() -> int:
    """Mark the jobs whose worker died failed, and send again those left waiting.

    Return how many were sent. Run by beat; a job the broker still does not take
    waits for the next run.
    """
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    Job.objects.filter(
        state=Job.State.RUNNING, started_at__lt=timezone.now() - limit
    ).update(
        state=Job.State.FAILED,
        error=_("The job was interrupted. Try again."),
        finished_at=timezone.now(),
    )
    sent = 0
    for job in Job.objects.filter(state=Job.State.UNSENT).order_by("pk")[:RESEND_BATCH]:
        # Queued before it is sent, so that a worker's "running" is never undone.
        if not Job.objects.filter(pk=job.pk, state=Job.State.UNSENT).update(
            state=Job.State.QUEUED
        ):
            continue
        if not task_send(task_name=job.task_name, kwargs=_job_kwargs(job)):
            _job_mark_unsent(job.pk)
            break
        sent += 1
    return sent


@contextmanager
def _job_run_lock(job_id: int) -> Iterator[bool]:
    """Hold a lock on the job's run while the block runs; yield whether it was got.

    On PostgreSQL a session advisory lock, so that two deliveries of the same message
    never run the job at once; the server lets go of it when a killed worker's
    connection drops, which may take it a moment, hence the short wait. Other
    databases serve development with one worker at most.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    deadline = time.monotonic() + JOB_LOCK_WAIT_SECONDS
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_SPACE, job_id]
            )
            acquired = cursor.fetchone()[0]
        if acquired or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_SPACE, job_id]
                    )
            except DatabaseError:
                # The connection is gone, and the lock with it.
                logger.warning("Lock of job %s not released by hand.", job_id)


def job_run(*, job_id: int, work: Callable[[Job], ContentFile | None]) -> Job | None:
    """Run `work` for a job and record its progress; a finished job is left alone.

    `work` may return a file, stored as the job's result under the job's own name, so
    that a run again overwrites it. A `JobError` is an expected failure shown as it
    is; anything else is logged and shown as a generic message. A job being run by
    another delivery of its message is left to that run.
    """
    with _job_run_lock(job_id) as acquired:
        if not acquired:
            logger.info("Job %s is being run elsewhere; nothing to do.", job_id)
            return None
        return _job_run_locked(job_id=job_id, work=work)


def _job_run_locked(
    *, job_id: int, work: Callable[[Job], ContentFile | None]
) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Job %s no longer exists; nothing to do.", job_id)
            return None
        if job.state == Job.State.DONE:
            return job
        job.state = Job.State.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "attempts"])
    try:
        result = work(job)
    except JobError as error:
        return _job_fail(job, str(error))
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.task_name)
        return _job_fail(job, f"{type(error).__name__}: {error}")
    if result is not None:
        _job_result_store(job, result)
    job.state = Job.State.DONE
    job.error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "result", "result_name"])
    return job


def _job_result_store(job: Job, result: ContentFile) -> None:
    storage = job.result.storage
    name = job.result.field.generate_filename(job, result.name)
    # The storage would add a suffix to a name taken by an earlier run's file.
    if storage.exists(name):
        storage.delete(name)
    job.result.save(result.name, result, save=False)
    job.result_name = result.name


def _job_fail(job: Job, message: str) -> Job:
    job.state = Job.State.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job
