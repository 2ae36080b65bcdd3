"""The shared Word helpers, read back from the saved file with python-docx."""

import io

import docx
import pytest
from django.utils import translation
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from alliance import wordfile


def _reopen(document):
    return docx.Document(io.BytesIO(wordfile.document_bytes(document)))


def _styled(document):
    return [(p.style.name, p.text) for p in document.paragraphs if p.text]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _hyperlinks(document):
    """Return (text, target) of each w:hyperlink of the body, with its relationship."""
    rels = document.part.rels
    links = []
    for element in document.element.body.iter(qn("w:hyperlink")):
        rel = rels[element.get(qn("r:id"))]
        assert rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
        assert rel.is_external
        text = "".join(t.text for t in element.iter(qn("w:t")))
        links.append((text, rel.target_ref))
    return links


@pytest.mark.parametrize(
    ("language", "tag"), [("fi", "fi-FI"), ("sv", "sv-SE"), ("en", "en-GB")]
)
def test_the_language_is_set_on_the_defaults_and_every_style(language, tag):
    document = _reopen(wordfile.document_new(language=language))

    assert wordfile.document_language(document) == tag
    assert document.core_properties.language == tag
    langs = {
        lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))
    }
    assert langs == {tag}
    heading = document.styles["Heading 1"].element.rPr.find(qn("w:lang"))
    assert heading.get(qn("w:val")) == tag


def test_one_named_font_everywhere_not_the_templates_theme_fonts():
    document = _reopen(wordfile.document_new())
    fonts = list(document.styles.element.iter(qn("w:rFonts")))

    assert fonts
    for element in fonts:
        assert element.get(qn("w:ascii")) == wordfile.FONT
        assert element.get(qn("w:asciiTheme")) is None


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        wordfile.document_new(language="de")


def test_the_page_is_a4_with_margins():
    section = _reopen(wordfile.document_new()).sections[0]

    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.5
    assert round(section.right_margin.cm, 1) == 2.0


def _header_document(*, draft, language="fi"):
    document = wordfile.document_new(language=language)
    wordfile.header_set(
        document,
        organisation="Työ- ja elinkeinoministeriö",
        document_type="ESITYS",
        date="28.9.2023",
        diary_number="TEM077:00/2023",
        draft=draft,
    )
    document.add_paragraph("Teksti")
    return _reopen(document)


def test_the_header_has_who_what_when_and_page_n_of_n_from_fields():
    document = _header_document(draft=False)
    header = document.sections[0].header
    texts = [p.text for p in header.paragraphs]

    assert texts[0] == "Työ- ja elinkeinoministeriö\tESITYS\t1 (1)"
    assert texts[1] == "\t28.9.2023\tTEM077:00/2023"
    assert wordfile.field_codes(header._element) == ["PAGE", "NUMPAGES"]
    kinds = [
        char.get(qn("w:fldCharType")) for char in header._element.iter(qn("w:fldChar"))
    ]
    assert kinds == ["begin", "separate", "end"] * 2
    # One header for every page: no separate first page or even pages.
    assert not document.sections[0].different_first_page_header_footer
    assert not document.settings.odd_and_even_pages_header_footer


@pytest.mark.parametrize(
    ("language", "mark"), [("fi", "LUONNOS"), ("sv", "UTKAST"), ("en", "DRAFT")]
)
def test_a_draft_carries_the_mark_in_the_header_as_one_word(language, mark):
    header = _header_document(draft=True, language=language).sections[0].header

    runs = [run for p in header.paragraphs for run in p.runs if run.text == mark]
    assert len(runs) == 1
    # Not letter-spaced, so that text extraction finds the word.
    assert runs[0]._r.rPr.find(qn("w:spacing")) is None


def test_a_final_document_has_no_draft_mark():
    header = _header_document(draft=False).sections[0].header

    assert "LUONNOS" not in " ".join(p.text for p in header.paragraphs)


def test_the_table_of_contents_is_a_toc_field_word_updates_on_opening():
    document = wordfile.document_new()
    with translation.override("fi"):
        wordfile.toc_add(document)
    document = _reopen(document)

    codes = wordfile.field_codes(document.element.body)
    assert codes == ['TOC \\o "1-3" \\h \\z \\u']
    assert 'TOC \\o "1-3" \\h' in codes[0]
    assert document.paragraphs[0].text == "Päivitä sisällysluettelo…"
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"
    # In the schema's order: before w:compat, or Word calls the file corrupt.
    names = [child.tag for child in settings]
    assert names.index(qn("w:updateFields")) < names.index(qn("w:compat"))


def test_headings_use_the_built_in_styles():
    document = wordfile.document_new()
    for level in (1, 2, 3):
        wordfile.heading_add(document, f"Taso {level}", level)

    assert _styled(_reopen(document)) == [
        ("Heading 1", "Taso 1"),
        ("Heading 2", "Taso 2"),
        ("Heading 3", "Taso 3"),
    ]


