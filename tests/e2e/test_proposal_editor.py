"""The proposal's text written in the browser, with the preview beside the editor."""

import pytest
from playwright.sync_api import expect

from secretariat.models import ProposalSection

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


def test_staff_write_a_section_and_see_the_preview_as_they_type(
    cast_in_finnish, open_browser
):
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("voutilainen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Esitys mallista", exact=True))
        expect(
            page.get_by_role("heading", name="Organisaatio ja tavoitteet", level=2)
        ).to_be_visible()
        visitor.press(
            page.get_by_role("link", name="Muokkaa lukua Organisaatio ja tavoitteet")
        )

        visitor.type_into(
            page.get_by_label("Teksti"), "Allianssin **yhteinen tavoite** <b>x</b>"
        )
        preview = page.locator("#markdown-preview")
        expect(preview.locator("strong")).to_have_text("yhteinen tavoite")
        expect(preview).to_contain_text("<b>x</b>")  # HTML shows as typed
        visitor.press(page.get_by_role("button", name="Tallenna"))

        section = page.locator(".proposal-section").first
        expect(section.locator("strong")).to_have_text("yhteinen tavoite")

    body = ProposalSection.objects.get(kind="organisation").body
    assert body == "Allianssin **yhteinen tavoite** <b>x</b>"
