"""Word files (.docx): the project's one python-docx module.

A document here follows the Finnish government conventions the PDFs follow: A4, a
header with the organisation, the document type, the date, the diary number and
"1 (N)" from PAGE and NUMPAGES fields, the document's language set on every style,
real heading styles (so Word's navigation pane and table of contents work), real
tables, and long texts from the project's Markdown subset, built from the same token
stream as its HTML (`alliance.markdown.markdown_tokens`), never from the HTML.

python-docx has no API for fields, hyperlinks, repeating table headers or list
restarts; those are written here as WordprocessingML.
"""

import io
import re
from collections.abc import Iterable, Sequence

from django.utils import translation
from django.utils.translation import gettext, pgettext
from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from alliance.markdown import is_safe_link, markdown_tokens

# The document languages the app writes, as Word's language tags.
LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}
# Decimal and list separators Word uses for the document's fields and tables.
_SEPARATORS = {"fi": (",", ";"), "sv": (",", ";"), "en": (".", ",")}

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN_LEFT = Cm(2.5)
MARGIN_RIGHT = Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
HEADING_STYLES_MAX = 6
LIST_LEVELS_MAX = 3
TOC_LEVELS = "1-3"
HYPERLINK_STYLE = "Hyperlink"
TABLE_STYLE = "Table Grid"

# Characters XML 1.0 does not allow (lxml refuses them): dropped from any text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Elements of w:settings that come after w:updateFields in the schema's order.
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def document_new(*, language: str = "fi") -> Document:
    """Return an empty A4 document in `language` ("fi", "sv" or "en")."""
    if language not in LANGUAGE_TAGS:
        raise ValueError(f"No Word language for {language!r}.")
    document = new_document()
    document.core_properties.language = LANGUAGE_TAGS[language]
    _language_set(document, language)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.top_margin = Cm(3.0)
    section.bottom_margin = Cm(2.0)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)
    _styles_prepare(document)
    return document


def document_language(document: Document) -> str:
    """Return the Word language tag of the document's default run properties."""
    lang = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    return lang.get(qn("w:val"))