def test_a_table_is_a_real_table_with_a_repeating_header_row():
    document = wordfile.document_new()
    wordfile.table_add(
        document,
        ["Nimi", "Rooli"],
        [["Katja Palonen", "Puheenjohtaja"], ["Olli Voutilainen", "Jäsen"]],
        widths=[Cm(6), Cm(6)],
    )
    document = _reopen(document)

    (table,) = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Nimi", "Rooli"],
        ["Katja Palonen", "Puheenjohtaja"],
        ["Olli Voutilainen", "Jäsen"],
    ]
    assert table.style.name == "Table Grid"
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None
    assert table.rows[1]._tr.trPr is None
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_a_picture_is_embedded_from_png_bytes_with_its_text_alternative():
    document = wordfile.document_new()
    wordfile.picture_add(document, _png(), description="Aikajana 2024–2026")
    document = _reopen(document)

    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "Aikajana 2024–2026"
    assert round(shape.width.cm, 1) == 16.5


def test_characters_xml_cannot_hold_are_dropped_not_an_error():
    document = wordfile.document_new()
    wordfile.paragraph_add(document, "A\x00B\x0bC\x1fD")
    wordfile.add_markdown(document, "E\x0cF")

    assert [p.text for p in _reopen(document).paragraphs] == ["ABCD", "EF"]


MARKDOWN = """Alku **lihava** ja *kursiivi* ja [linkki](https://example.org/x?a=1&b=2).

# Otsikko

## Alaotsikko

- yksi
- kaksi
  1. sisempi

1. ensimmäinen
2. toinen

Väli.

3. kolmas
4. neljäs

| Nimi | Arvo |
|------|-----:|
| a    | **1** |
"""


def test_markdown_becomes_paragraphs_headings_lists_and_runs():
    document = wordfile.document_new()
    wordfile.add_markdown(document, MARKDOWN, section_level=1)
    document = _reopen(document)

    assert _styled(document) == [
        ("Normal", "Alku lihava ja kursiivi ja linkki."),
        ("Heading 2", "Otsikko"),
        ("Heading 3", "Alaotsikko"),
        ("List Bullet", "yksi"),
        ("List Bullet", "kaksi"),
        ("List Number 2", "sisempi"),
        ("List Number", "ensimmäinen"),
        ("List Number", "toinen"),
        ("Normal", "Väli."),
        ("List Number", "kolmas"),
        ("List Number", "neljäs"),
    ]
    runs = document.paragraphs[0].runs
    assert [
        (run.text, run.bold, run.italic) for run in runs if run.bold or run.italic
    ] == [
        ("lihava", True, None),
        ("kursiivi", None, True),
    ]


def test_markdown_headings_follow_the_section_level():
    document = wordfile.document_new()
    wordfile.add_markdown(document, "# Yksi\n\n## Kaksi", section_level=2)

    assert _styled(_reopen(document)) == [("Heading 3", "Yksi"), ("Heading 4", "Kaksi")]


def test_each_numbered_list_starts_from_its_own_number():
    document = wordfile.document_new()
    wordfile.add_markdown(document, MARKDOWN)
    document = _reopen(document)

    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    numbering = document.part.numbering_part.element
    starts = [
        numbering.num_having_numId(num_id)
        .find(qn("w:lvlOverride"))
        .find(qn("w:startOverride"))
        .get(qn("w:val"))
        for num_id in (ids[0], ids[2])
    ]
    assert starts == ["1", "3"]


def test_markdown_links_are_real_hyperlinks_to_safe_addresses_only():
    document = wordfile.document_new()
    wordfile.add_markdown(
        document,
        "[hyvä](https://example.org/x?a=1&b=2) [posti](mailto:a@example.org) "
        "[paha](javascript:alert(1)) [data](data:text/html,x)",
    )
    document = _reopen(document)

    assert _hyperlinks(document) == [
        ("hyvä", "https://example.org/x?a=1&b=2"),
        ("posti", "mailto:a@example.org"),
    ]
    text = document.paragraphs[0].text
    assert "[paha](javascript:alert(1))" in text
    assert "[data](data:text/html,x)" in text
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert not any(target.startswith(("javascript", "data")) for target in targets)


def test_typed_html_and_script_stay_visible_text():
    document = wordfile.document_new()
    wordfile.add_markdown(
        document,
        "Ennen <b>lihava</b> <script>alert('x')</script> &lt;i&gt;\n\n<div>lohko</div>",
    )
    document = _reopen(document)

    assert [p.text for p in document.paragraphs] == [
        "Ennen <b>lihava</b> <script>alert('x')</script> <i>",
        "<div>lohko</div>",
    ]
    assert not any(run.bold for run in document.paragraphs[0].runs)


def test_markdown_tables_are_real_tables_from_the_same_tokens():
    document = wordfile.document_new()
    wordfile.add_markdown(document, MARKDOWN)
    document = _reopen(document)

    (table,) = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Nimi", "Arvo"],
        ["a", "1"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    value = table.rows[1].cells[1].paragraphs[0]
    assert value.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert value.runs[0].bold


def test_markdown_goes_into_a_table_cell_too():
    document = wordfile.document_new()
    cell = wordfile.table_add(document, ["Teksti"], [[""]]).rows[1].cells[0]
    wordfile.add_markdown(cell, "- *a* [b](https://example.org/)")
    document = _reopen(document)

    cell = document.tables[0].rows[1].cells[0]
    assert [(p.style.name, p.text) for p in cell.paragraphs if p.text] == [
        ("List Bullet", "a b")
    ]
    assert cell._tc.find(f".//{qn('w:hyperlink')}") is not None
