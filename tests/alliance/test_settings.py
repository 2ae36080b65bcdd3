import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _run(args, *, cwd, **env):
    """Run `args` in `cwd`, outside the checkout, so that nothing lands there."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    environment.update(env)
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "entry_point",
    [
        [sys.executable, str(ROOT / "manage.py"), "check"],
        [sys.executable, "-c", "import alliance.wsgi"],
        [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--pool=solo"],
    ],
    ids=["manage.py", "wsgi", "worker"],
)
def test_missing_secret_key_stops_every_entry_point_with_one_line(
    entry_point, tmp_path
):
    result = _run(entry_point, cwd=tmp_path, DEBUG="0")

    assert result.returncode != 0
    message = result.stderr.strip()
    assert "Traceback" not in message
    assert message.splitlines()[-1].startswith("Allianssi: SECRET_KEY must be set")
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [["makemigrations", "--check", "--dry-run"], ["collectstatic", "--help"]],
    ids=["makemigrations", "collectstatic"],
)
def test_build_commands_run_without_the_production_secrets(command, tmp_path):
    result = _run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        cwd=tmp_path,
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'build.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY" not in result.stderr


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = _run(
        [
            sys.executable,
            ROOT / "manage.py",
            "check",
            "--deploy",
            "--fail-level=WARNING",
        ],
        cwd=tmp_path,
        DEBUG="0",
        SECRET_KEY="k" * 20 + "3x!Vq9#pLm2@Rt7&Zw5*Yb8^Nc4%Hd6",
        ALLOWED_HOSTS="example.org",
        EMAIL_HOST="",
    )

    assert result.returncode == 0, result.stderr
    # The one message: mail waits for a server, said at Info level.
    assert "identified 1 issue (0 silenced)" in result.stderr
    assert "alliance.I001" in result.stderr


def test_language_and_time_zone_defaults():
    assert settings.LANGUAGE_CODE == "fi"
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "sv", "en"]


def _database_settings(tmp_path, **env) -> str:
    result = _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "d = settings.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        ],
        cwd=tmp_path,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="alliance.settings",
        DATABASE_URL="postgres://allianssi@127.0.0.1:5432/allianssi",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_postgresql_connections_are_kept_between_requests_and_checked(tmp_path):
    assert _database_settings(tmp_path) == ["60", "True"]
    assert _database_settings(tmp_path, DATABASE_CONN_MAX_AGE="0") == ["0", "True"]