def document_bytes(document: Document) -> bytes:
    """Return the document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _language_set(document: Document, language: str) -> None:
    tag = LANGUAGE_TAGS[language]
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _lang_put(run_properties, tag)
    # Styles that name a language of their own would override the default.
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    for style in document.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            _lang_put(style.element.get_or_add_rPr(), tag)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)
    decimal, separator = _SEPARATORS[language]
    for name, value in (("w:decimalSymbol", decimal), ("w:listSeparator", separator)):
        element = settings.find(qn(name))
        if element is not None:
            element.set(qn("w:val"), value)


def _lang_put(run_properties, tag: str) -> None:
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), tag)


def _styles_prepare(document: Document) -> None:
    styles = document.styles
    # One font everywhere: the template's theme fonts would override a named font.
    for fonts in styles.element.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{attribute}"), FONT)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 14), (2, 12), (3, 11)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = BLACK
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    title.font.size = Pt(20)
    title.font.color.rgb = BLACK
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = False
    caption.font.italic = True
    caption.font.color.rgb = BLACK
    if HYPERLINK_STYLE not in [style.name for style in styles]:
        hyperlink = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
        hyperlink.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        hyperlink.font.underline = True
        hyperlink.element.get_or_add_rPr()
    tag = document.core_properties.language
    _lang_put(styles[HYPERLINK_STYLE].element.get_or_add_rPr(), tag)


def run_add(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Length | None = None,
):
    """Add `text` to `paragraph` as typed; characters XML cannot hold are dropped."""
    run = paragraph.add_run(_NOT_XML.sub("", str(text)))
    run.bold = True if bold else None
    run.italic = True if italic else None
    if size is not None:
        run.font.size = size
    return run


# Fields ------------------------------------------------------------------------------


def field_append(paragraph: Paragraph, code: str, result: str = "") -> None:
    """Append a field (`PAGE`, `TOC \\o "1-3"` …) with `result` as its shown text.

    A complex field: fldChar begin, instrText, fldChar separate, the result, fldChar
    end, each in a run of its own.
    """
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    paragraph.add_run()._r.append(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)
    run_add(paragraph, result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def field_codes(element) -> list[str]:
    """Return the codes of the fields under `element` (a part's XML), stripped."""
    return [(node.text or "").strip() for node in element.iter(qn("w:instrText"))]


def update_fields_on_open(document: Document) -> None:
    """Ask Word to update the document's fields (the table of contents) on opening."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        following = next(
            (
                element
                for name in _SETTINGS_AFTER_UPDATE_FIELDS
                if (element := settings.find(qn(name))) is not None
            ),
            None,
        )
        if following is None:
            settings.append(update)
        else:
            following.addprevious(update)
    update.set(qn("w:val"), "true")


def toc_add(document: Document, *, placeholder: str | None = None) -> Paragraph:
    """Add a table of contents of Heading 1–3, filled in by Word when it opens the file.

    The field's result is `placeholder` until then (a hint to update the field).
    """
    if placeholder is None:
        placeholder = pgettext("word file", "Update the table of contents…")
    paragraph = document.add_paragraph()
    field_append(paragraph, f'TOC \\o "{TOC_LEVELS}" \\h \\z \\u', placeholder)
    update_fields_on_open(document)
    return paragraph


# Header ------------------------------------------------------------------------------


def header_set(
    document: Document,
    *,
    organisation: str,
    document_type: str,
    date: str,
    diary_number: str = "",
    draft: bool = False,
) -> None:
    """Write the header of every page: who, what, when, diary number, "1 (N)".

    A draft carries the draft mark (LUONNOS / UTKAST / DRAFT in the document's
    language) in the header, so that it is on every page; the mark is one run with
    no letter-spacing, so that it extracts as one word.
    """
    section = document.sections[0]
    section.different_first_page_header_footer = False
    header = section.header
    header.is_linked_to_previous = False
    stops_at = (Cm(9.0), TEXT_WIDTH)
    first = header.paragraphs[0]
    first.text = ""
    first.style = document.styles["Header"]
    _tab_stops_set(first, stops_at)
    run_add(first, organisation, bold=True)
    first.add_run("\t")
    run_add(first, document_type, bold=True)
    first.add_run("\t")
    field_append(first, "PAGE", "1")
    first.add_run(" (")
    field_append(first, "NUMPAGES", "1")
    first.add_run(")")
    second = header.add_paragraph(style=document.styles["Header"])
    _tab_stops_set(second, stops_at)
    run_add(second, f"\t{date}\t{diary_number}")
    if draft:
        with translation.override(_document_language_code(document)):
            mark = gettext("DRAFT")
        paragraph = header.add_paragraph(style=document.styles["Header"])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = run_add(paragraph, mark, bold=True, size=Pt(14))
        run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)


def _tab_stops_set(paragraph: Paragraph, positions) -> None:
    stops = paragraph.paragraph_format.tab_stops
    stops.clear_all()
    # The style's own stops (Header: centre and right) apply unless cleared here.
    for inherited in paragraph.style.paragraph_format.tab_stops:
        if inherited.position not in positions:
            stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(positions[0], WD_TAB_ALIGNMENT.LEFT)
    stops.add_tab_stop(positions[1], WD_TAB_ALIGNMENT.RIGHT)


def _document_language_code(document: Document) -> str:
    tag = document.core_properties.language
    return next((code for code, value in LANGUAGE_TAGS.items() if value == tag), "fi")


# Blocks ------------------------------------------------------------------------------


def heading_add(container, text: str, level: int) -> Paragraph:
    """Add a heading with the built-in style "Heading `level`" (1–6)."""
    level = max(1, min(HEADING_STYLES_MAX, level))
    paragraph = container.add_paragraph(style=_style(container, f"Heading {level}"))
    run_add(paragraph, text)
    return paragraph


def paragraph_add(container, text: str = "", *, bold: bool = False, style=None):
    """Add a paragraph of plain text (shown as typed)."""
    paragraph = container.add_paragraph(
        style=_style(container, style) if isinstance(style, str) else style
    )
    if text:
        run_add(paragraph, text, bold=bold)
    return paragraph


def page_break_add(document: Document) -> None:
    """Start a new page."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def table_add(
    container,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    widths: Sequence[Length] | None = None,
    style: str = TABLE_STYLE,
    font_size: Length | None = None,
) -> Table:
    """Add a table whose first row is a header repeated on every page it spans."""
    table = container.add_table(rows=1, cols=len(header))
    table.style = _style(container, style)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header_row = table.rows[0]
    _repeat_as_header(header_row)
    for cell, text in zip(header_row.cells, header, strict=True):
        run_add(_cell_paragraph(cell.paragraphs[0]), text, bold=True, size=font_size)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            run_add(_cell_paragraph(cell.paragraphs[0]), text, size=font_size)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width
    return table


