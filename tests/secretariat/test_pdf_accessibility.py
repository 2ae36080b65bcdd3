"""Every document type as a screen reader and a search get it: read with pikepdf,
pypdf and pdftotext."""

import io
import subprocess

import pikepdf
import pytest
from pypdf import PdfReader

from secretariat import documents, progress_report
from secretariat.meetings.models import Meeting
from secretariat.progress_report import Scope
from secretariat.proposal_pdf import proposal_pdf
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, alliance_create
from tests.secretariat.proposal_snapshots import example_snapshot
from tests.secretariat.test_progress_report import render, report_world  # noqa: F401

pytestmark = pytest.mark.django_db

ONLINE_LINK = "https://teams.example.fi/kokous/3"
# Long enough for several lines, with long words that used to be hyphenated.
LONG_TEXT = (
    "Kaupunkien ja valtion yhteistyöryhmä käsittelee työllisyyspalvelujen "
    "yhteiskehittämisen toimeenpanosuunnitelman ja kansainvälistymisstrategian. "
) * 6
TABLE_TEXT = (
    "Kaupunkien osuudet:\n\n"
    "| Kaupunki | Osuus |\n"
    "| --- | --- |\n"
    "| Helsinki | 40 % |\n"
    "| Tampere | 15 % |\n"
)


@pytest.fixture
def meeting(fixed_today):
    alliance = alliance_create()
    meeting = MeetingFactory(
        body=alliance.group, number=3, online_link=ONLINE_LINK, place=""
    )
    for number in range(1, 9):
        AgendaItemFactory(
            meeting=meeting,
            order=number,
            title=f"Asia numero {number}: yhteistyömalli",
            description=LONG_TEXT,
            decision=f"Päätettiin asiasta {number}.",
        )
    return meeting


def _agenda(meeting) -> bytes:
    return documents.document_render(
        documents.agenda_document(meeting=meeting, language="fi")
    )


def _minutes(meeting) -> bytes:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    return documents.document_render(
        documents.minutes_document(meeting=meeting, language="fi")
    )


def _proposal() -> bytes:
    return proposal_pdf(example_snapshot(draft=True))


def _progress_report() -> bytes:
    return render(progress_report.ReportScope(kind=Scope.ALL))[1]


@pytest.fixture(params=["agenda", "minutes", "proposal", "progress_report"])
def document_pdf(request, fixed_today) -> bytes:
    """Each document type's PDF, made at the fixed clock's moment."""
    if request.param == "agenda":
        return _agenda(request.getfixturevalue("meeting"))
    if request.param == "minutes":
        return _minutes(request.getfixturevalue("meeting"))
    if request.param == "proposal":
        return _proposal()
    request.getfixturevalue("report_world")
    return _progress_report()


def _pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


