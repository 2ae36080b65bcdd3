"""The proposal's PDF, printed from its snapshot alone (see `proposal_snapshot`)."""

import re

from django.utils import translation
from django.utils.safestring import mark_safe

from alliance import pdf

TEMPLATE = "pdf/proposal.html"
# Raise when the template changes what the same snapshot prints.
TEMPLATE_VERSION = 1

_SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)


def _timeline(rows: list[dict]) -> dict:
    """The timeline figure as inline SVG (the PDF's fetcher serves no data: URLs)."""
    if not rows:
        return {}
    from alliance.charts import timeline_chart

    chart = timeline_chart(rows)
    svg = chart.svg().decode("utf-8")
    # Drop the XML declaration and DOCTYPE: the figure sits inside the HTML.
    svg = _SVG_PROLOGUE.sub("", svg, count=1)
    return {
        # Safe: matplotlib writes the SVG and escapes every text in it.
        "timeline_svg": mark_safe(svg),
        "timeline_title": chart.title,
        "timeline_description": chart.description,
    }


def proposal_context(snapshot: dict) -> dict:
    header = {
        **snapshot["header"],
        "unit": snapshot["cover"]["body"],
        "number": "",
    }
    return {
        "language": snapshot["language"],
        "title": snapshot["cover"]["title"],
        "header": header,
        "snapshot": snapshot,
        **_timeline(snapshot["timeline"]),
    }


def proposal_html(snapshot: dict) -> str:
    with translation.override(snapshot["language"]):
        return pdf.render_html(TEMPLATE, proposal_context(snapshot))


def proposal_pdf(snapshot: dict) -> bytes:
    """Render the proposal's PDF in the snapshot's language."""
    with translation.override(snapshot["language"]):
        return pdf.render_pdf(TEMPLATE, proposal_context(snapshot))
