"""The long texts of agenda items and decisions are in the formatting syntax
(alliance.markdown) on every page that shows them, and stay safe."""

import html

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from secretariat.meetings.forms import FORMATTING_HELP
from secretariat.meetings.models import Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, agenda_published
from tests.themes.factories import MeasureFactory

pytestmark = pytest.mark.django_db

# A table pasted into an item, and what no page may run.
TEXT = (
    "Kaupunkien osuudet:\n\n"
    "| Kaupunki | Osuus |\n"
    "| --- | --- |\n"
    "| Helsinki | 40 % |\n"
    "| Tampere | 15 % |\n\n"
    '<script>alert("x")</script> [linkki](javascript:alert(1))'
)


@pytest.fixture
def meeting(alliance):
    measure = MeasureFactory(title="Kasvusopimukset")
    meeting = MeetingFactory(body=alliance.group, number=5)
    AgendaItemFactory(
        meeting=meeting,
        measure=measure,
        title="Rahoituksen jako",
        description=TEXT,
        decision_proposal=TEXT,
        outcome="approved",
        decision=TEXT,
    )
    agenda_published(meeting, by=alliance.users["chair"])
    meeting.measure = measure
    return meeting


def _tables(client, user, url) -> list:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "javascript:alert" not in content.replace("(javascript:alert(1))", "")
    page = lxml.html.fromstring(content)
    return [
        [
            [cell.text_content().strip() for cell in row.xpath("./th|./td")]
            for row in table.xpath(".//tr")
        ]
        for table in page.xpath("//div[contains(@class, 'markdown')]//table")
    ]


EXPECTED = [["Kaupunki", "Osuus"], ["Helsinki", "40 %"], ["Tampere", "15 %"]]


def test_the_agenda_pages_show_a_pasted_table_as_a_table(client, alliance, meeting):
    staff = alliance.users["staff"]
    version = meeting.agenda_versions.get()

    builder = _tables(
        client, staff, reverse("meetings:agenda_builder", args=[meeting.pk])
    )
    published = _tables(
        client,
        alliance.users["observer"],
        reverse("meetings:agenda_version_detail", args=[meeting.pk, version.number]),
    )

    # The description and the proposal for decision, each a table.
    assert builder == [EXPECTED, EXPECTED]
    assert published == [EXPECTED, EXPECTED]


def test_the_decision_is_a_table_on_the_meeting_and_measure_pages(
    client, alliance, meeting
):
    observer = alliance.users["observer"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_APPROVED)

    meeting_page = _tables(
        client, observer, reverse("meetings:meeting_detail", args=[meeting.pk])
    )
    measure_page = _tables(
        client,
        observer,
        reverse("themes:measure_detail", args=[meeting.measure.pk]),
    )

    assert EXPECTED in meeting_page
    assert measure_page == [EXPECTED]


def test_the_minutes_page_shows_the_decision_as_a_table(client, alliance, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)

    tables = _tables(
        client,
        alliance.users["staff"],
        reverse("meetings:minutes_edit", args=[meeting.pk]),
    )

    # The proposal for decision and the decision.
    assert tables == [EXPECTED, EXPECTED]


def test_the_forms_say_how_the_texts_are_formatted(client, alliance, meeting):
    client.force_login(alliance.users["staff"])
    item = meeting.agenda_items.get()
    item_form = client.get(reverse("meetings:agenda_item_edit", args=[item.pk]))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    decision_form = client.get(
        reverse("meetings:minutes_decision_edit", args=[item.pk])
    )

    for response, fields in ((item_form, 2), (decision_form, 1)):
        page = lxml.html.fromstring(response.content)
        with translation.override(page.get("lang")):
            help_text = str(FORMATTING_HELP)
        assert response.content.decode().count(html.escape(help_text)) == fields
