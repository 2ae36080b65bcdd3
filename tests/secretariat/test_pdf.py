"""The one PDF pipeline: Finnish government layout, no network, tagged PDF/UA-1."""

import io
import re
import socket
import urllib.request

import pydyf
import pytest
from pypdf import PdfReader

from alliance import pdf
from secretariat.documents import agenda_document, document_render
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
)

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "Sihteeristö on valmistellut hallitusohjelman mukaisen esityksen valtion ja "
    "suurten kaupunkien yhteistyömallista, sen organisoinnista ja tavoitteista sekä "
    "toimeenpanon seurannasta. Esityksessä kuvataan kansainvälistymisen, "
    "työllisyyden ja korkeakoulutuksen teemat. "
) * 2


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def agenda_of_20():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=3)
    for number in range(1, 21):
        AgendaItemFactory(
            meeting=meeting,
            order=number,
            title=f"Asia numero {number}: yhteistyömalli",
            description=LONG_TEXT,
            decision_proposal=(
                "Yhteistyöryhmä hyväksyy esityksen. Åbo, Vanda, Uleåborg."
            ),
        )
    return meeting


def test_agenda_of_20_items_reads_back_in_order_with_header_and_page_numbers(
    agenda_of_20,
):
    data = document_render(agenda_document(meeting=agenda_of_20, language="fi"))

    pages = _pages(data)
    count = len(pages)
    assert count >= 3
    for number, text in enumerate(pages, 1):
        assert re.search(rf"(^|\s){number} \({count}\)(\s|$)", text), text[:300]
        assert "TEM077:00/2023" in text
        assert "12.10.2023" in text
        assert "ESITYSLISTA 3/2023" in text
        assert "Työ- ja elinkeinoministeriö" in text
    whole = "\n".join(pages)
    positions = [
        whole.index(f"{n}. Asia numero {n}: yhteistyömalli") for n in range(1, 21)
    ]
    assert positions == sorted(positions)
    # Finnish and Swedish letters come through as text, not as boxes or lookalikes.
    assert "Uleåborg" in whole
    assert "Yhteistyöryhmä hyväksyy esityksen." in whole


def test_the_pdf_is_tagged_pdf_ua_with_language_and_title(agenda_of_20):
    data = document_render(agenda_document(meeting=agenda_of_20, language="fi"))

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == (
        "Esityslista 3/2023 – Suurten kaupunkien yhteistyöryhmä"
    )
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_a_swedish_agenda_names_its_type_in_swedish_and_keeps_finnish_content(
    agenda_of_20,
):
    document = agenda_document(meeting=agenda_of_20, language="sv")

    text = "\n".join(_pages(document_render(document)))

    assert "FÖREDRAGNINGSLISTA 3/2023" in text
    assert "Asia numero 1: yhteistyömalli" in text
    assert PdfReader(io.BytesIO(document_render(document))).trailer["/Root"][
        "/Lang"
    ] == ("sv")


@pytest.fixture
def template_with_external_urls(settings, tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "external.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "<style>@import url(https://fonts.example.com/font.css);</style>"
        '<p>Kuva:</p><img src="http://example.com/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<link rel="stylesheet" href="/static/../../alliance/settings.py">'
        "{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "pdf/external.html"


def test_rendering_fetches_nothing_from_the_network(
    template_with_external_urls, monkeypatch
):
    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    fetcher = pdf.StaticFilesFetcher()
    context = {"language": "fi", "title": "Testi", "header": {"diary_number": "X"}}

    data = pdf.render_pdf(template_with_external_urls, context, fetcher=fetcher)

    assert data.startswith(b"%PDF-")
    assert "http://example.com/x.png" in fetcher.refused
    assert "https://fonts.example.com/font.css" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    # Then the emoji font's files, the first time the process renders.
    assert fetcher.served[0] == "https://allianssi.invalid/static/pdf/print.css"
    assert all(
        url.startswith("https://allianssi.invalid/static/vendor/noto-emoji/")
        for url in fetcher.served[1:]
    )


def test_the_fetcher_serves_only_static_files_by_the_finders():
    fetcher = pdf.StaticFilesFetcher()

    response = fetcher.fetch("https://allianssi.invalid/static/pdf/print.css")
    assert b"@page" in response.read()
    for url in (
        "https://allianssi.invalid/static/../alliance/settings.py",
        "https://allianssi.invalid/static/pdf/nothing.css",
        "https://allianssi.invalid/media/secret.pdf",
        "https://example.com/static/pdf/print.css",
        "data:text/css,body{}",
    ):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_page_references_are_built_once_and_follow_the_pages_added():
    document = pydyf.PDF()
    first = pydyf.Dictionary({"Type": "/Page"})
    document.add_page(first)

    references = document.page_references
    assert references == (f"{first.number} 0 R".encode(),)
    assert document.page_references is references
    second = pydyf.Dictionary({"Type": "/Page"})
    document.add_page(second)
    assert document.page_references == (
        f"{first.number} 0 R".encode(),
        f"{second.number} 0 R".encode(),
    )
