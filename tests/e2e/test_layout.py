"""The layout from a phone's 375 px up: the header folds, nothing widens the page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_desktop_the_header_takes_two_rows(cast_in_finnish, open_browser):
    with open_browser(width=1280) as visitor:
        page = visitor.page
        visitor.sign_in("palonen", PASSWORD)
        visitor.open("/themes/")
        expect(page.get_by_role("button", name="Valikko")).to_be_hidden()
        expect(page.get_by_role("link", name="Teemat", exact=True)).to_be_visible()
        header = page.locator(".site-header").bounding_box()
        nav = page.get_by_role("navigation", name="Päävalikko").bounding_box()
        assert header["height"] < 140
        assert nav["height"] < 60  # one row of links
        for path in ("/themes/", "/schedule/", "/indicators/", "/meetings/"):
            visitor.open(path)
            assert _page_width(page) <= 1280, path


def test_on_a_phone_the_menu_button_opens_the_navigation(cast_in_finnish, open_browser):
    with open_browser(width=375) as visitor:
        page = visitor.page
        visitor.sign_in("palonen", PASSWORD)
        visitor.open("/themes/")
        menu = page.get_by_role("button", name="Valikko")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("link", name="Mittarit", exact=True)).to_be_hidden()
        assert _page_width(page) <= 375

        visitor.press(menu)
        expect(menu).to_have_attribute("aria-expanded", "true")
        visitor.press(page.get_by_role("link", name="Mittarit", exact=True))
        expect(page.get_by_role("heading", level=1)).to_have_text("Mittarit")
        for path in ("/indicators/", "/themes/", "/schedule/", "/meetings/", "/"):
            visitor.open(path)
            assert _page_width(page) <= 375, path
