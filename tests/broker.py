"""A real Celery worker process for the broker tests.

A worker cannot see an in-memory SQLite database or an uncommitted test transaction, so
these tests need PostgreSQL, `django_db(transaction=True)` and a worker pointed at the
test database; they read back the job row the worker wrote.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
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


class RedisServer:
    """A redis-server of a test's own, on a free port, that the test stops and starts.

    Never the machine's Redis: other runs and helpers share that one.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        if not wait_for(self._answers, timeout=20, interval=0.1):
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process = None

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def redis_server(directory: Path):
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.stop()


def _broker_connections_reset(app):
    """Drop the pooled connections, so that the next send connects to the new URL."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Send this process's tasks through the broker at `url`, not in-process."""
    from alliance.celery import app

    # The write URL, because CELERY_BROKER_URL in the environment overrides broker_url.
    previous = app.conf.get("broker_write_url"), app.conf.task_always_eager
    _broker_connections_reset(app)
    app.conf["broker_write_url"] = url
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        _broker_connections_reset(app)
        app.conf["broker_write_url"], app.conf.task_always_eager = previous


@contextmanager
def worker_process(*extra_args, pool="solo", broker_url=None, environment=None):
    """Run a worker on this run's queue against the test database, then stop it.

    The worker stores its files in this test's MEDIA_ROOT, where the test reads them,
    and runs in a directory of its own, so that nothing lands in the checkout.
    `broker_url` points it at a broker of the test's own; `environment` adds settings.
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
        **({"CELERY_BROKER_URL": broker_url} if broker_url else {}),
        **(environment or {}),
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
            f"--pool={pool}",
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
