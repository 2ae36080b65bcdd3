"""Hostile text comes back escaped in pages, and as written in calendars and mail."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from tests.fuzzing import PAYLOADS
from tests.meetings.factories import MeetingFactory, alliance_create
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
