"""Save the main pages of each role as PNGs in docs/screenshots/ (`make screenshots`).

The pages are those of the example data: `bootstrap_alliance --demo` into a SQLite
database of this run's own, served by `runserver` on a free port and photographed by
Debian's Chromium through Playwright. Each picture is reduced to a palette of 256
colours, so that the whole set stays small enough to keep in the repository.
"""

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "screenshots"

# File name, role, page key (tests/e2e/accessibility.py), language, width.
SHOTS = [
    ("01-sign-in", "anonymous", "login", "fi", 1280),
    ("02-dashboard-secretariat", "staff", "dashboard_staff", "fi", 1280),
    ("03-theme", "staff", "theme_detail", "fi", 1280),
    ("04-measure", "staff", "measure_detail", "fi", 1280),
    ("05-schedule", "staff", "schedule", "fi", 1280),
    ("06-agenda-builder", "chair", "agenda_builder", "fi", 1280),
    ("07-minutes", "staff", "minutes", "fi", 1280),
    ("08-proposal-helsinki", "city", "proposal_detail", "fi", 1280),
    ("09-indicator-helsinki", "city", "indicator_detail", "fi", 1280),
    ("10-values-for-a-period", "city", "observation_bulk", "fi", 1280),
    ("11-dashboard-observer-swedish", "observer", "dashboard_observer", "sv", 1280),
    ("12-dashboard-on-a-phone", "city", "dashboard_city", "fi", 375),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("runserver stopped before it served a page")
        try:
            urllib.request.urlopen(url + "/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("runserver did not answer")


def _optimise(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="allianssi-screenshots-"))
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="alliance.settings",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tests.e2e.accessibility import (
        example_review_start,
        language_cookie,
        page_paths,
        session_cookies,
    )
    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

    call_command("migrate", interactive=False, verbosity=0)
    call_command("bootstrap_alliance", demo=True, stdout=io.StringIO())
    example_review_start()
    paths = page_paths()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    cookies = session_cookies(base_url)
    from django.db import connections

    connections.close_all()

    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    try:
        _wait_until_serving(base_url, server)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for name, role, key, language, width in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": 800 if width > 400 else 760},
                    locale=f"{language}-FI",
                    timezone_id="Europe/Helsinki",
                )
                jar = [language_cookie(base_url, language)]
                if role in cookies:
                    jar.append(cookies[role])
                context.add_cookies(jar)
                page = context.new_page()
                page.goto(base_url + paths[key])
                page.wait_for_load_state("networkidle")
                target = OUTPUT / f"{name}.png"
                page.screenshot(path=target)
                context.close()
                _optimise(target)
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} kB")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(path.stat().st_size for path in OUTPUT.glob("*.png"))
    print(f"{len(SHOTS)} screenshots, {total / 1024 / 1024:.2f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
