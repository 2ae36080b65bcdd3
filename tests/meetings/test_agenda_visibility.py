"""Which agenda items each role sees, on the meeting page, in search and in the lists
of agenda items about a measure or a proposal: one rule, one selector."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import AgendaItem, Meeting
from secretariat.search import search
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    agenda_published,
)
from tests.members.factories import OrganisationFactory
from tests.theme_proposals.factories import ThemeProposalFactory
from tests.themes.factories import MeasureFactory
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db

ROLES = ["chair", "staff", "city", "observer", "none"]


@pytest.fixture
def measure():
    return MeasureFactory()


@pytest.fixture
def proposal(alliance):
    return ThemeProposalFactory(
        status=ThemeProposal.Status.ACCEPTED,
        city=OrganisationFactory(slug="vantaa"),
        author=alliance.users["staff"],
    )


@pytest.fixture
def published_then_edited(alliance, measure, proposal):
    """A meeting whose agenda was published, then edited and extended by the
    secretariat without publishing again."""
    meeting = MeetingFactory(body=alliance.group)
    item = AgendaItemFactory(
        meeting=meeting,
        measure=measure,
        theme_proposal=proposal,
        title="Kasvusopimusten jatko",
        description="Esitetään jatkoa kaudelle 2024–2027.",
    )
    agenda_published(meeting, by=alliance.users["chair"])
    AgendaItem.objects.filter(pk=item.pk).update(
        title="Kasvusopimusten lopettaminen",
        description="Salainen luonnos: lopetetaan kesken kauden.",
    )
    AgendaItemFactory(
        meeting=meeting,
        measure=measure,
        theme_proposal=proposal,
        title="Valmisteilla oleva lisäasia",
        description="Luonnos, jota ei ole julkaistu.",
    )
    return meeting


@pytest.fixture
def never_published(alliance, measure, proposal):
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory(
        meeting=meeting,
        measure=measure,
        theme_proposal=proposal,
        title="Julkaisematon asia",
        description="Koko esityslista on vielä luonnos.",
    )
    return meeting


def _about(subject, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "meetings/agenda_items_about.html", {"subject": subject, "request": request}
    )


def _found(text, user) -> set[str]:
    return {hit.title for hit in search(text=text, user=user) if hit.url}


@pytest.mark.parametrize("role", ["city", "observer"])
def test_others_find_nothing_drafted_after_publication(
    alliance, published_then_edited, role
):
    user = alliance.users[role]

    assert _found("Valmisteilla", user) == set()
    assert _found("Salainen", user) == set()
    assert _found("lopettaminen", user) == set()
    assert _found("jatkoa", user) == {"Kasvusopimusten jatko"}

    secretariat = alliance.users["staff"]
    assert _found("Valmisteilla", secretariat) == {"Valmisteilla oleva lisäasia"}
    assert _found("Salainen", secretariat) == {"Kasvusopimusten lopettaminen"}


@pytest.mark.parametrize("role", ["city", "observer"])
def test_the_about_lists_show_the_published_text(
    alliance, measure, proposal, published_then_edited, role
):
    for subject in (measure, proposal):
        html = _about(subject, alliance.users[role])
        assert "Kasvusopimusten jatko" in html
        assert "lopettaminen" not in html
        assert "Valmisteilla oleva lisäasia" not in html

        html = _about(subject, alliance.users["staff"])
        assert "Kasvusopimusten lopettaminen" in html
        assert "Valmisteilla oleva lisäasia" in html


@pytest.mark.parametrize("role", ["city", "observer"])
def test_nothing_of_a_never_published_meeting_is_shown(
    client, alliance, measure, proposal, never_published, role
):
    user = alliance.users[role]

    assert _found("Julkaisematon", user) == set()
    assert _found("luonnos", user) == set()
    assert "Julkaisematon asia" not in _about(measure, user)
    assert "Julkaisematon asia" not in _about(proposal, user)
    client.force_login(user)
    page = client.get(never_published.get_absolute_url())
    assert page.status_code == 200
    assert "Julkaisematon asia" not in page.content.decode()

    assert _found("Julkaisematon", alliance.users["chair"]) == {"Julkaisematon asia"}


def test_the_meeting_page_shows_others_the_published_text(
    client, alliance, published_then_edited
):
    client.force_login(alliance.users["observer"])

    html = client.get(published_then_edited.get_absolute_url()).content.decode()

    assert "Kasvusopimusten jatko" in html
    assert "lopettaminen" not in html
    assert "Valmisteilla oleva lisäasia" not in html


def _expected_titles(user, meeting) -> list[str]:
    """The titles the rule says `user` sees of `meeting`, read without the selector."""
    latest = meeting_selectors.agenda_latest_version(meeting=meeting)
    shown = rules.agenda_items_shown_to(user, meeting, published=latest is not None)
    if shown == rules.LIVE_AGENDA:
        return list(
            meeting.agenda_items.order_by("order", "pk").values_list("title", flat=True)
        )
    if shown == rules.PUBLISHED_AGENDA:
        return [item["title"] for item in latest.content["items"]]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_the_visible_items_follow_the_permission_rule(
    client, alliance, measure, published_then_edited, never_published, role
):
    user = alliance.users[role]
    meetings = [published_then_edited, never_published]
    visible = meeting_selectors.agenda_items_visible_to(user=user)

    for meeting in meetings:
        expected = _expected_titles(user, meeting)
        assert [i.title for i in visible if i.meeting == meeting] == expected, meeting
        assert [
            i.title
            for i in meeting_selectors.agenda_items_visible_to(
                user=user, meeting=meeting
            )
        ] == expected

    # Search, the meeting page and the about lists show exactly those items.
    every_title = {
        title
        for meeting in meetings
        for title in _expected_titles(alliance.users["chair"], meeting)
        + [
            item["title"]
            for v in meeting.agenda_versions.all()
            for item in v.content["items"]
        ]
    }
    shown = {t for m in meetings for t in _expected_titles(user, m)}
    about = _about(measure, user)
    for title in every_title:
        assert (title in _found(title, user)) is (title in shown), title
        assert (title in about) is (title in shown), title
    if role != "none":
        client.force_login(user)
        for meeting in meetings:
            html = client.get(meeting.get_absolute_url()).content.decode()
            for title in every_title:
                in_meeting = title in _expected_titles(user, meeting)
                assert (title in html) is in_meeting, (meeting, title)


def test_the_decision_shows_once_the_minutes_are_approved(alliance, measure):
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory(
        meeting=meeting,
        measure=measure,
        title="Päätettävä asia",
        outcome="approved",
        decision="Hyväksyttiin muutoksitta.",
    )
    agenda_published(meeting, by=alliance.users["chair"], status=Meeting.Status.HELD)
    observer = alliance.users["observer"]

    assert "Hyväksyttiin muutoksitta." not in _about(measure, observer)

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_APPROVED)
    assert "Hyväksyttiin muutoksitta." in _about(measure, observer)


@pytest.mark.parametrize("role", ["staff", "observer"])
def test_an_item_about_a_measure_keeps_its_number_on_the_whole_agenda(
    alliance, measure, role
):
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory(meeting=meeting, order=1, title="Kokouksen avaus")
    AgendaItemFactory(meeting=meeting, order=2, title="Toimenpide", measure=measure)
    agenda_published(meeting, by=alliance.users["chair"])

    items = meeting_selectors.agenda_items_visible_to(
        user=alliance.users[role], measure=measure
    )

    assert [(item.title, item.number) for item in items] == [("Toimenpide", 2)]
