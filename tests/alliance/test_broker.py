import pytest

from alliance.models import Job
from alliance.services import job_enqueue
from tests.broker import skip_without_broker, wait_for, worker_process

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def test_ping_goes_through_the_broker_to_a_real_worker():
    skip_without_broker()

    with worker_process():
        job = job_enqueue(kind="ping", task_name="alliance.ping")
        finished = wait_for(
            lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists()
        )

    job.refresh_from_db()
    assert finished, f"the worker did not finish the job: {job.state} {job.error}"
    assert job.attempts == 1
