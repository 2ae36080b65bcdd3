"""Focus follows a form that opens within a page, and returns when it is cancelled."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


def test_focus_moves_into_an_opened_form_and_back(cast_in_finnish, open_browser):
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("voutilainen", PASSWORD)
        visitor.open(f"/themes/{cast_in_finnish.theme.pk}/")
        opener = page.get_by_role("link", name="Lisää toimenpide")
        visitor.press(opener)

        heading = page.get_by_role("heading", name="Lisää", level=2)
        expect(heading).to_be_focused()
        assert page.locator("h1").count() == 1

        visitor.press(page.get_by_role("link", name="Peruuta"))
        expect(opener).to_be_focused()
        expect(heading).to_have_count(0)