def _pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _structure_elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements reachable from the structure tree root."""
    found, stack = [], [document.Root.StructTreeRoot.K]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None:
            found.append(kid)
            stack.append(kid.get("/K"))
    return found


def _tagged_text(data: bytes) -> list[str]:
    """Return each page's text without what is marked as an artifact.

    That is what a screen reader reads: the text shown inside /Artifact sequences
    is taken out of the content streams before pypdf reads them.
    """
    with pikepdf.open(io.BytesIO(data)) as document:
        for page in document.pages:
            kept, artifact = [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in {"BMC", "BDC"}:
                    outer = bool(artifact and artifact[-1])
                    artifact.append(outer or operands[0] == pikepdf.Name.Artifact)
                elif name == "EMC":
                    artifact.pop()
                elif name in {"Tj", "TJ", "'", '"'} and artifact and artifact[-1]:
                    continue
                kept.append(pikepdf.ContentStreamInstruction(operands, operator))
            page.obj.Contents = document.make_stream(
                pikepdf.unparse_content_stream(kept)
            )
        written = io.BytesIO()
        document.save(written)
    return _pypdf_pages(written.getvalue())


def test_the_page_header_and_number_are_artifacts_and_every_tag_is_in_the_tree(
    document_pdf,
):
    data = document_pdf

    printed, tagged = _pypdf_pages(data), _tagged_text(data)
    count = len(printed)
    for number, (page, reading) in enumerate(zip(printed, tagged, strict=True), 1):
        # Printed on the page, but not in what a screen reader reads (the
        # proposal's cover names the diary number once more, as content).
        diary_numbers = page.count("TEM077:00/2023")
        assert diary_numbers >= 1
        assert reading.count("TEM077:00/2023") == diary_numbers - 1
        assert f"{number} ({count})" in page
        assert f"{number} ({count})" not in reading
        assert reading.strip()
    with pikepdf.open(io.BytesIO(data)) as document:
        in_tree = {element.objgen for element in _structure_elements(document)}
        written = {
            thing.objgen
            for thing in document.objects
            if isinstance(thing, pikepdf.Dictionary)
            and thing.get("/Type") == pikepdf.Name.StructElem
        }
        assert written == in_tree
        parent_tree = pikepdf.NumberTree(document.Root.StructTreeRoot.ParentTree)
        for page in document.pages:
            parents = parent_tree[int(page.obj.StructParents)]
            marked = [
                int(operands[1].MCID)
                for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
            ]
            assert marked
            assert all(parents[mcid].objgen in in_tree for mcid in marked)


def test_the_text_has_no_hyphenation_character_and_a_creation_date(document_pdf):
    data = document_pdf

    for text in ("".join(_pypdf_pages(data)), _pdftotext(data)):
        assert "\u2010" not in text
    with pikepdf.open(io.BytesIO(data)) as document:
        # The fixed clock's moment, in the document information and in XMP.
        assert str(document.docinfo.CreationDate) == "D:20230915100000+00'00"
        with document.open_metadata() as xmp:
            assert xmp["xmp:CreateDate"] == "2023-09-15T10:00:00+00:00"


def test_long_words_the_draft_mark_and_the_first_bookmark_come_back_whole(meeting):
    data = _agenda(meeting)

    # The heading's line break is a space in its bookmark.
    outline = PdfReader(io.BytesIO(data)).outline
    assert outline[0].title == "Suurten kaupunkien yhteistyöryhmä Kokous 3/2023"

    for text in ("\n".join(_pypdf_pages(data)), _pdftotext(data)):
        assert "LUONNOS" in text.split()
        for word in ("työllisyyspalvelujen", "kansainvälistymisstrategian."):
            assert word in text.split()


def test_the_online_meeting_link_is_a_tagged_link(meeting):
    for data in (_agenda(meeting), _minutes(meeting)):
        with pikepdf.open(io.BytesIO(data)) as document:
            links = [
                annotation
                for annotation in document.pages[0].obj.get("/Annots", [])
                if annotation.Subtype == pikepdf.Name.Link
            ]
            assert [str(link.A.URI) for link in links] == [ONLINE_LINK]
            # PDF/UA: a link has a description and its own Link structure element.
            assert str(links[0].Contents) == ONLINE_LINK
            link_elements = [
                element
                for element in _structure_elements(document)
                if element.get("/S") == pikepdf.Name.Link
            ]
            assert any(
                isinstance(kid, pikepdf.Dictionary)
                and kid.get("/Obj") is not None
                and kid.Obj.objgen == links[0].objgen
                for element in link_elements
                for kid in element.K
            )


def test_a_table_in_an_item_prints_as_a_tagged_table(meeting):
    item = meeting.agenda_items.order_by("order").first()
    item.description = TABLE_TEXT
    item.decision = TABLE_TEXT
    item.save()

    for data in (_agenda(meeting), _minutes(meeting)):
        with pikepdf.open(io.BytesIO(data)) as document:
            tags = [str(element.S) for element in _structure_elements(document)]
        assert "/Table" in tags
        assert tags.count("/TH") >= 2
        assert tags.count("/TD") >= 4
        text = "\n".join(_pypdf_pages(data))
        assert "Kaupunki Osuus" in text
        assert "Helsinki 40 %" in text
        assert "| --- |" not in text


def test_passages_in_another_language_carry_no_language_of_their_own(meeting):
    # A limit of WeasyPrint that docs/documents.md describes: the Finnish items of a
    # Swedish agenda are tagged without /Lang, and so announced as Swedish. When this
    # fails, the renderer has learnt it: update the documentation.
    document = documents.agenda_document(meeting=meeting, language="sv")
    assert 'lang="fi"' in documents.document_preview_html(document)

    data = documents.document_render(document)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "sv"
        assert not any("/Lang" in element for element in _structure_elements(pdf))
