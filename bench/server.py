"""The set-up the benchmark and the load test share: a database of their own at a
chosen scale, the app served by gunicorn as in production, and a signed-in client.

The app runs with DEBUG off, so its session and CSRF cookies are Secure; the bench
talks plain http to 127.0.0.1 and sends them back itself (`PlainHttpCookieJar`),
with SECURE_SSL_REDIRECT off so that gunicorn answers instead of redirecting.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from requests.cookies import RequestsCookieJar

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
DATABASE_PREFIX = "allianssi_bench"
QUEUE = "allianssi-bench"
DEMO_PASSWORD = "allianssi-demo"
SCALE_SEED = 0
# The demo accounts (bootstrap/README): the chair, a staff member, and Helsinki's
# representative in the secretariat.
CHAIR = "palonen"
STAFF = "voutilainen"
CITY_REPRESENTATIVE = "nyholm"
CITY = "helsinki"
H1 = re.compile(r"<h1[\s>]")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_name(scale: str) -> str:
    return f"{DATABASE_PREFIX}_{scale.replace('.', '_')}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(*, scale: str, port: int, query_count: bool = False) -> dict:
    """The production configuration on this machine, with the bench's own database,
    queue, cache prefix, static and media directories."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"{POSTGRES}/{database_name(scale)}",
        CELERY_BROKER_URL=f"{REDIS}/0",
        CELERY_QUEUE=QUEUE,
        CACHE_URL=f"{REDIS}/0",
        CACHE_KEY_PREFIX=f"{QUEUE}-{scale}",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        MEDIA_ROOT=str(ROOT / "var" / "bench-media"),
        DEMO_PASSWORD=DEMO_PASSWORD,
        BENCH_QUERY_COUNT="1" if query_count else "0",
        PYTHONPATH=str(ROOT),
    )
    # One secret for the whole run: gunicorn and the bench's own processes sign alike.
    env["BENCH_SECRET_KEY"] = env["SECRET_KEY"]
    return env


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def services_ensure() -> None:
    subprocess.run([str(ROOT / "bench" / "ensure-services")], check=True)


def database_recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_is_loaded(name: str) -> bool:
    """Whether a database of that name holds the synthetic data already."""
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/{name}") as connection:
            row = connection.execute(
                "SELECT count(*) FROM members_user WHERE username = %s",
                ["synthetic-scale-data"],
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def database_load(*, scale: str, env: dict) -> float:
    """Recreate the scale's database: migrations, the seed with the demo, then the
    synthetic data. Return the seconds it took."""
    started = time.perf_counter()
    database_recreate(database_name(scale))
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env, "bootstrap_alliance", "--demo")
    manage(env, "generate_scale_data", "--scale", scale, "--seed", str(SCALE_SEED))
    return round(time.perf_counter() - started, 1)


def database_prepare(*, scale: str, env: dict) -> float | None:
    """Make the scale's database afresh and return the seconds it took; or, with
    BENCH_REUSE_DATABASES=1 and the synthetic data already in it, bring a kept one
    up to the code's migrations and return None."""
    name = database_name(scale)
    if os.environ.get("BENCH_REUSE_DATABASES") == "1" and database_is_loaded(name):
        print(f"Scale {scale}: reusing {name}", flush=True)
        manage(env, "migrate", "--noinput", "--verbosity=0")
        return None
    print(f"Scale {scale}: making {name}", flush=True)
    return database_load(scale=scale, env=env)


def static_collect(env: dict) -> None:
    manage(env, "collectstatic", "--noinput", "--clear", "--verbosity=0")


@contextmanager
def gunicorn(env: dict, *, port: int, workers: int = 1):
    """Serve the app on 127.0.0.1:port as scripts/serve does, until the block ends."""
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "alliance.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped before it answered")
            try:
                if requests.get(f"{url}/login/", timeout=60).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within two minutes")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class PlainHttpCookieJar(RequestsCookieJar):
    """Keep the Secure cookies the app sets and send them back over plain http, as a
    browser would over the https the app expects."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    if match is None:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


def sign_in(session: requests.Session, base_url: str, username: str) -> None:
    """Sign in through the real form: its CSRF token, then the POST."""
    session.cookies = PlainHttpCookieJar()
    form = session.get(f"{base_url}/login/", timeout=300)
    response = session.post(
        f"{base_url}/login/",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": csrf_token(form.text),
            "next": "/",
        },
        allow_redirects=False,
        timeout=300,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"{username} could not sign in ({response.status_code})")


def signed_in(base_url: str, username: str) -> requests.Session:
    session = requests.Session()
    sign_in(session, base_url, username)
    return session
