"""Every document keeps its print layout with the static storage production uses."""

import io
import re
import runpy

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

import alliance.settings
from alliance import pdf
from secretariat import documents, progress_report
from secretariat.meetings.models import Meeting
from secretariat.progress_report import Scope
from secretariat.proposal_pdf import proposal_pdf
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, alliance_create
from tests.secretariat.proposal_snapshots import example_snapshot
from tests.secretariat.test_progress_report import render, report_world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def production_settings():
    """Return the settings that alliance/settings.py gives when DEBUG is off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEBUG", "0")
        patch.setenv("SECRET_KEY", "production-settings-read-by-a-test")
        return runpy.run_path(alliance.settings.__file__)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory, production_settings):
    """Collect the project's own static files once, as a deployment does.

    The apps' and vendored files are left out but for the emoji font that the print
    stylesheet imports: documents use no other, and compressing them would take most
    of the test's time.
    """
    root = tmp_path_factory.mktemp("static")
    emoji = next(
        entry
        for entry in production_settings["STATICFILES_DIRS"]
        if isinstance(entry, tuple) and entry[0] == "vendor/noto-emoji"
    )
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=production_settings["STORAGES"],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATICFILES_DIRS=[production_settings["BASE_DIR"] / "static", emoji],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected_static, production_settings):
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = production_settings["STORAGES"]


@pytest.fixture
def held_meeting():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=3, status=Meeting.Status.HELD)
    for number in range(1, 13):
        AgendaItemFactory(
            meeting=meeting,
            order=number,
            title=f"Asia numero {number}: yhteistyömalli 🏙",
            description="Sihteeristö on valmistellut esityksen yhteistyömallista. "
            * 12,
        )
    return meeting


@pytest.mark.parametrize("name", sorted(documents.TEMPLATES))
def test_every_document_type_is_printed_with_its_stylesheet_in_production(
    name, held_meeting, production_static
):
    document = documents.document_build(
        name=name, meeting=held_meeting, version_number=None, language="fi"
    )

    data = documents.document_render(document)

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    count = len(pages)
    assert count >= 2
    for number, text in enumerate(pages, 1):
        # The page number and the header come from print.css on every page.
        assert re.search(rf"(^|\s){number} \({count}\)(\s|$)", text), text[:300]
        assert "TEM077:00/2023" in text
        assert f"{documents.DOCUMENT_TYPES[name]['fi'].upper()} 3/2023" in text
    # The emoji font comes from the collected files too.
    assert "Asia numero 12: yhteistyömalli 🏙" in "\n".join(pages)


def test_the_fetcher_serves_collected_static_files_and_refuses_the_rest(
    production_static,
):
    fetcher = pdf.StaticFilesFetcher()
    stored = staticfiles_storage.url("pdf/print.css")

    response = fetcher.fetch(f"https://allianssi.invalid{stored}")

    assert b"@page" in response.read()
    assert fetcher.served == [f"https://allianssi.invalid{stored}"]
    for url in (
        "https://allianssi.invalid/static/../alliance/settings.py",
        "https://allianssi.invalid/static/%2e%2e/%2e%2e/alliance/settings.py",
        "https://allianssi.invalid/static/staticfiles.json/../../../etc/passwd",
        "https://allianssi.invalid/static//etc/passwd",
        "https://allianssi.invalid/static/pdf/print.0123456789ab.css",
        "https://allianssi.invalid/media/secret.pdf",
        f"https://example.com{stored}",
    ):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def _numbered_pages(data: bytes) -> list[str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    count = len(pages)
    assert count >= 2
    for number, text in enumerate(pages, 1):
        assert re.search(rf"(^|\s){number} \({count}\)(\s|$)", text), text[:300]
        assert "TEM077:00/2023" in text
    return pages


@pytest.mark.parametrize("draft", [False, True])
def test_the_proposal_is_printed_with_its_stylesheets_in_production(
    draft, production_static
):
    pages = _numbered_pages(proposal_pdf(example_snapshot(draft=draft)))

    for text in pages:
        assert "ESITYS" in text
        assert ("LUONNOS" in text) is draft


@pytest.mark.usefixtures("report_world")
def test_the_progress_report_is_printed_with_its_stylesheet_in_production(
    production_static,
):
    _document, data = render(progress_report.ReportScope(kind=Scope.ALL))

    _numbered_pages(data)
