"""Debian's Chromium driven by Playwright, and a user who works it by mouse or keyboard.

Playwright runs an event loop in the test's thread while a browser is open, so Django
refuses ORM calls there (`SynchronousOnlyOperation`). Tests therefore prepare their
rows before `visiting` opens and read the outcome after it has closed; the app
itself runs in the live server's thread, where the ORM works as usual.
"""

import datetime
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Long enough for a rendered page, short enough that a missing label fails fast.
TIMEOUT_MS = 10_000
# A step that prints documents: tasks run in-process after the request's commit, as
# in `make run`, so its page answers only once its PDF and Word files are written,
# which on a busy machine takes far longer than a page.
PRINT_TIMEOUT_MS = 90_000
# More than the focusable elements of any page, so that a Tab walk always wraps.
MAX_TABS = 300


def skip_without_chromium():
    """Skip with a reason when Chromium is missing; in CI, fail instead."""
    if CHROMIUM.exists():
        return
    reason = (
        f"{CHROMIUM} is missing: install Debian's package chromium "
        "(apt-get install chromium)"
    )
    if os.environ.get("ALLIANSSI_REQUIRE_E2E"):
        pytest.fail(f"browser tests are required here, but {reason}")
    pytest.skip(reason)


@contextmanager
def visiting(
    base_url: str, profile_dir: Path, *, keyboard_only: bool, width: int = 1280
):
    """A `Visitor` in Chromium with a fresh profile, closed on the way out.

    `width` is the window's width in CSS pixels: 1280 for a desktop, 375 for a phone.
    """
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=profile_dir,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            locale="fi-FI",
            timezone_id="Europe/Helsinki",
            viewport={"width": width, "height": 900},
        )
        # Chromium reports each thing the Content-Security-Policy blocked as a console
        # error; a blocked script or style is a page that does not work as tested.
        csp_violations = []
        context.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        try:
            context.set_default_timeout(TIMEOUT_MS)
            page = context.pages[0] if context.pages else context.new_page()
            yield Visitor(page, base_url=base_url, keyboard_only=keyboard_only)
        finally:
            context.close()
    assert not csp_violations, "blocked by the Content-Security-Policy: " + "; ".join(
        csp_violations
    )


class Visitor:
    """Works the page as a person does: with the mouse, or with the keyboard only.

    With the keyboard, a control is reached with Tab alone and used with Enter (links,
    buttons), Space (check boxes) or by typing (text, dates, and a select's option by
    its first letters, as a closed select takes them).
    """

    def __init__(self, page, *, base_url: str, keyboard_only: bool):
        self.page = page
        self.base_url = base_url
        self.keyboard_only = keyboard_only

    def open(self, path: str):
        """Type an address into the browser."""
        self.page.goto(self.base_url + path)

    def sign_in(self, username: str, password: str):
        """Sign in on the real sign-in page, where any page sends a stranger."""
        self.open("/")
        self.type_into(self.page.get_by_label("Käyttäjätunnus"), username)
        self.type_into(self.page.get_by_label("Salasana"), password)
        self.press(self.page.get_by_role("button", name="Kirjaudu sisään"))
        # Attached, not visible: on a phone the sign-out button is in the folded menu.
        self.page.locator("form.user-menu").wait_for(state="attached")

    def sign_out(self):
        self.press(self.page.get_by_role("button", name="Kirjaudu ulos"))
        self.page.get_by_role("button", name="Kirjaudu sisään").wait_for()

    def attach(self, file_field, path: Path):
        """Pick a file in the browser's file chooser, opened from the file field."""
        with self.page.expect_file_chooser() as chooser:
            if self.keyboard_only:
                self._tab_to(file_field)
                self.page.keyboard.press("Space")
            else:
                file_field.click()
        chooser.value.set_files(path)

    def press(self, control, *, timeout: float | None = None):
        """Follow a link or press a button.

        `timeout` (ms) is for a control whose page takes longer than a page should
        (see `PRINT_TIMEOUT_MS`): a click waits for the navigation it starts.
        """
        if self.keyboard_only:
            self._tab_to(control)
            self.page.keyboard.press("Enter")
        else:
            control.click(timeout=timeout)

    def type_into(self, field, text: str):
        if self.keyboard_only:
            self._tab_to(field)
            self.page.keyboard.press("ControlOrMeta+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        else:
            field.fill(text)

    def date_into(self, field, day: datetime.date):
        """Enter a date in the browser's date field.

        The field orders its parts by the browser's own language, and Debian's
        chromium carries English only (the others are in chromium-l10n): month, day,
        year.
        """
        if self.keyboard_only:
            self._tab_to(field)
            self.page.keyboard.type(f"{day.month:02}{day.day:02}{day.year}")
        else:
            field.fill(day.isoformat())

    def moment_into(self, field, moment: datetime.datetime):
        """Enter a date and a time of day in the browser's date-and-time field.

        As in `date_into`, in English order; the time is on the twelve-hour clock,
        and the year, which could take more digits, is left with the arrow key.
        """
        if self.keyboard_only:
            self._tab_to(field)
            self.page.keyboard.type(f"{moment.month:02}{moment.day:02}{moment.year}")
            self.page.keyboard.press("ArrowRight")
            self.page.keyboard.type(moment.strftime("%I%M"))
            # The first letter of AM or PM picks the half of the day.
            self.page.keyboard.type(moment.strftime("%p")[0])
        else:
            field.fill(moment.strftime("%Y-%m-%dT%H:%M"))

    def choose(self, select, option: str):
        if self.keyboard_only:
            self._tab_to(select)
            self.page.keyboard.type(option)
        else:
            select.select_option(label=option)

    def tick(self, checkbox):
        if self.keyboard_only:
            self._tab_to(checkbox)
            self.page.keyboard.press("Space")
        else:
            checkbox.check()

    def _tab_to(self, control):
        control.wait_for(state="visible")
        for _ in range(MAX_TABS):
            if control.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reaches {control}")
