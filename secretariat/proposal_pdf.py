"""The proposal's PDF, printed from its snapshot alone (see `proposal_snapshot`)."""

from django.utils import translation

from alliance import pdf
from alliance.charts import Chart, timeline_chart

TEMPLATE = "pdf/proposal.html"
# Raise when the template changes what the same snapshot prints.
TEMPLATE_VERSION = 1
TIMELINE_KEY = "timeline"


def _timeline(snapshot: dict) -> Chart | None:
    return timeline_chart(snapshot["timeline"]) if snapshot["timeline"] else None


def proposal_context(snapshot: dict, timeline: Chart | None = None) -> dict:
    header = {**snapshot["header"], "unit": snapshot["cover"]["body"], "number": ""}
    context = {
        "language": snapshot["language"],
        "title": snapshot["cover"]["title"],
        "header": header,
        "snapshot": snapshot,
    }
    if timeline is not None:
        context["timeline"] = {
            "src": f"{pdf.CHART_SCHEME}{TIMELINE_KEY}",
            "title": timeline.title,
            "description": timeline.description,
        }
    return context


def proposal_html(snapshot: dict) -> str:
    """The print template as HTML (the figure's chart: URL is the PDF's only)."""
    with translation.override(snapshot["language"]):
        return pdf.render_html(
            TEMPLATE, proposal_context(snapshot, _timeline(snapshot))
        )


def proposal_pdf(snapshot: dict) -> bytes:
    """Render the proposal's PDF in the snapshot's language."""
    with translation.override(snapshot["language"]):
        timeline = _timeline(snapshot)
        charts = {TIMELINE_KEY: timeline} if timeline is not None else {}
        return pdf.render_pdf(
            TEMPLATE, proposal_context(snapshot, timeline), charts=charts
        )
