"""The project's one PDF renderer: a Django template and print CSS through WeasyPrint.

This is the only module that imports WeasyPrint. Rendering never touches the network:
the URL fetcher serves the project's own static files (as the staticfiles finders find
them, or by the hashed names the static storage gives them in production) and refuses
everything else, and fonts come from the system (DejaVu) through fontconfig, emoji from
the Noto Emoji files the app serves. Charts (alliance.charts) are embedded as
`<img src="chart:<key>" alt="…">`: the renderer is given them by key,
`render_pdf(name, context, charts={key: chart})`, and the fetcher serves each as SVG; a
`chart:` key not given is refused like any other URL.

Documents are tagged PDF/UA-1 with the language and title that the template's
`<html lang>` and `<title>` give, and the time they were made. WeasyPrint tags what it
draws in the page margins (the running header, "1 (5)") as content that belongs to no
structure element; the renderer then marks it as a pagination artifact with pikepdf, so
that a screen reader does not read it on every page. What the renderer cannot do is in
docs/documents.md.
"""

import io
import logging
import mimetypes
import re
import threading
from collections.abc import Iterator, Mapping
from typing import Protocol
from urllib.parse import unquote, urlsplit

import pikepdf
import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in documents (`{% static %}` gives /static/…) resolve against this
# origin, which names no real host: the fetcher recognises it and nothing else.
BASE_URL = "https://allianssi.invalid/"
PDF_VARIANT = "pdf/ua-1"
CHART_SCHEME = "chart:"
# The explicit embeddings, overrides and isolates of Unicode's bidirectional algorithm.
# A document prints its text in the order it is stored: an override would show
# "evil.exe" as "exe.live" and give copy and search the letters in the drawn order.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class SupportsSVG(Protocol):
    """What the fetcher serves at a chart: URL (alliance.charts.Chart is one)."""

    def svg(self) -> bytes: ...


class RefusedURL(ValueError):
    """A document asked for something outside the project's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serve BASE_URL + STATIC_URL paths as static files; refuse the rest.

    What was served and refused is kept in `served` and `refused`, for tests and logs.
    """

    def __init__(self, *, charts: Mapping[str, "SupportsSVG | bytes"] | None = None):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []
        self.served: list[str] = []
        self.charts: dict[str, SupportsSVG | bytes] = dict(charts or {})

    def add_chart(self, key: str, chart: "SupportsSVG | bytes") -> str:
        """Serve `chart` (an alliance.charts.Chart, or its SVG bytes) at chart:<key>.

        Return the URL to put in the document's `<img src>`.
        """
        self.charts[key] = chart
        return CHART_SCHEME + key

    def fetch(self, url, headers=None):
        if url.startswith(CHART_SCHEME):
            return self._chart(url)
        name = self._static_name(url)
        body = None if name is None else _static_bytes(name)
        if body is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url)
            raise RefusedURL(f"Not one of the project's static files: {url}")
        self.served.append(url)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _chart(self, url: str) -> URLFetcherResponse:
        chart = self.charts.get(url[len(CHART_SCHEME) :])
        if chart is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url)
            raise RefusedURL(f"Not one of the document's charts: {url}")
        self.served.append(url)
        if isinstance(chart, bytes):
            body, content_type = chart, "image/svg+xml"
        elif hasattr(chart, "raster"):
            # A document of many charts may embed them as images: WeasyPrint draws
            # an SVG chart node by node, which costs more than the rest of the page.
            body, content_type = chart.raster(), chart.raster_type
        else:
            body, content_type = chart.svg(), "image/svg+xml"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _static_name(url: str) -> str | None:
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            return None
        return unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])


def _static_bytes(name: str) -> bytes | None:
    """Return a static file's content, or None when there is no such static file."""
    try:
        found = _found_bytes(name)
        return found if found is not None else _stored_bytes(name)
    except SuspiciousFileOperation:
        return None


def _found_bytes(name: str) -> bytes | None:
    # The sources in the checkout, as development serves them; a collected copy may
    # be stale.
    found = finders.find(name)
    if not isinstance(found, str):
        return None
    with open(found, "rb") as file:
        return file.read()


def _stored_bytes(name: str) -> bytes | None:
    # Production templates name the collected, hashed copies (pdf/print.<hash>.css),
    # read through the static storage whatever it keeps them on.
    if not staticfiles_storage.exists(name):
        return None
    with staticfiles_storage.open(name, "rb") as file:
        return file.read()


