"""How long a sign-in lasts, and what signed-in pages tell caches (fixed clock)."""

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance import sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = 1_700_000_000  # 14.11.2023 22.13 UTC
MINUTE = 60
HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    """The session limits' clock, in seconds since the epoch, set by the test."""
    moment = SimpleNamespace(now=SIGN_IN)
    monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: moment.now))
    return moment


@pytest.fixture
def signed_in(client, clock):
    client.force_login(UserFactory())
    return client


def _page(client):
    return client.get(reverse("password_change"))


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_records_its_moment(signed_in):
    assert signed_in.session[sessions.SIGNED_IN_AT] == SIGN_IN
    assert signed_in.session[sessions.ACTIVE_AT] == SIGN_IN


def test_a_session_lasts_while_requests_come_within_the_idle_limit(signed_in, clock):
    for _ in range(4):
        clock.now += 29 * MINUTE
        assert _page(signed_in).status_code == 200

    assert _is_signed_in(signed_in)
    assert signed_in.session[sessions.ACTIVE_AT] == SIGN_IN + 4 * 29 * MINUTE


def test_a_session_ends_after_thirty_minutes_without_a_request(signed_in, clock):
    clock.now += 30 * MINUTE
    assert _page(signed_in).status_code == 200

    clock.now += 30 * MINUTE + 1
    response = _page(signed_in)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _is_signed_in(signed_in)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Istuntosi on päättynyt. Kirjaudu uudelleen sisään."
    ]


def test_a_session_ends_ten_hours_after_sign_in_however_active(signed_in, clock):
    while clock.now + 20 * MINUTE <= SIGN_IN + 10 * HOUR:
        clock.now += 20 * MINUTE
        assert _page(signed_in).status_code == 200, clock.now - SIGN_IN

    clock.now = SIGN_IN + 10 * HOUR + 1
    response = _page(signed_in)

    assert response.status_code == 302
    assert not _is_signed_in(signed_in)


def test_the_limits_are_settings(signed_in, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    settings.SESSION_MAX_HOURS = 1

    clock.now += 5 * MINUTE + 1

    assert _page(signed_in).status_code == 302


def test_activity_is_written_at_most_once_a_minute(signed_in, clock):
    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert _page(signed_in).status_code == 200
        return [
            query["sql"]
            for query in queries.captured_queries
            if "django_session" in query["sql"]
            and not query["sql"].lstrip().upper().startswith("SELECT")
        ]

    clock.now += 59
    assert session_writes() == []
    clock.now += 1
    assert session_writes() != []
    clock.now += 30
    assert session_writes() == []


def test_a_session_from_before_the_limits_is_given_them(signed_in, clock):
    session = signed_in.session
    del session[sessions.SIGNED_IN_AT]
    del session[sessions.ACTIVE_AT]
    session.save()
    clock.now += 11 * HOUR

    assert _page(signed_in).status_code == 200
    assert signed_in.session[sessions.SIGNED_IN_AT] == SIGN_IN + 11 * HOUR


def test_signed_in_pages_are_kept_out_of_caches(signed_in, client):
    assert _page(signed_in)["Cache-Control"] == "private, no-store"
    assert client.get(reverse("members:privacy"))["Cache-Control"] == (
        "private, no-store"
    )


def test_public_pages_for_the_signed_out_are_left_as_they_are(client):
    assert not client.get(reverse("members:privacy")).has_header("Cache-Control")
