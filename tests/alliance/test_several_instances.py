"""Two web processes and two workers against one database behave as one service.

Each server is a gunicorn with DEBUG off, on a loopback port of its own, serving the
static files collected into a temporary folder, with the cache from CACHE_URL: the
broker's Redis, under a key prefix of the test's own. The test keeps the cookies
itself, since a client honouring `Secure` would not send them over plain HTTP.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie

import pytest
from django.db import connection

from alliance.cache import RedisCache
from alliance.models import Job
from secretariat.accessibility import FEEDBACK_LIMIT
from tests.broker import ROOT, skip_without_broker, wait_for, worker_process
from tests.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, alliance_create

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]
PASSWORD = "oikea-salasana-2023"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Cookies kept by hand, sent to whichever server is asked."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, content.decode("utf-8", "replace")

    def sign_in(self, port, username, password):
        self.request(port, "GET", "/login/")
        return self.request(
            port, "POST", "/login/", {"username": username, "password": password}
        )


@contextmanager
def web_server(*, port, environment, workdir):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--chdir",
            str(ROOT),
            "alliance.wsgi",
        ],
        cwd=workdir,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("a web server did not start")
                time.sleep(0.3)
        yield port
    finally:
        # Gunicorn's quick shutdown: SIGTERM would wait up to 30 s for a request that
        # a test no longer reads (on a busy machine, one that timed out).
        server.send_signal(signal.SIGQUIT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def shared_cache():
    """The servers' cache: the broker's Redis, under a key prefix of this test's own."""
    skip_without_broker()
    cache = RedisCache(
        os.environ["CELERY_BROKER_URL"],
        {"KEY_PREFIX": f"allianssi-several-instances-{uuid.uuid4().hex}"},
    )
    yield cache
    cache.clear()


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "several-instances-test-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "PYTHONPATH": str(ROOT),
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The static files collected once for the module's servers, as a deployment does.

    Collecting and compressing them takes longer than a test; servers only read them.
    """
    skip_without_broker()
    directory = tmp_path_factory.mktemp("several-instances")
    static_root = directory / "static"
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        cwd=directory,
        env={**os.environ, **PRODUCTION, "STATIC_ROOT": str(static_root)},
        check=True,
        timeout=180,
    )
    return static_root


@pytest.fixture
def two_servers(tmp_path, settings, static_root, shared_cache):
    database = connection.settings_dict
    environment = {
        **os.environ,
        **PRODUCTION,
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "CACHE_URL": os.environ["CELERY_BROKER_URL"],
        "CACHE_KEY_PREFIX": shared_cache.key_prefix,
    }
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                web_server(port=_free_port(), environment=environment, workdir=tmp_path)
            )
            for _ in range(2)
        ]


def _signed_in(browser, port) -> bool:
    # The sign-in page sends a signed-in user on, whatever their roles.
    status, _headers, _page = browser.request(port, "GET", "/login/")
    return status == 302


def test_a_session_and_a_lock_out_hold_on_both_servers(two_servers, settings):
    first, second = two_servers
    # The servers know the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="kaisa", password=PASSWORD)
    UserFactory(username="matti", password=PASSWORD)

    browser = Browser()
    status, _headers, _page = browser.sign_in(first, "kaisa", PASSWORD)
    assert status == 302
    assert "sessionid" in browser.cookies
    assert _signed_in(browser, second)

    intruder = Browser()
    for attempt in range(5):
        intruder.sign_in((first, second)[attempt % 2], "matti", "väärä-salasana")
    for port in (first, second):
        locked = Browser()
        locked.sign_in(port, "matti", PASSWORD)
        assert "sessionid" not in locked.cookies
        assert not _signed_in(locked, port)
    assert _signed_in(browser, first)


def test_the_feedback_rate_limit_counts_the_messages_sent_to_either_server(
    two_servers, shared_cache
):
    first, second = two_servers
    reader = Browser()
    reader.request(first, "GET", "/accessibility/")
    feedback = {"message": "Esityslistan PDF ei toimi ruudunlukijalla."}

    for sent in range(FEEDBACK_LIMIT):
        status, _headers, _page = reader.request(
            (first, second)[sent % 2], "POST", "/accessibility/", feedback
        )
        assert status == 302

    # Each server took only some of the messages; the limit holds on both only
    # because they count in the one cache.
    for port in (first, second):
        status, _headers, page = reader.request(
            port, "POST", "/accessibility/", feedback
        )
        assert status == 429
        assert "Yritä uudelleen tunnin kuluttua" in page
    assert shared_cache.get("accessibility-feedback:address:127.0.0.1") == (
        FEEDBACK_LIMIT
    )


def test_a_document_asked_for_on_one_server_downloads_from_the_other(
    two_servers, settings
):
    first, second = two_servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=11)
    AgendaItemFactory.create_batch(2, meeting=meeting)
    staff = alliance.users["staff"]
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    browser = Browser()
    browser.sign_in(first, staff.username, PASSWORD)

    with worker_process(), worker_process():
        status, _headers, _page = browser.request(
            first, "POST", f"/meetings/{meeting.pk}/documents/agenda/", {}
        )
        assert status == 302
        job = Job.objects.get(requested_by=staff)
        done = wait_for(
            lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists(),
            timeout=120,
        )

    assert done, Job.objects.get(pk=job.pk).error
    status, headers, _content = browser.request(
        second, "GET", f"/jobs/{job.pk}/download/"
    )
    assert status == 200
    assert headers["Cache-Control"] == "private, no-store"
