import datetime
from unittest import mock

import pytest
from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance.models import Job
from alliance.services import JobError, job_enqueue, job_retry, job_run, jobs_resend
from tests.downloads import assert_private_download
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_ping_job_runs_after_commit_and_is_done(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(kind="ping", task_name="alliance.ping")
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert len(callbacks) == 1

    callbacks[0]()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.attempts == 1
    assert job.started_at <= job.finished_at


def test_rolled_back_enqueue_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job_enqueue(kind="ping", task_name="alliance.ping")
        raise RuntimeError("roll back")
    assert callbacks == []
    assert not Job.objects.exists()


def test_expected_failure_is_recorded_with_its_message_and_can_be_retried(
    django_capture_on_commit_callbacks,
):
    job = Job.objects.create(kind="ping", task_name="alliance.ping")

    def fail(_job):
        raise JobError("The agenda has no items.")

    job_run(job_id=job.pk, work=fail)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "The agenda has no items."

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.error == ""
    assert job.attempts == 2


def test_unexpected_failure_names_the_error():
    job = Job.objects.create(kind="ping", task_name="alliance.ping")

    job_run(job_id=job.pk, work=lambda _job: 1 / 0)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error.startswith("ZeroDivisionError")


def test_a_done_job_is_not_run_again():
    job = Job.objects.create(kind="ping", task_name="alliance.ping")
    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"first", name="a.txt"))

    job_run(job_id=job.pk, work=lambda _job: pytest.fail("ran twice"))

    job.refresh_from_db()
    assert job.attempts == 1
    assert job.result.read() == b"first"


def test_only_a_failed_job_can_be_retried():
    job = Job.objects.create(kind="ping", task_name="alliance.ping")
    with pytest.raises(JobError):
        job_retry(job=job)


def test_job_page_shows_state_to_its_requester_only(client):
    owner, stranger = UserFactory(), UserFactory()
    job = Job.objects.create(kind="ping", task_name="alliance.ping", requested_by=owner)
    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"%PDF-", name="doc.pdf"))
    url = reverse("alliance:job_detail", args=[job.pk])

    client.force_login(stranger)
    assert client.get(url).status_code == 404
    download = reverse("alliance:job_download", args=[job.pk])
    assert client.get(download).status_code == 404

    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200
    assert "Valmis" in page.content.decode()
    response = client.get(download)
    assert assert_private_download(response, filename="doc.pdf") == b"%PDF-"


def test_job_status_fragment_for_htmx_polls_until_finished(client):
    owner = UserFactory()
    job = Job.objects.create(kind="ping", task_name="alliance.ping", requested_by=owner)
    client.force_login(owner)
    url = reverse("alliance:job_detail", args=[job.pk])

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment

    job_run(job_id=job.pk, work=lambda _job: None)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment


def test_a_job_the_broker_refuses_waits_to_be_sent_and_beat_sends_it(
    django_capture_on_commit_callbacks,
):
    ping = current_app.tasks["alliance.ping"]
    with (
        mock.patch.object(
            ping, "apply_async", side_effect=ConnectionRefusedError("no broker")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = job_enqueue(kind="ping", task_name="alliance.ping")
    job.refresh_from_db()
    assert job.state == Job.State.UNSENT
    assert job.is_retryable

    assert jobs_resend() == 1

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert jobs_resend() == 0


def test_a_job_running_past_the_time_limit_is_failed_and_can_be_retried(
    settings, django_capture_on_commit_callbacks
):
    job = Job.objects.create(
        kind="ping",
        task_name="alliance.ping",
        state=Job.State.RUNNING,
        started_at=timezone.now()
        - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1),
    )
    assert job.is_stale

    jobs_resend()

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)
    job.refresh_from_db()
    assert job.state == Job.State.DONE


def test_a_result_is_stored_under_the_job_and_a_run_again_overwrites_it():
    job = Job.objects.create(kind="ping", task_name="alliance.ping")
    job_run(job_id=job.pk, work=lambda _job: 1 / 0)
    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"one", name="a.txt"))
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"two", name="a.txt"))

    job.refresh_from_db()
    assert job.result.name == f"jobs/{job.pk}/a.txt"
    assert job.result.storage.listdir(f"jobs/{job.pk}")[1] == ["a.txt"]
    assert job.result.read() == b"two"


# Transactional: the change commits within the request, as in production, so that
# the page learns what the broker refused.
@pytest.mark.django_db(transaction=True)
def test_the_page_says_the_document_will_follow_when_the_broker_refuses(client):
    owner = UserFactory()
    job = Job.objects.create(
        kind="ping",
        task_name="alliance.ping",
        state=Job.State.UNSENT,
        requested_by=owner,
    )
    client.force_login(owner)
    ping = current_app.tasks["alliance.ping"]
    with mock.patch.object(
        ping, "apply_async", side_effect=ConnectionRefusedError("no broker")
    ):
        page = client.post(
            reverse("alliance:job_retry", args=[job.pk]),
            follow=True,
            **{"wsgi.url_scheme": "http"},
        )

    assert page.status_code == 200
    assert "Asiakirja tulee myöhemmin" in page.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.UNSENT