_page_references_of_every_page = pydyf.PDF.page_references.fget


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    # pydyf builds the references of all the pages anew at each reading, and
    # WeasyPrint's tagging reads them once per structure element: quadratic in the
    # pages, a tenth of the time of writing a report of a hundred pages. Built again
    # only when a page was added.
    pages = len(pdf.pages["Kids"])
    known = pdf.__dict__.get("_allianssi_page_references")
    if known is None or known[0] != pages:
        known = (pages, _page_references_of_every_page(pdf))
        pdf.__dict__["_allianssi_page_references"] = known
    return known[1]


pydyf.PDF.page_references = property(_page_references)


_per_thread = threading.local()


def _font_configuration() -> FontConfiguration:
    # WeasyPrint sets fontconfig up and loads each @font-face file once per font
    # configuration, which would otherwise be once per document. One per thread, as
    # Pango's font map is not to be shared between threads (runserver's are many;
    # gunicorn's and Celery's workers have one).
    if not hasattr(_per_thread, "fonts"):
        _per_thread.fonts = FontConfiguration()
    return _per_thread.fonts


def render_html(template_name: str, context: dict) -> str:
    """Return the document's HTML, as the PDF renders it (also for the preview)."""
    return BIDI_CONTROLS.sub("", render_to_string(template_name, context))


def render_pdf(
    template_name: str,
    context: dict,
    *,
    fetcher: StaticFilesFetcher | None = None,
    charts: Mapping[str, "SupportsSVG | bytes"] | None = None,
) -> bytes:
    """Render a template that extends pdf/base.html to tagged PDF bytes.

    `charts` are served to the document at chart:<key> (see the module docstring).
    """
    html = render_html(template_name, context)
    fetcher = fetcher or StaticFilesFetcher()
    for key, chart in (charts or {}).items():
        fetcher.add_chart(key, chart)
    document = HTML(
        string=html,
        base_url=BASE_URL,
        url_fetcher=fetcher,
        media_type="print",
    ).render(font_config=_font_configuration(), pdf_variant=PDF_VARIANT)
    document.metadata.created = timezone.now().isoformat(timespec="seconds")
    data = document.write_pdf(pdf_variant=PDF_VARIANT)
    return margins_as_artifacts(data)


def margins_as_artifacts(data: bytes) -> bytes:
    """Mark the content tagged outside the structure tree as pagination artifacts.

    WeasyPrint gives the text of the page margins marked-content ids whose structure
    elements hang from no parent; their ids become `/Artifact` sequences and their
    entries in the parent tree are emptied, so that the elements are not written.
    """
    with pikepdf.open(io.BytesIO(data)) as document:
        structure = document.Root.StructTreeRoot
        in_tree = {element.objgen for element in _structure_elements(structure)}
        parent_tree = pikepdf.NumberTree(structure.ParentTree)
        for page in document.pages:
            elements = parent_tree.get(int(page.obj.get("/StructParents", -1)))
            if not isinstance(elements, pikepdf.Array):
                continue
            outside = {
                mcid
                for mcid, element in enumerate(elements)
                if element.is_indirect and element.objgen not in in_tree
            }
            if not outside:
                continue
            _mark_as_artifacts(document, page, outside)
            for mcid in outside:
                elements[mcid] = None
        written = io.BytesIO()
        document.save(written)
    return written.getvalue()


def _structure_elements(structure: pikepdf.Dictionary) -> Iterator[pikepdf.Object]:
    """Yield every structure element under the structure tree root."""
    stack = [structure.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") in (
            None,
            pikepdf.Name.StructElem,
        ):
            yield kid
            stack.append(kid.get("/K"))


def _mark_as_artifacts(document: pikepdf.Pdf, page: pikepdf.Page, mcids: set) -> None:
    instructions = pikepdf.parse_content_stream(page)
    for index, (operands, operator) in enumerate(instructions):
        if (
            str(operator) == "BDC"
            and isinstance(operands[1], pikepdf.Dictionary)
            and int(operands[1].get("/MCID", -1)) in mcids
        ):
            instructions[index] = pikepdf.ContentStreamInstruction(
                [
                    pikepdf.Name.Artifact,
                    pikepdf.Dictionary(Type=pikepdf.Name.Pagination),
                ],
                operator,
            )
    page.obj.Contents = document.make_stream(
        pikepdf.unparse_content_stream(instructions)
    )
