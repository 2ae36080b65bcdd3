import shutil
import socket
import subprocess
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_without_sign_in_and_counts_an_unset_broker_as_up(
    client, settings
):
    settings.CELERY_BROKER_URL = ""

    response = client.get(HEALTHZ)

    assert reverse("healthz") == HEALTHZ
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "up",
        "down": [],
        "services": {
            "database": {"up": True, "state": "up"},
            "broker": {"up": True, "state": "not configured: in-process"},
            "storage": {"up": True, "state": "up"},
        },
    }
    assert list(settings.MEDIA_ROOT.iterdir()) == [], "the probe file stays behind"


def test_healthz_names_a_broker_that_went_down_without_showing_its_address(
    client, settings, tmp_path
):
    """A Redis of this test's own, never the machine's: up, then stopped."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    settings.CELERY_BROKER_URL = f"redis://:secret-password@127.0.0.1:{port}/0"
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
            "--requirepass",
            "secret-password",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            up = client.get(HEALTHZ)
            if up.status_code == 200:
                break
            time.sleep(0.1)
    finally:
        redis.terminate()
        redis.wait(timeout=10)

    down = client.get(HEALTHZ)

    assert up.status_code == 200
    assert up.json()["services"]["broker"] == {"up": True, "state": "up"}
    assert down.status_code == 503
    assert down.json()["status"] == "down"
    assert down.json()["down"] == ["broker"]
    assert down.json()["services"]["broker"] == {"up": False, "state": "down"}
    assert down.json()["services"]["database"]["up"] is True
    assert "secret-password" not in down.content.decode()
    assert str(port) not in down.content.decode()


def test_healthz_names_a_database_that_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = ""
    unreachable = mock.Mock()
    unreachable.cursor.side_effect = OperationalError("connection to server failed")

    with mock.patch("alliance.health.connection", unreachable):
        response = client.get(HEALTHZ)

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]
    assert "connection to server" not in response.content.decode()


def test_healthz_reports_a_storage_that_cannot_be_written(client, settings, tmp_path):
    not_a_directory = tmp_path / "media-is-a-file"
    not_a_directory.write_text("")
    settings.MEDIA_ROOT = not_a_directory
    settings.CELERY_BROKER_URL = ""

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    assert response.json()["down"] == ["storage"]
    assert response.json()["services"]["storage"] == {"up": False, "state": "down"}


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = ""

    assert client.get(HEALTHZ).status_code == 200
    assert client.get(reverse("login")).status_code == 301
