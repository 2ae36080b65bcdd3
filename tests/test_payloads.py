"""Hostile text comes back escaped in pages, and as written in documents, calendars
and mail."""

import datetime
import html
import io
import subprocess
import unicodedata

import docx
import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from secretariat import mail as meeting_mail
from secretariat.documents import agenda_document, document_render, minutes_document
from secretariat.meetings.models import Meeting
from secretariat.proposal_word import proposal_docx
from tests.fuzzing import PAYLOADS
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
)
from tests.secretariat.proposal_snapshots import example_snapshot
from tests.theme_proposals.factories import proposal_in_status, proposal_world_create
from tests.themes.factories import MeasureFactory, ThemeFactory
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


def _meeting_page(client, payload) -> str:
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=7)
    AgendaItemFactory(meeting=meeting, title=payload)
    client.force_login(alliance.users["staff"])
    return client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))


def _measure_page(client, payload) -> str:
    alliance = alliance_create()
    measure = MeasureFactory(title=payload)
    client.force_login(alliance.users["city"])
    return client.get(reverse("themes:measure_detail", args=[measure.pk]))


def _proposal_page(client, payload) -> str:
    world = proposal_world_create()
    proposal = proposal_in_status(
        world, ThemeProposal.Status.UNDER_REVIEW, title=payload
    )
    client.force_login(world.users["voutilainen"])
    return client.get(reverse("theme_proposals:proposal_detail", args=[proposal.pk]))


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("page", [_meeting_page, _measure_page, _proposal_page])
def test_a_page_shows_the_title_escaped(client, page, payload):
    response = page(client, payload)

    content = response.content.decode()
    assert response.status_code == 200
    assert html.escape(payload) in content
    if html.escape(payload) != payload:
        assert payload not in content


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

    Spaces and breaks come and go with the line breaks, pdftotext takes a hyphen at
    the end of a line for a word's hyphenation and drops it, and the direction marks
    and the emoji's variation selectors are spent on choosing and placing the glyphs.
    """
    return "".join(
        character
        for character in text
        if not character.isspace()
        and character != "-"
        and unicodedata.category(character) not in {"Cc", "Cf"}
        and not "\ufe00" <= character <= "\ufe0f"
    )


def _payloads_not_read_back(data: bytes, *, times: int = 1) -> dict[str, list[str]]:
    """Return, for pypdf and for pdftotext, the payloads not in the PDF's text."""
    texts = {
        "pypdf": "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(data)).pages
        ),
        "pdftotext": subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode(),
    }
    return {
        reader: [
            payload
            for payload in PAYLOADS
            if _letters(text).count(_letters(payload)) < times
        ]
        for reader, text in texts.items()
    }


def test_the_agenda_pdf_keeps_the_titles_as_written():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=3)
    for order, payload in enumerate(PAYLOADS, start=1):
        AgendaItemFactory(meeting=meeting, order=order, title=payload)

    data = document_render(agenda_document(meeting=meeting, language="fi"))

    assert _payloads_not_read_back(data) == {"pypdf": [], "pdftotext": []}


def test_the_minutes_pdf_keeps_the_titles_and_decisions_as_written():
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.group, number=4, status=Meeting.Status.HELD)
    for order, payload in enumerate(PAYLOADS, start=1):
        AgendaItemFactory(meeting=meeting, order=order, title=payload, decision=payload)

    data = document_render(minutes_document(meeting=meeting, language="fi"))

    assert _payloads_not_read_back(data, times=2) == {"pypdf": [], "pdftotext": []}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_action_item_reminder_keeps_the_title_as_written(
    payload, django_capture_on_commit_callbacks
):
    alliance = alliance_create()
    meeting = MeetingFactory(body=alliance.secretariat, status=Meeting.Status.HELD)
    today = datetime.date(2023, 10, 16)
    ActionItemFactory(
        meeting=meeting,
        owner=alliance.secretariat_seats[2],
        title=payload,
        due_date=today + datetime.timedelta(days=7),
    )

    with django_capture_on_commit_callbacks(execute=True):
        meeting_mail.reminders_send(today=today)

    (reminder,) = mail.outbox
    assert payload in reminder.body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_proposal_word_file_keeps_a_theme_title_as_written(payload):
    snapshot = example_snapshot()
    snapshot["themes"][0]["title"] = payload

    document = docx.Document(io.BytesIO(proposal_docx(snapshot)))

    assert any(payload in paragraph.text for paragraph in document.paragraphs)
