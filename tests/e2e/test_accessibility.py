"""WCAG 2.1 A and AA by axe-core, and the colours of hovered and focused controls.

Every main page of each role, in Finnish and Swedish, 1 280 and 375 px wide, over the
example data (`bootstrap_alliance --demo`). One live server, one data set and one
browser serve the whole module; each page's result is also written under
var/accessibility/ (`make a11y-report` turns them into docs/accessibility.md).
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.test.utils import setup_databases, teardown_databases
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from secretariat.bootstrap import bootstrap
from tests.e2e import accessibility as a11y
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, skip_without_chromium

pytestmark = pytest.mark.e2e

CASES = [
    pytest.param(page, language, id=f"{page.key}-{language}")
    for language in a11y.LANGUAGES
    for page in a11y.PAGES
]
# Pages with the most kinds of control: their hover and focus states are measured.
CONTRAST_PAGES = [
    "dashboard_staff",
    "theme_detail",
    "agenda_builder",
    "proposal_detail",
]


class Site:
    """The live server, the signed-in sessions and one browser context per visitor."""

    def __init__(self, browser, base_url, paths, cookies):
        self.browser = browser
        self.base_url = base_url
        self.paths = paths
        self.cookies = cookies
        self.contexts = {}

    def open(self, page: a11y.Page, language: str, width: int = a11y.WIDTHS[0]):
        """A tab of the page's role in the language and width asked, on the page."""
        key = (page.role, language)
        if key not in self.contexts:
            context = self.browser.new_context(
                viewport={"width": width, "height": 900},
                locale=f"{language}-FI",
                timezone_id="Europe/Helsinki",
            )
            context.set_default_timeout(TIMEOUT_MS)
            cookies = [a11y.language_cookie(self.base_url, language)]
            if page.role in self.cookies:
                cookies.append(self.cookies[page.role])
            context.add_cookies(cookies)
            self.contexts[key] = context.new_page()
        tab = self.contexts[key]
        tab.set_viewport_size({"width": width, "height": 900})
        response = tab.goto(self.base_url + self.paths[page.key])
        return tab, response.status


@contextmanager
def database_for_this_module():
    """The test database, made here when no other test of the run asked for it.

    pytest-django creates it only for runs that hold a test using `db`; this module
    keeps one data set for all its tests instead, committed, and flushed at the end.
    """
    from django.db import connection

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    skip_without_chromium()
    with django_db_blocker.unblock(), database_for_this_module():
        bootstrap(demo=True, today=datetime.date.today())
        a11y.example_review_start()
        paths = a11y.page_paths()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            cookies = a11y.session_cookies(server.url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    yield Site(browser, server.url, paths, cookies)
                finally:
                    browser.close()
        finally:
            server.stop()
            server._live_server_modified_settings.disable()
            call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize(("page", "language"), CASES)
def test_no_serious_wcag_violations_and_one_h1(site, page, language):
    # One load serves both widths: the layout follows the viewport's media queries,
    # so resizing the tab shows axe the phone layout without a second request.
    tab, status = site.open(page, language, a11y.WIDTHS[0])
    serious = {}
    for width in a11y.WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        violations = a11y.axe_violations(tab)
        a11y.record(
            {
                "page": page.key,
                "language": language,
                "width": width,
                "status": status,
                "axe": a11y.axe_version(tab),
                "violations": violations,
            }
        )
        serious[width] = [v for v in violations if v["impact"] in a11y.FAILING_IMPACTS]
    headings = tab.locator("h1").count()
    lang = tab.locator("html").get_attribute("lang")
    assert status == a11y.ERROR_PAGES.get(page.key, 200)
    assert lang == language
    assert headings == 1, f"{headings} h1 elements"
    assert not any(serious.values()), serious


@pytest.mark.parametrize("width", a11y.WIDTHS)
@pytest.mark.parametrize("key", CONTRAST_PAGES)
def test_hovered_and_focused_controls_keep_their_contrast(site, key, width):
    page = next(page for page in a11y.PAGES if page.key == key)
    tab, _status = site.open(page, "fi", width)
    if width < 1000:
        # On a phone the navigation and the language switch are behind the menu.
        tab.get_by_role("button", name="Valikko").click()
    failures = a11y.hover_and_focus_contrast(tab)
    assert not failures, failures
