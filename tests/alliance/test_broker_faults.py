"""A broker that is down, and workers that die: changes stand, nothing doubles.

Each test runs a redis-server of its own on a port of its own, stopped by the test
(never the machine's), and real worker processes against the test database.
"""

import contextlib
import datetime
import os
import signal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliance.models import Job, OutboxMessage
from alliance.outbox import messages_resend
from alliance.services import job_enqueue, jobs_resend
from tests.alliance import slow_job
from tests.broker import (
    broker_at,
    redis_server,
    skip_without_broker,
    wait_for,
    worker_process,
)
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from themes.proposals.models import ProposalComment, ThemeProposal

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

WILL_FOLLOW_NOTIFICATION = "Sähköposti-ilmoitus tulee myöhemmin"
WILL_FOLLOW_DOCUMENT = "Asiakirja tulee myöhemmin"
# Short limits, through the same settings as production: a job is killed after 12 s,
# a message whose worker died is delivered again 15 s after it was taken, and each
# worker looks for such messages every second.
SHORT_LIMITS = {
    "CELERY_TIME_LIMIT": "12",
    "CELERY_VISIBILITY_TIMEOUT": "15",
    "CELERY_RESTORE_INTERVAL": "1",
}
PREFORK = ("--concurrency=1", f"--include={slow_job.__name__}")


def _job_files(job: Job) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent's id follows the command name in parentheses and the state.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def _state(job: Job) -> str:
    return Job.objects.values_list("state", flat=True).get(pk=job.pk)


def test_with_the_broker_down_changes_are_saved_and_their_effects_follow_once(
    as_role, world, tmp_path
):
    skip_without_broker()
    meeting = MeetingFactory(body=world.secretariat, number=7)
    AgendaItemFactory(meeting=meeting, title="Teemat ja toimenpiteet")
    # The world's own e-mails, sent in-process before the broker went down.
    earlier = set(OutboxMessage.objects.values_list("pk", flat=True))
    with redis_server(tmp_path) as redis:
        redis.stop()
        with broker_at(redis.url):
            # The city submits its draft: saved, and the page says the e-mail follows.
            client = as_role("city-helsinki")
            submit = reverse(
                "theme_proposals:proposal_transition",
                args=[world.helsinki_draft.pk, ThemeProposal.Status.SUBMITTED],
            )
            page = client.post(submit, {"note": ""}, follow=True)
            assert page.status_code == 200
            assert WILL_FOLLOW_NOTIFICATION in page.content.decode()
            world.helsinki_draft.refresh_from_db()
            assert world.helsinki_draft.status == ThemeProposal.Status.SUBMITTED
            # Trying again is refused as a step already taken, not a failure.
            assert client.post(submit, {"note": ""}).status_code in {302, 403}

            # The secretariat comments once: one comment, whatever the broker does.
            client = as_role("staff")
            comment = reverse(
                "theme_proposals:proposal_comment_add", args=[world.helsinki_sent.pk]
            )
            page = client.post(comment, {"text": "Kiitos esityksestä."}, follow=True)
            assert page.status_code == 200
            assert WILL_FOLLOW_NOTIFICATION in page.content.decode()
            assert ProposalComment.objects.count() == 1

            # A document asked for waits to be sent; asking again gives the same job.
            request_document = reverse(
                "secretariat:document_request", args=[meeting.pk, "agenda"]
            )
            page = client.post(request_document, follow=True)
            assert page.status_code == 200
            assert WILL_FOLLOW_DOCUMENT in page.content.decode()
            job = Job.objects.get(kind="agenda_pdf")
            assert job.state == Job.State.UNSENT
            assert client.post(request_document).status_code == 302
            assert Job.objects.filter(kind="agenda_pdf").get() == job
            assert _state(job) == Job.State.UNSENT

            new_messages = OutboxMessage.objects.exclude(pk__in=earlier)
            waiting = set(new_messages.values_list("pk", flat=True))
            assert waiting
            assert not new_messages.exclude(
                status=OutboxMessage.Status.WAITING
            ).exists()

            # The broker returns; beat's resends send each once.
            redis.start()
            two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
            OutboxMessage.objects.update(created_at=two_minutes_ago)
            with worker_process(broker_url=redis.url):
                assert messages_resend() == len(waiting)
                assert jobs_resend() == 1
                assert wait_for(
                    lambda: (
                        not OutboxMessage.objects.exclude(
                            status=OutboxMessage.Status.SENT
                        ).exists()
                        and _state(job) == Job.State.DONE
                    ),
                    timeout=120,
                ), "the waiting e-mails and the document were not sent"
                # Beat again, with nothing left waiting: nothing is sent twice.
                assert messages_resend() == 0
                assert jobs_resend() == 0

    assert set(new_messages.values_list("pk", flat=True)) == waiting
    assert set(new_messages.values_list("attempts", flat=True)) == {1}
    assert ProposalComment.objects.count() == 1
    job.refresh_from_db()
    assert job.attempts == 1
    assert len(_job_files(job)) == 1


def test_a_job_whose_pool_process_is_killed_completes_once(tmp_path):
    skip_without_broker()
    with (
        redis_server(tmp_path) as redis,
        broker_at(redis.url),
        worker_process(
            *PREFORK, pool="prefork", broker_url=redis.url, environment=SHORT_LIMITS
        ) as worker,
    ):
        job = job_enqueue(
            kind="slow", task_name=slow_job.TASK_NAME, arguments={"seconds": 3}
        )
        assert wait_for(lambda: _state(job) == Job.State.RUNNING, timeout=120)
        (pool_process,) = _children(worker.pid)
        os.kill(pool_process, signal.SIGKILL)

        assert wait_for(lambda: _state(job) == Job.State.DONE, timeout=120)

    job.refresh_from_db()
    assert job.attempts == 2
    files = _job_files(job)
    assert [file.name for file in files] == ["result.txt"]
    assert files[0].read_bytes() == f"job {job.pk}".encode()


def test_a_job_whose_main_worker_process_is_killed_completes_once(tmp_path):
    skip_without_broker()
    orphans = []
    try:
        with redis_server(tmp_path) as redis, broker_at(redis.url):
            with worker_process(
                *PREFORK, pool="prefork", broker_url=redis.url, environment=SHORT_LIMITS
            ) as worker:
                job = job_enqueue(
                    kind="slow", task_name=slow_job.TASK_NAME, arguments={"seconds": 3}
                )
                assert wait_for(lambda: _state(job) == Job.State.RUNNING, timeout=120)
                orphans = _children(worker.pid)
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)

            # The message was never acknowledged: a new worker takes it again once
            # the visibility timeout has passed.
            with worker_process(
                *PREFORK, pool="prefork", broker_url=redis.url, environment=SHORT_LIMITS
            ):
                assert wait_for(lambda: _state(job) == Job.State.DONE, timeout=120)
    finally:
        for pid in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    job.refresh_from_db()
    files = _job_files(job)
    assert [file.name for file in files] == ["result.txt"]
    assert files[0].read_bytes() == f"job {job.pk}".encode()
