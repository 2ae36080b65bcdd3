"""The chair's proposal: written, frozen as final versions, downloaded, compared."""

import io
import re
import zipfile

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.browser import PRINT_TIMEOUT_MS

pytestmark = pytest.mark.e2e

PASSWORD = "secret-password"


def _make_final_version(visitor, number: int) -> None:
    page = visitor.page
    visitor.open("/proposal/")
    visitor.press(
        page.get_by_role("link", name="Tulosteet, lopulliset versiot ja lataukset")
    )
    visitor.press(page.get_by_role("link", name="Tee lopullinen versio"))
    visitor.press(
        page.get_by_role("button", name="Tee lopullinen versio"),
        timeout=PRINT_TIMEOUT_MS,
    )
    version = _version(page, number)
    for name in ("Lataa PDF", "Lataa Word-tiedosto"):
        expect(version.get_by_role("link", name=name)).to_be_visible(
            timeout=PRINT_TIMEOUT_MS
        )


def _version(page, number: int):
    """The list item of a final version, found by its heading."""
    heading = page.get_by_role("heading", name=f"Versio {number}", exact=True)
    return page.get_by_role("listitem").filter(has=heading)


def _download(visitor, link) -> bytes:
    with visitor.page.expect_download() as download:
        visitor.press(link)
    with open(download.value.path(), "rb") as file:
        return file.read()


def test_the_chair_writes_freezes_downloads_and_compares_the_proposal(
    cast_in_finnish, open_browser
):
    measure = cast_in_finnish.measure
    with open_browser() as visitor:
        page = visitor.page
        visitor.sign_in("palonen", PASSWORD)
        visitor.press(page.get_by_role("link", name="Esitys mallista", exact=True))
        visitor.press(
            page.get_by_role("link", name="Muokkaa lukua Organisaatio ja tavoitteet")
        )
        visitor.type_into(
            page.get_by_label("Teksti", exact=True),
            "Allianssi kokoaa valtion ja **kuusi suurinta kaupunkia**.",
        )
        preview = page.get_by_label("Esikatselu", exact=True)
        expect(preview.locator("strong")).to_have_text("kuusi suurinta kaupunkia")
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(page).to_have_url(re.compile(r"/proposal/(#section-\d+)?$"))
        expect(page.get_by_role("main")).to_contain_text("kuusi suurinta kaupunkia")

        _make_final_version(visitor, 1)
        version = _version(page, 1)
        pdf = _download(visitor, version.get_by_role("link", name="Lataa PDF"))
        word = _download(
            visitor, version.get_by_role("link", name="Lataa Word-tiedosto")
        )

        visitor.open(f"/measures/{measure.pk}/edit/")
        visitor.type_into(
            page.get_by_role("textbox", name="Otsikko", exact=True),
            "Työllisyyspalvelujen kokeilu",
        )
        visitor.press(page.get_by_role("button", name="Tallenna"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Työllisyyspalvelujen kokeilu"
        )

        _make_final_version(visitor, 2)
        visitor.open("/proposal/compare/?from=1&to=2")
        main = page.get_by_role("main")
        expect(main).to_contain_text("Työllisyyspalvelujen kokeilu")
        changes = main.get_by_role("heading", level=3)
        expect(changes).to_have_count(1)
        expect(changes).to_contain_text("Työllisyyspalvelujen kokeilu")
        expect(main).to_contain_text(measure.title)

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "TEM077:00/2023" in text
    assert "kuusi suurinta kaupunkia" in text
    assert "LUONNOS" not in text
    assert zipfile.is_zipfile(io.BytesIO(word))
    paragraphs = [p.text for p in Document(io.BytesIO(word)).paragraphs]
    assert any("kuusi suurinta kaupunkia" in p for p in paragraphs)
    assert any(re.match(r"1\s+Organisaatio ja tavoitteet", p) for p in paragraphs)
