"""Writes of the infrastructure app: background jobs."""

import logging
from collections.abc import Callable

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Job

logger = logging.getLogger(__name__)


class JobError(Exception):
    """An expected failure whose message is shown to the user as it is."""


def _dispatch(job: Job) -> None:
    # By name, so that this app never imports the app that owns the task.
    task = current_app.tasks[job.task_name]

    def send() -> None:
        try:
            task.apply_async(kwargs={**job.arguments, "job_id": job.pk})
        except Exception:
            # The change behind the job is committed and stays; the job shows that
            # it did not start, and can be retried once the broker is back.
            logger.exception("Job %s could not be sent to the broker.", job.pk)
            Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
                state=Job.State.FAILED,
                error=_("The job could not be started. Try again in a moment."),
                finished_at=timezone.now(),
            )

    transaction.on_commit(send)


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
    """Queue a failed job again, with the same task and arguments."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.FAILED:
            raise JobError(_("Only a failed job can be retried."))
        job.state = Job.State.QUEUED
        job.error = ""
        job.started_at = None
        job.finished_at = None
        job.save(update_fields=["state", "error", "started_at", "finished_at"])
        _dispatch(job)
    return job


def job_run(*, job_id: int, work: Callable[[Job], ContentFile | None]) -> Job | None:
    """Run `work` for a job and record its progress; a finished job is left alone.

    `work` may return a file, stored as the job's result. A `JobError` is an expected
    failure shown as it is; anything else is logged and shown as a generic message.
    """
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
        job.result.save(result.name, result, save=False)
    job.state = Job.State.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "finished_at", "result"])
    return job


def _job_fail(job: Job, message: str) -> Job:
    job.state = Job.State.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job
