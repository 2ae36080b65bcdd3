"""Hostile text comes back escaped in pages, and as written in documents, calendars
and mail."""

import html
import io
import unicodedata

import docx
import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from secretariat.documents import agenda_document, document_render
from secretariat.proposal_word import proposal_docx
from tests.fuzzing import PAYLOADS
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, alliance_create
from tests.secretariat.proposal_snapshots import example_snapshot
from tests.theme_proposals.factories import proposal_in_status, proposal_world_create
from tests.themes.factories import ThemeFactory
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_theme_page_shows_the_title_escaped(client, payload):
    alliance = alliance_create()
    theme = ThemeFactory(title=payload)
    client.force_login(alliance.users["city"])

    page = client.get(reverse("themes:theme_detail", args=[theme.pk])).content.decode()

    assert html.escape(payload) in page
    if html.escape(payload) != payload:
        assert payload not in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_meeting_calendar_keeps_the_place_as_written(client, payload):
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=7, place=payload[:100])
    client.force_login(alliance.users["city"])

    response = client.get(reverse("meetings:meeting_ical", args=[meeting.pk]))

    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert payload[:100] in str(event.get("location"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_comment_mail_keeps_the_text_as_written(
    client, payload, django_capture_on_commit_callbacks
):
    world = proposal_world_create()
    proposal = proposal_in_status(world, ThemeProposal.Status.UNDER_REVIEW)
    client.force_login(world.users["voutilainen"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
            {"text": payload},
        )

    assert mail.outbox
    for message in mail.outbox:
        assert payload in message.body


def _letters(text: str) -> str:
    """Return the text without what a PDF's layout adds or drops.

    Spaces, breaks and hyphens come and go with the line breaks, pypdf reads spaced
    headings with NULs, and direction marks are spent on drawing the glyphs.
    """
    return "".join(
        character
        for character in text
        if not character.isspace()
        and character not in "\u00ad-"
        and unicodedata.category(character) not in {"Cc", "Cf"}
    )


# Not yet read back from the PDF as written, to be looked into: the right-to-left
# override comes back in visual order, the emoji and the typographic quotes and dash
# as other characters (pypdf reads "–" as "'ö").
PDF_NOT_READ_BACK = [PAYLOADS[5], PAYLOADS[6], PAYLOADS[9]]


def test_the_agenda_pdf_keeps_the_titles_as_written():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=3)
    for order, payload in enumerate(PAYLOADS, start=1):
        AgendaItemFactory(meeting=meeting, order=order, title=payload)

    data = document_render(agenda_document(meeting=meeting, language="fi"))

    text = _letters(
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    )
    missing = [payload for payload in PAYLOADS if _letters(payload) not in text]
    assert missing == PDF_NOT_READ_BACK


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_proposal_word_file_keeps_a_theme_title_as_written(payload):
    snapshot = example_snapshot()
    snapshot["themes"][0]["title"] = payload

    document = docx.Document(io.BytesIO(proposal_docx(snapshot)))

    assert any(payload in paragraph.text for paragraph in document.paragraphs)
