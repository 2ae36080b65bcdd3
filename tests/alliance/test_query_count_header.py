import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import secretariat_user_create

ROOT = Path(__file__).resolve().parents[2]


def _signed_in_client() -> Client:
    client = Client()
    client.force_login(secretariat_user_create(username="staff"))
    return client


def test_no_query_count_header_by_default(db):
    response = _signed_in_client().get(reverse("themes:theme_list"))

    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers


def test_the_header_counts_every_query_of_the_request_when_asked_for(db):
    with override_settings(BENCH_QUERY_COUNT=True):
        client = _signed_in_client()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("themes:theme_list"))

    assert response.status_code == 200
    assert int(response.headers["X-Query-Count"]) == len(queries) > 0


def _setting_read(**env) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BENCH_QUERY_COUNT", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DEBUG="1", PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.BENCH_QUERY_COUNT)",
        ],
        env=environment | {"DJANGO_SETTINGS_MODULE": "alliance.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()


def test_the_setting_is_off_unless_the_environment_turns_it_on():
    assert _setting_read() == "False"
    assert _setting_read(BENCH_QUERY_COUNT="1") == "True"
