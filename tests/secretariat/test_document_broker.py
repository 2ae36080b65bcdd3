"""A document job through the real Redis broker to a real worker process.

Needs CELERY_BROKER_URL and PostgreSQL (see tests/broker.py); skipped otherwise, and
required in CI.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alliance.models import Job
from alliance.services import job_enqueue, job_retry
from secretariat import document_services
from tests.broker import skip_without_broker, wait_for, worker_process
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _finished(job):
    return lambda: Job.objects.filter(
        pk=job.pk, state__in=[Job.State.DONE, Job.State.FAILED]
    ).exists()


def test_a_document_job_renders_in_a_worker_and_its_pdf_is_downloadable(client):
    skip_without_broker()
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=9)
    AgendaItemFactory.create_batch(3, meeting=meeting)
    staff = alliance.users["staff"]

    with worker_process("--max-tasks-per-child=10"):
        job = document_services.document_request(
            name="agenda", meeting=meeting, by=staff
        )
        finished = wait_for(_finished(job), timeout=120)

    job.refresh_from_db()
    assert finished, f"the worker did not finish the job: {job.state} {job.error}"
    assert job.state == Job.State.DONE, job.error
    client.force_login(staff)
    response = client.get(reverse("alliance:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_renderer_failure_is_recorded_and_a_retry_succeeds():
    skip_without_broker()
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=10)
    item = AgendaItemFactory(meeting=meeting, title="Poistetaan ennen tulostusta")
    staff = alliance.users["staff"]

    with worker_process():
        # The request is accepted; the agenda is emptied before the worker renders.
        job = job_enqueue(
            kind="agenda_pdf",
            task_name=document_services.RENDER_TASK,
            arguments={
                "document": "agenda",
                "meeting_id": meeting.pk,
                "version_number": None,
                "language": "fi",
            },
            requested_by=staff,
        )
        item.delete()
        failed = wait_for(_finished(job), timeout=120)
        job.refresh_from_db()
        assert failed and job.state == Job.State.FAILED, (job.state, job.error)
        with translation.override("fi"):
            assert job.error == gettext("The agenda has no items.")

        AgendaItemFactory(meeting=meeting, title="Lisätty uudelleen")
        job_retry(job=job)
        done = wait_for(
            lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists(),
            timeout=120,
        )

    job.refresh_from_db()
    assert done, (job.state, job.error)
    assert job.attempts == 2
    assert job.error == ""
    with job.result.open("rb") as file:
        assert file.read().startswith(b"%PDF-")
