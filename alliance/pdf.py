"""The project's one PDF renderer: a Django template and print CSS through WeasyPrint.

This is the only module that imports WeasyPrint. Rendering never touches the network:
the URL fetcher serves the project's own static files (as the staticfiles finders find
them, or by the hashed names the static storage gives them in production) and refuses
everything else, and fonts come from the system (DejaVu) through fontconfig. Charts
(alliance.charts) are embedded as `<img src="chart:<key>" alt="…">`: the renderer is
given them by key, `render_pdf(name, context, charts={key: chart})`, and the fetcher
serves each as SVG; a `chart:` key not given is refused like any other URL. Documents
are tagged PDF/UA-1 with the language and title that the template's `<html lang>` and
`<title>` give.
"""

import logging
import mimetypes
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import pyphen
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in documents (`{% static %}` gives /static/…) resolve against this
# origin, which names no real host: the fetcher recognises it and nothing else.
BASE_URL = "https://allianssi.invalid/"
PDF_VARIANT = "pdf/ua-1"
# Finnish hyphenation patterns shipped with the project (pyphen has none for Finnish).
CHART_SCHEME = "chart:"
FINNISH_PATTERNS = Path(__file__).resolve().parent / "hyphenation" / "hyph_fi.dic"


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
            # A document of many charts may embed them as PNG: WeasyPrint draws an
            # SVG chart node by node, which costs more than the rest of the page.
            body, content_type = chart.raster(), "image/png"
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


@cache
def _register_finnish_hyphenation() -> None:
    # WeasyPrint looks dictionaries up by language in pyphen's table; add Finnish.
    pyphen.LANGUAGES.setdefault("fi", FINNISH_PATTERNS)
    pyphen.LANGUAGES.setdefault("fi_FI", FINNISH_PATTERNS)
    pyphen.LANGUAGES_LOWERCASE.setdefault("fi", "fi")
    pyphen.LANGUAGES_LOWERCASE.setdefault("fi_fi", "fi_FI")


def render_html(template_name: str, context: dict) -> str:
    """Return the document's HTML, as the PDF renders it (also for the preview)."""
    return render_to_string(template_name, context)


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
    _register_finnish_hyphenation()
    html = render_html(template_name, context)
    fetcher = fetcher or StaticFilesFetcher()
    for key, chart in (charts or {}).items():
        fetcher.add_chart(key, chart)
    document = HTML(
        string=html,
        base_url=BASE_URL,
        url_fetcher=fetcher,
        media_type="print",
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT)