def _cell_paragraph(paragraph: Paragraph) -> Paragraph:
    paragraph.paragraph_format.space_before = Pt(1)
    paragraph.paragraph_format.space_after = Pt(1)
    paragraph.paragraph_format.line_spacing = 1.0
    return paragraph


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
    cant_split = OxmlElement("w:cantSplit")
    properties.insert(0, cant_split)


def picture_add(
    container, png: bytes, *, width: Length | None = None, description: str = ""
) -> Paragraph:
    """Add a picture from PNG bytes, with `description` as its text alternative.

    The picture is as wide as the text unless `width` is given.
    """
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(png), width=width or TEXT_WIDTH)
    if description:
        shape._inline.docPr.set("descr", description)
    return paragraph


def _style(container, name: str):
    # A header's part is not the document part; the package's main part is.
    return container.part.package.main_document_part.document.styles[name]


# Markdown ----------------------------------------------------------------------------


def add_markdown(container, text: str, section_level: int = 1) -> None:
    """Add `text` (the project's Markdown subset) to a document or table cell.

    Built from `markdown_tokens`: headings are demoted below `section_level` and use
    "Heading N"; lists use "List Bullet" / "List Number" (nested up to three levels);
    bold, italic and links (only those `is_safe_link` accepts, as real hyperlinks);
    tables as real tables. Anything else was never parsed and shows as typed.
    """
    _MarkdownWriter(container).write(
        markdown_tokens(text or "", section_level=section_level)
    )


class _MarkdownWriter:
    def __init__(self, container):
        self.container = container
        self.part = container.part
        self.lists: list[dict] = []  # open lists, innermost last
        self.paragraph: Paragraph | None = None
        self.item_started = False
        self.table_rows: list[list[tuple[str, object]]] | None = None
        self.header_rows = 0
        self.in_head = False
        self.cell_tokens = None

    def write(self, tokens) -> None:
        for token in tokens:
            handler = getattr(self, f"_{token.type}", None)
            if handler is not None:
                handler(token)

    # Blocks.

    def _heading_open(self, token) -> None:
        level = int(token.tag[1])
        self.paragraph = self.container.add_paragraph(
            style=_style(self.container, f"Heading {min(level, HEADING_STYLES_MAX)}")
        )

    def _heading_close(self, token) -> None:
        self.paragraph = None

    def _paragraph_open(self, token) -> None:
        if self.table_rows is not None:
            return
        if self.lists and not self.item_started:
            self.item_started = True
            self.paragraph = self._list_paragraph()
        elif self.lists:
            # A further paragraph of the same item: indented, without a new number.
            self.paragraph = self.container.add_paragraph(
                style=_style(self.container, _list_style(self.lists, continued=True))
            )
        else:
            self.paragraph = self.container.add_paragraph()

    def _paragraph_close(self, token) -> None:
        if self.table_rows is None:
            self.paragraph = None

    def _bullet_list_open(self, token) -> None:
        self.lists.append({"ordered": False, "num_id": None})

    def _ordered_list_open(self, token) -> None:
        start = int(token.attrGet("start") or 1)
        self.lists.append({"ordered": True, "start": start, "num_id": None})

    def _bullet_list_close(self, token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, token) -> None:
        self.item_started = False

    def _list_item_close(self, token) -> None:
        self.item_started = True

    def _list_paragraph(self) -> Paragraph:
        style = _style(self.container, _list_style(self.lists))
        paragraph = self.container.add_paragraph(style=style)
        current = self.lists[-1]
        if current["ordered"]:
            if current["num_id"] is None:
                current["num_id"] = _numbering_restart(
                    self.part, style, current["start"]
                )
            if current["num_id"] is not None:
                numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                numbering.get_or_add_numId().val = current["num_id"]
        return paragraph

    # Tables: collected, then written as one real table.

    def _table_open(self, token) -> None:
        self.table_rows = []
        self.header_rows = 0

    def _thead_open(self, token) -> None:
        self.in_head = True

    def _thead_close(self, token) -> None:
        self.in_head = False

    def _tr_open(self, token) -> None:
        self.table_rows.append([])
        if self.in_head:
            self.header_rows += 1

    def _th_open(self, token) -> None:
        self.cell_tokens = []
        self.table_rows[-1].append((token.attrGet("style") or "", self.cell_tokens))

    _td_open = _th_open

    def _th_close(self, token) -> None:
        self.cell_tokens = None

    _td_close = _th_close

    def _table_close(self, token) -> None:
        rows, self.table_rows = self.table_rows, None
        if not rows:
            return
        columns = max(len(row) for row in rows)
        table = self.container.add_table(rows=0, cols=columns)
        table.style = _style(self.container, TABLE_STYLE)
        for index, values in enumerate(rows):
            row = table.add_row()
            heading = index < self.header_rows
            if heading:
                _repeat_as_header(row)
            for cell, (align, children) in zip(row.cells, values, strict=False):
                paragraph = _cell_paragraph(cell.paragraphs[0])
                if "right" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in align:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _inline_write(paragraph, self.part, children, bold=heading)
        # Word needs a paragraph between two tables and after a table in a cell.
        self.container.add_paragraph()

    # Inline content.

    def _inline(self, token) -> None:
        if self.cell_tokens is not None:
            self.cell_tokens.extend(token.children or [])
            return
        if self.paragraph is None:
            # A tight list item has no paragraph tokens.
            if self.lists and not self.item_started:
                self.item_started = True
                self.paragraph = self._list_paragraph()
            else:
                self.paragraph = self.container.add_paragraph()
            _inline_write(self.paragraph, self.part, token.children or [])
            self.paragraph = None
            return
        _inline_write(self.paragraph, self.part, token.children or [])


