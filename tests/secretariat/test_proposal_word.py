"""The proposal's Word file, rendered from a snapshot and read back with python-docx."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from alliance import charts, wordfile
from secretariat.proposal_word import proposal_docx
from tests.secretariat.proposal_snapshots import HOSTILE_BODY, example_snapshot


def _read(snapshot):
    data = proposal_docx(snapshot)
    assert data[:2] == b"PK"
    return docx.Document(io.BytesIO(data))


def _texts(document):
    return [p.text for p in document.paragraphs if p.text]


def _headings(document):
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]


def _tables(document):
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]


def _header_text(document):
    return "\n".join(
        p.text for section in document.sections for p in section.header.paragraphs
    )


def _in_order(texts, expected):
    """Assert each of `expected` starts a paragraph, in this order."""
    rest = iter(texts)
    for wanted in expected:
        assert any(text.startswith(wanted) for text in rest), (
            f"{wanted!r} missing or out of order"
        )


@pytest.fixture(scope="module")
def final():
    """The final version's file, rendered once for the module's tests to read."""
    return _read(example_snapshot())


def test_the_cover_names_the_proposal_its_issuer_and_the_appointment(final):
    texts = _texts(final)

    title = next(p for p in final.paragraphs if p.text)
    assert title.style.name == "Title"
    assert texts[:4] == [
        "Esitys valtion ja suurten kaupunkien yhteistyömallista",
        "Valtion ja suurten kaupunkien yhteistyöallianssin sihteeristö",
        "Asettamispäätös TEM077:00/2023, 31.8.2023",
        "Versio 1 28.9.2023",
    ]


def test_the_sections_follow_in_order_with_their_text_and_the_live_model(final):
    _in_order(
        _texts(final),
        [
            "Tiivistelmä",
            "Sihteeristö esittää",
            "Työllisyys ja osaaminen",
            "Sammandrag",
            "Sekretariatet föreslår",
            "Sisällys",
            "Päivitä sisällysluettelo…",
            "1 Organisaatio ja tavoitteet",
            "Allianssin yhteistyöryhmää johtaa pääministeri.",
            "Tavoitteet",
            "Kasvu ja työllisyys",
            "Lisätietoa: valtioneuvosto.",
            "2 Teemat, toimenpiteet ja toimintamalli",
            "Teemat valmistellaan teemaryhmissä.",
            "2.1 Työllisyys ja osaaminen",
            "Kaupunkien ja valtion yhteiset työllisyyspalvelut.",
            "Tavoitteet: Työllisyysaste nousee 75 prosenttiin.",
            "Vastuuorganisaatio: Helsingin kaupunki",
            "2.1.1 Yhteinen osaamiskeskus",
            "Perustetaan osaamiskeskus kuuteen kaupunkiin.",
            "Osallistuvat organisaatiot: Espoon kaupunki, Opetus- ja",
            "Aikataulu: 1.1.2024–31.12.2025",
            "Tila: Suunniteltu",
            "2.1.2 Työllisyyskokeilu",
            "Osallistuvat organisaatiot: –",
            "Aikataulu: Ei päätetty",
            "2.2 Kestävä kaupunkikehitys",
            "2.2.1 Raideliikenteen yhteissuunnittelu",
            "3 Aikataulu",
            "Malli käynnistyy vuoden 2024 alussa.",
            "4 Toimeenpanon seuranta",
            "Seurannasta vastaa sihteeristö.",
            "4.1 Työllisyys ja osaaminen",
            "4.2 Kestävä kaupunkikehitys",
            "5 Rahoitus",
            "Kustannukset katetaan olemassa olevista määrärahoista.",
            "Liite 1 Sihteeristön jäsenet",
            "Naisten ja miesten välisestä tasa-arvosta annetun lain (609/1986) 4 a §",
            "Liite 2 Asettamispäätöksen tiivistelmä",
            "VALTION JA SUURTEN KAUPUNKIEN YHTEISTYÖALLIANSSIN SIHTEERISTÖN",
            "Tehtävät",
            "1. Valmistella yhteistyömallin organisointi ja tavoitteet.",
            "4. Toimia yhteistyöryhmän sihteeristönä.",
            "Toimikausi",
            "1.9.2023–",
            "Kustannukset",
            "Työryhmän jäsenille ei makseta kokouspalkkioita",
            "Allekirjoittajat",
            "Anna-Kaisa Ikonen\nKunta- ja alueministeri",
            "Tiina Korhonen\nOsastopäällikkö, ylijohtaja",
        ],
    )


def test_chapters_themes_and_measures_are_heading_1_to_3(final):
    headings = _headings(final)

    assert [text for style, text in headings if style == "Heading 1"] == [
        "1 Organisaatio ja tavoitteet",
        "2 Teemat, toimenpiteet ja toimintamalli",
        "3 Aikataulu",
        "4 Toimeenpanon seuranta",
        "5 Rahoitus",
        "Liite 1 Sihteeristön jäsenet",
        "Liite 2 Asettamispäätöksen tiivistelmä",
    ]
    assert ("Heading 2", "2.1 Työllisyys ja osaaminen") in headings
    assert ("Heading 2", "2.2 Kestävä kaupunkikehitys") in headings
    assert [text for style, text in headings if style == "Heading 3"] == [
        "2.1.1 Yhteinen osaamiskeskus",
        "2.1.2 Työllisyyskokeilu",
        "2.2.1 Raideliikenteen yhteissuunnittelu",
    ]
    # A '#' heading inside a section's text is one level below the chapter.
    assert ("Heading 2", "Tavoitteet") in headings
    # The summaries and the contents' title are not in the contents.
    assert not any(text in ("Tiivistelmä", "Sisällys") for _, text in headings)


def test_every_chapter_starts_a_new_page(final):
    chapters = [p for p in final.paragraphs if p.style.name == "Heading 1"]

    assert all(p.paragraph_format.page_break_before for p in chapters)


def test_the_table_of_contents_field_is_updated_when_word_opens_the_file(final):
    codes = wordfile.field_codes(final.element.body)

    assert len(codes) == 1
    assert 'TOC \\o "1-3" \\h' in codes[0]
    update = final.settings.element.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"


def test_milestones_indicators_and_members_are_real_tables(final):
    tables = _tables(final)

    assert [
        ["Vaihe", "Ajankohta"],
        ["Käynnistys", "2024 Q1"],
        ["Arviointi", "2025 Q4"],
    ] in tables
    assert [
        ["Neljännes", "Välitavoite", "Laji", "Teema tai toimenpide", "Määräpäivä"],
        [
            "2024 Q1",
            "Osaamiskeskus avataan",
            "Käynnistys",
            "Yhteinen osaamiskeskus",
            "31.3.2024",
        ],
        [
            "2025 Q2",
            "Väliarviointi",
            "Arviointi",
            "Työllisyys ja osaaminen",
            "30.6.2025",
        ],
    ] in tables
    indicator_header = [
        "Mittari",
        "Yksikkö",
        "Lähtötaso",
        "Tavoite",
        "Tietolähde",
        "Seurantaväli",
    ]
    assert [
        indicator_header,
        [
            "Työllisyysaste",
            "%",
            "71,2 (31.12.2022)",
            "75 (31.12.2027)",
            "Tilastokeskus",
            "Neljännesvuosittain",
        ],
    ] in tables
    assert [
        indicator_header,
        [
            "Valmistuneet asunnot",
            "kpl",
            "1 234,5 (31.12.2022)",
            "2 000 (31.12.2027)",
            "Kaupunkien rekisterit",
            "Vuosittain",
        ],
    ] in tables
    members = next(table for table in tables if table[0][0] == "Nimi")
    assert members[0] == [
        "Nimi",
        "Nimike",
        "Organisaatio",
        "Rooli",
        "Varajäsen jäsenelle",
    ]
    assert members[1] == [
        "Katja Palonen",
        "johtava asiantuntija",
        "Työ- ja elinkeinoministeriö",
        "Puheenjohtaja",
        "",
    ]
    for table in final.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_schedule_chapter_has_the_timeline_figure_with_its_text_alternative(
    final,
):
    chart = charts.timeline_chart(example_snapshot()["timeline"])
    (shape,) = final.inline_shapes
    paragraphs = final.paragraphs
    picture = next(
        index
        for index, paragraph in enumerate(paragraphs)
        if paragraph._p.find(f".//{qn('wp:inline')}") is not None
    )
    chapter = [p.text for p in paragraphs[:picture] if p.style.name == "Heading 1"]

    assert chapter[-1] == "3 Aikataulu"
    assert shape._inline.docPr.get("descr") == chart.description
    assert paragraphs[picture + 1].text == chart.title
    assert paragraphs[picture + 1].style.name == "Caption"
    image = final.part.related_parts[
        shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    ]
    assert image.blob == chart.png()


def test_the_header_has_the_document_facts_and_page_n_of_n(final):
    header = final.sections[0].header

    assert _header_text(final).startswith(
        "Työ- ja elinkeinoministeriö\tESITYS\t1 (1)\n\t28.9.2023\tTEM077:00/2023"
    )
    assert wordfile.field_codes(header._element) == ["PAGE", "NUMPAGES"]


def test_the_document_language_follows_the_snapshot(final):
    assert wordfile.document_language(final) == "fi-FI"

    swedish = _read(example_snapshot(draft=True, language="sv"))

    assert wordfile.document_language(swedish) == "sv-SE"
    assert "UTKAST" in _header_text(swedish)
    headings = [text for _, text in _headings(swedish)]
    assert "Bilaga 1 Sekretariatets medlemmar" in headings
    assert "Bilaga 2 Sammandrag av tillsättningsbeslutet" in headings
    assert "Innehåll" in _texts(swedish)


def test_a_draft_is_marked_in_the_header_of_every_page_and_a_final_is_not(final):
    draft = _read(example_snapshot(draft=True))

    # The header is the one of every page (no first-page or even-page variant).
    for section in draft.sections:
        assert not section.different_first_page_header_footer
        words = [run.text for p in section.header.paragraphs for run in p.runs]
        assert "LUONNOS" in words
    assert not draft.settings.odd_and_even_pages_header_footer
    assert "LUONNOS 28.9.2023" in _texts(draft)

    assert "LUONNOS" not in _header_text(final)
    assert not any("LUONNOS" in text for text in _texts(final))


def test_html_and_script_typed_into_a_section_come_out_as_visible_text():
    snapshot = example_snapshot()
    snapshot["sections"][0]["body"] = HOSTILE_BODY
    snapshot["themes"][0]["title"] = "<img src=x onerror=alert(1)>"
    document = _read(snapshot)
    texts = _texts(document)

    assert "Ennen <b>lihavoitu</b> ja <script>alert('x')</script> jälkeen." in texts
    assert "2.1 <img src=x onerror=alert(1)>" in texts
    # The javascript: link stays typed text; the https link is a real hyperlink.
    assert "[Klikkaa](javascript:alert(1)) ja turvallinen." in texts
    rels = document.part.rels
    targets = [
        rels[link.get(qn("r:id"))].target_ref
        for link in document.element.body.iter(qn("w:hyperlink"))
    ]
    assert "https://example.org/a?b=1&c=2" in targets
    assert not any("javascript" in target for target in targets)


def test_an_empty_proposal_still_renders():
    snapshot = example_snapshot()
    snapshot.update(
        summary="", summary_sv="", milestones=[], timeline=[], indicators=[], themes=[]
    )
    snapshot["members"] = {"rows": [], "gender_statement": ""}
    document = _read(snapshot)
    texts = _texts(document)

    assert "Tiivistelmä" not in texts
    assert "Sammandrag" not in texts
    assert "Ei välitavoitteita." in texts
    assert "Ei mittareita." in texts
    assert not any(style == "Heading 3" for style, _ in _headings(document))
    assert not document.inline_shapes
