"""After the decision and the action item forms the browser stays on this site."""

import datetime

import pytest
from django.urls import reverse

from alliance.history import edit_token
from secretariat.meetings.models import ActionItem, AgendaItem, Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.redirects import HOSTILE_NEXTS, HTMX, assert_stays_on_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(alliance):
    return MeetingFactory(body=alliance.secretariat, status=Meeting.Status.HELD)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("hostile", HOSTILE_NEXTS)
def test_a_recorded_decision_never_leads_off_the_site(
    client, alliance, held, hostile, headers
):
    item = AgendaItemFactory(meeting=held)
    client.force_login(alliance.users["staff"])
    response = client.post(
        reverse("meetings:minutes_decision_edit", args=[item.pk]),
        {
            "outcome": AgendaItem.Outcome.APPROVED,
            "decision": "Hyväksyttiin.",
            "edit_token": edit_token(item),
            "next": hostile,
        },
        **headers,
    )
    assert response.status_code in (200, 302)
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.APPROVED
    assert_stays_on_site(response)
    if not headers:
        assert response["Location"] == reverse("meetings:minutes_edit", args=[held.pk])


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("hostile", HOSTILE_NEXTS)
def test_a_recorded_action_item_never_leads_off_the_site(
    client, alliance, held, hostile, headers
):
    client.force_login(alliance.users["staff"])
    response = client.post(
        reverse("meetings:action_item_add", args=[held.pk]),
        {
            "title": "Täydennykset",
            "owner": alliance.secretariat_seats[1].pk,
            "due_date": datetime.date(2023, 10, 20).isoformat(),
            "status": ActionItem.Status.OPEN,
            "next": hostile,
        },
        **headers,
    )
    assert ActionItem.objects.filter(meeting=held, title="Täydennykset").exists()
    assert_stays_on_site(response)
    target = response["HX-Redirect" if headers else "Location"]
    assert target == held.get_absolute_url()


def test_an_on_site_next_is_still_followed(client, alliance, held):
    item = AgendaItemFactory(meeting=held)
    client.force_login(alliance.users["staff"])
    back = reverse("meetings:meeting_detail", args=[held.pk])
    response = client.post(
        reverse("meetings:minutes_decision_edit", args=[item.pk]),
        {
            "outcome": AgendaItem.Outcome.NOTED,
            "decision": "",
            "edit_token": edit_token(item),
            "next": back,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == back
