"""The proposal's PDF, read back with pypdf: cover, contents, chapters, draft mark."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from secretariat.models import ProposalSection
from secretariat.proposal_pdf import proposal_html, proposal_pdf
from secretariat.proposal_snapshot import snapshot_build
from tests.secretariat.proposals import proposal_create

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2023, 9, 28, 9, 0, tzinfo=datetime.UTC)
HOSTILE = '<script>alert("x")</script> <b>lihava</b> & <img src=x>'


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def proposal(world):
    proposal = proposal_create()
    ProposalSection.objects.create(
        proposal=proposal,
        title="Oma luku",
        body=f"Ennen\n\n{HOSTILE}\n\n# Alaotsikko\n\n- kohta yksi\n- kohta kaksi",
        order=5,
    )
    return proposal


def _snapshot(proposal, *, draft: bool, user=None):
    return snapshot_build(
        proposal=proposal,
        draft=draft,
        number=None if draft else 1,
        made_by=user,
        at=AT,
    )


@pytest.fixture
def final_pages(proposal, world):
    return _pages(
        proposal_pdf(_snapshot(proposal, draft=False, user=world.users["chair"]))
    )


@pytest.fixture
def draft_pages(proposal, world):
    return _pages(
        proposal_pdf(_snapshot(proposal, draft=True, user=world.users["staff"]))
    )


def test_every_page_has_the_header_and_its_number(final_pages):
    count = len(final_pages)
    assert count >= 8
    for number, text in enumerate(final_pages, 1):
        assert re.search(rf"(^|\s){number} \({count}\)(\s|$)", text), text[-300:]
        assert "ESITYS" in text
        assert "TEM077:00/2023" in text
        assert "28.9.2023" in text
        assert "Työ- ja elinkeinoministeriö" in text


def test_the_cover_names_the_decision_and_the_version(final_pages):
    cover = final_pages[0]
    assert "Esitys valtion ja suurten kaupunkien" in cover
    assert "TEM077:00/2023, 31.8.2023" in cover
    assert "Katja Palonen" in cover


def test_the_contents_give_the_page_of_each_chapter(final_pages):
    contents = final_pages[1]
    titles = [
        "1 Organisointi ja tavoitteet",
        "2 Teemat, toimenpiteet ja toimintamalli",
        "2.1 Työllisyys",
        "3 Käynnistämisen ja toimeenpanon aikataulu",
        "4 Toimeenpanon seuranta",
        "5 Oma luku",
        "Liite 1 Sihteeristön jäsenet",
        "Liite 2 Asettamispäätöksen tiivistelmä",
    ]
    for title in titles:
        match = re.search(re.escape(title) + r" \.+ +(\d+)", contents)
        assert match, (title, contents)
        page = int(match.group(1))
        heading = title.replace(" ", r"\s+", 1) if title[0].isdigit() else title
        assert re.search(heading, final_pages[page - 1]), (title, page)


def test_the_chapters_come_in_order_with_their_text_and_the_model(final_pages, world):
    body = "\n".join(final_pages[2:])
    order = [
        "Luvun 1 teksti",
        "Luvun 2 teksti",
        "Työllisyys",
        world.measure.title,
        "Luvun 3 teksti",
        "2023 Q4",
        "30.11.2023",
        "Luvun 4 teksti",
        "Työllisyysaste",
        "Ennen",
        "Alaotsikko",
        "Liite 1 Sihteeristön jäsenet",
        "(609/1986)",
        "Liite 2 Asettamispäätöksen tiivistelmä",
    ]
    missing = [text for text in order if text not in body]
    assert not missing, body
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "1.9.2023–31.12.2024" in body
    assert "kohta kaksi" in body


def test_html_typed_into_a_section_shows_as_text(final_pages, proposal, world):
    body = "\n".join(final_pages)
    assert '<script>alert("x")</script>' in body
    assert "<b>lihava</b> & <img src=x>" in body
    html = proposal_html(_snapshot(proposal, draft=False))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_every_page_of_a_draft_carries_luonnos_as_one_word(draft_pages):
    assert all(re.search(r"(^|\s)LUONNOS(\s|$)", page) for page in draft_pages)


def test_a_final_version_carries_no_draft_mark(final_pages):
    assert not any("LUONNOS" in page for page in final_pages)
    assert not any("L U O N" in page for page in final_pages)


def test_the_schedule_has_the_timeline_figure(proposal):
    html = proposal_html(_snapshot(proposal, draft=False))
    assert 'src="chart:timeline"' in html
