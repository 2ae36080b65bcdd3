"""A job slow enough to kill its worker in the middle of, for the worker-kill tests.

The worker loads it with `--include`; the web process never does.
"""

import time

from celery import shared_task
from django.core.files.base import ContentFile

from alliance.services import job_run

TASK_NAME = "tests.slow_job"


@shared_task(name=TASK_NAME, acks_late=True)
def slow_job(*, job_id: int, seconds: float) -> None:
    def work(job):
        time.sleep(seconds)
        return ContentFile(f"job {job.pk}".encode(), name="result.txt")

    job_run(job_id=job_id, work=work)
