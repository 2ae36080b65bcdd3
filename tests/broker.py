"""A real Celery worker process for the broker tests.

A worker cannot see an in-memory SQLite database or an uncommitted test transaction, so
these tests need PostgreSQL, `django_db(transaction=True)` and a worker pointed at the
test database; they read back the job row the worker wrote.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def skip_without_broker():
    """Skip with a reason when no broker is configured; in CI, fail instead."""
    reason = None
    if not os.environ.get("CELERY_BROKER_URL"):
        reason = "CELERY_BROKER_URL is unset: no broker to send tasks through"
    elif connection.vendor != "postgresql":
        reason = "a worker process needs PostgreSQL (DATABASE_URL=postgres://...)"
    if reason:
        if os.environ.get("ALLIANSSI_REQUIRE_BROKER_TESTS"):
            pytest.fail(f"broker tests are required here, but {reason}")
        pytest.skip(reason)


@contextmanager
def worker_process(*extra_args):
    """Run a worker on this run's queue against the test database, then stop it.

    The worker stores its files in this test's MEDIA_ROOT, where the test reads them,
    and runs in a directory of its own, so that nothing lands in the checkout.
    """
    from alliance.celery import app

    database = connection.settings_dict
    media_root = Path(settings.MEDIA_ROOT)
    workdir = media_root.parent / "worker"
    workdir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "DEBUG": "1",
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alliance",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
            *extra_args,
        ],
        cwd=workdir,
        env=environment,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(predicate, *, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
