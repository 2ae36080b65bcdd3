"""The chart module: valid, deterministic SVG and PNG with a text alternative."""

import io
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
import PIL.Image
import PIL.JpegImagePlugin
import pytest
from django.utils import translation
from pypdf import PdfReader

from alliance import charts, pdf

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ROWS = [
    {
        "label": "Kasvupalvelujen yhteinen malli",
        "start": "2024-01-01",
        "end": "2025-12-31",
        "group": "Elinvoima ja kasvu",
        "milestones": ["2024-03-31", "2025-06-30"],
    },
    {
        "label": "Osaamiskeskittymät",
        "start": "2024-06-01",
        "end": None,
        "group": "Elinvoima ja kasvu",
        "milestones": [],
    },
    {
        "label": "Asuntotuotannon sopimukset <&>",
        "start": None,
        "end": None,
        "group": "Asuminen",
        "milestones": ["2026-01-31"],
    },
]


def svg_root(data: bytes) -> ET.Element:
    return SafeET.fromstring(data)


def svg_texts(root: ET.Element) -> str:
    return " ".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


@pytest.fixture(autouse=True)
def finnish():
    with translation.override("fi"):
        yield


def test_the_timeline_is_valid_svg_with_its_title_description_and_labels():
    chart = charts.timeline_chart(ROWS)

    root = svg_root(chart.svg())

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text == chart.title
    assert children[1].tag == f"{SVG}desc" and children[1].text == chart.description
    texts = svg_texts(root)
    for label in (
        "Kasvupalvelujen yhteinen malli",
        "Osaamiskeskittymät",
        "Asuntotuotannon sopimukset <&>",
        "Elinvoima ja kasvu",
        "Asuminen",
        "2024",
        "2025",
    ):
        assert label in texts


def test_the_timeline_describes_every_row_with_its_dates():
    description = charts.timeline_chart(ROWS).description

    assert "1.1.2024–31.12.2025" in description
    assert "31.3.2024, 30.6.2025" in description
    assert "1.6.2024" in description  # open to the right edge
    assert "31.1.2026" in description
    assert "Asuntotuotannon sopimukset <&>" in description


def test_the_timeline_renders_as_png():
    data = charts.timeline_chart(ROWS).png(dpi=72)

    assert data.startswith(PNG_SIGNATURE)
    small = charts.timeline_chart(ROWS).png(dpi=50)
    assert len(small) < len(data)


def test_equal_input_gives_equal_bytes():
    first = charts.timeline_chart(ROWS)
    second = charts.timeline_chart([dict(row) for row in ROWS])

    assert first.svg() == second.svg()
    assert first.png() == second.png()
    assert b"<dc:date>" not in first.svg()
    changed = [{**ROWS[0], "end": "2026-06-30"}, *ROWS[1:]]
    assert charts.timeline_chart(changed).svg() != first.svg()


def test_a_chart_drawn_after_another_is_drawn_as_on_its_own():
    # Every chart is drawn on the process's one figure: nothing of one may stay.
    timeline = charts.timeline_chart(ROWS)
    empty = charts.timeline_chart([])
    alone_svg, alone_png = timeline.svg(), timeline.png(dpi=72)

    empty.png(dpi=50)
    empty.svg()

    assert timeline.svg() == alone_svg
    assert timeline.png(dpi=72) == alone_png


def test_the_jpeg_is_equal_for_equal_input_at_full_colour_resolution():
    first = charts.timeline_chart(ROWS).jpeg(dpi=72)
    second = charts.timeline_chart([dict(row) for row in ROWS]).jpeg(dpi=72)

    assert first == second
    image = PIL.Image.open(io.BytesIO(first))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert (
        image.size
        == PIL.Image.open(io.BytesIO(charts.timeline_chart(ROWS).png(dpi=72))).size
    )
    # Thin coloured lines would lose their colour to chroma subsampling.
    assert PIL.JpegImagePlugin.get_sampling(image) == 0


def test_the_png_is_opaque():
    image = PIL.Image.open(io.BytesIO(charts.timeline_chart(ROWS).png(dpi=72)))

    assert image.mode == "RGB"


def test_an_empty_timeline_says_there_is_nothing_to_show():
    chart = charts.timeline_chart([])

    root = svg_root(chart.svg())
    assert chart.title
    assert chart.description
    assert chart.description in svg_texts(root)
    assert chart.png().startswith(PNG_SIGNATURE)


def test_rows_with_bad_or_missing_dates_are_drawn_without_them():
    rows = [
        {"label": "A", "start": "not a date", "end": "2024-13-01", "group": "T"},
        {"label": "B", "start": "2024-01-01", "end": None, "milestones": ["x"]},
    ]

    chart = charts.timeline_chart(rows)

    assert "A" in svg_texts(svg_root(chart.svg()))


def test_labels_follow_the_language_the_chart_was_made_in():
    with translation.override("sv"):
        swedish = charts.timeline_chart(ROWS)
    with translation.override("fi"):
        finnish = charts.timeline_chart(ROWS)

    assert swedish.svg() != finnish.svg()


def test_numbers_are_written_as_the_language_writes_them():
    assert charts.format_number(1234.5) == "1\xa0234,5"
    assert charts.format_number(0.30000000000000004) == "0,3"
    assert charts.format_number(100) == "100"
    assert charts.format_number(None) == ""


def test_a_pdf_embeds_a_chart_by_its_chart_url(settings, tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "chart.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<img src="chart:timeline" alt="{{ alt }}"><img src="chart:other" alt="">'
        "{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    chart = charts.timeline_chart(ROWS)
    fetcher = pdf.StaticFilesFetcher()
    context = {
        "language": "fi",
        "title": "Testi",
        "header": {"diary_number": "X"},
        "alt": chart.description,
    }

    data = pdf.render_pdf(
        "pdf/chart.html", context, fetcher=fetcher, charts={"timeline": chart}
    )

    assert "chart:timeline" in fetcher.served
    assert "chart:other" in fetcher.refused
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Osaamiskeskittymät" in text


def test_the_fetcher_serves_registered_chart_bytes():
    fetcher = pdf.StaticFilesFetcher()
    url = fetcher.add_chart("x", b"<svg/>")

    response = fetcher.fetch(url)

    assert url == "chart:x"
    assert response.read() == b"<svg/>"
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("chart:y")