def _list_style(lists: list[dict], *, continued: bool = False) -> str:
    depth = min(len(lists), LIST_LEVELS_MAX)
    if continued:
        base = "List Continue"
    else:
        base = "List Number" if lists[-1]["ordered"] else "List Bullet"
    return base if depth == 1 else f"{base} {depth}"


def _numbering_restart(part, style, start: int) -> int | None:
    """Return a new numbering instance of `style`'s list that starts at `start`.

    All paragraphs of "List Number" share one numbering instance, which would number
    every list of the document as one; each list gets an instance of its own.
    """
    properties = style.element.pPr
    if properties is None or properties.numPr is None or properties.numPr.numId is None:
        return None
    numbering = part.package.main_document_part.numbering_part.element
    base_id = properties.numPr.numId.val
    try:
        base = numbering.num_having_numId(base_id)
    except KeyError:
        return None
    new = numbering.add_num(base.abstractNumId.val)
    override = new.add_lvlOverride(ilvl=0)
    override.add_startOverride(start)
    return new.numId


def _inline_write(paragraph: Paragraph, part, children, *, bold: bool = False) -> None:
    strong = 1 if bold else 0
    emphasis = 0
    link = None  # the w:hyperlink element while inside a safe link
    for child in children:
        kind = child.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            emphasis += 1
        elif kind == "em_close":
            emphasis -= 1
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            if is_safe_link(href):
                link = _hyperlink_start(paragraph, part, href)
        elif kind == "link_close":
            link = None
        elif kind in ("softbreak", "hardbreak"):
            run = paragraph.add_run()
            if kind == "hardbreak":
                run.add_break()
            else:
                run.text = " "
        elif child.content:
            run = run_add(
                paragraph, child.content, bold=bool(strong), italic=bool(emphasis)
            )
            if link is not None:
                run.style = _style(paragraph, HYPERLINK_STYLE)
                link.append(run._r)


def _hyperlink_start(paragraph: Paragraph, part, url: str):
    relationship = part.relate_to(url.strip(), RELATIONSHIP_TYPE.HYPERLINK, True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    hyperlink.set(qn("w:history"), "1")
    paragraph._p.append(hyperlink)
    return hyperlink
