"""The meeting pages run a bounded number of queries, whatever the number of rows."""

import datetime

import pytest
from django.urls import reverse

from alliance.paging import PAGE_SIZE
from secretariat.meetings.models import Meeting
from tests.html import rendered_rows
from tests.meetings.factories import (
    MEETING_DAY,
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    at,
)

pytestmark = pytest.mark.django_db


def _meetings(alliance, count):
    for number in range(count):
        meeting = MeetingFactory(
            body=alliance.group,
            starts_at=at(MEETING_DAY + datetime.timedelta(days=number), 9),
            ends_at=None,
        )
        AgendaItemFactory.create_batch(2, meeting=meeting)


@pytest.mark.parametrize("role", ["observer", "staff"])
@pytest.mark.parametrize("count", [10, 200])
def test_meeting_list(client, alliance, role, count, django_assert_max_num_queries):
    _meetings(alliance, count)
    client.force_login(alliance.users[role])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:meeting_list"))

    assert response.status_code == 200
    # The list shows a page at a time.
    assert len(response.context["meetings"]) == min(count, PAGE_SIZE)
    assert rendered_rows(response, "meeting") == min(count, PAGE_SIZE)


@pytest.mark.parametrize("count", [10, 200])
def test_agenda_builder_and_meeting_page(
    client, alliance, count, django_assert_max_num_queries
):
    meeting = MeetingFactory(body=alliance.group)
    AgendaItemFactory.create_batch(count, meeting=meeting)
    client.force_login(alliance.users["staff"])

    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:agenda_builder", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('<li id="agenda-item-') == count

    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert rendered_rows(response, "agenda-item") == count


@pytest.mark.parametrize("count", [10, 200])
def test_minutes_and_action_items(
    client, alliance, count, django_assert_max_num_queries
):
    meeting = MeetingFactory(body=alliance.secretariat, status=Meeting.Status.HELD)
    AgendaItemFactory.create_batch(count, meeting=meeting)
    ActionItemFactory.create_batch(
        count, meeting=meeting, owner=alliance.secretariat_seats[1]
    )
    client.force_login(alliance.users["staff"])

    with django_assert_max_num_queries(16):
        response = client.get(reverse("meetings:minutes_edit", args=[meeting.pk]))
    assert response.status_code == 200
    assert rendered_rows(response, "minutes-item") == count
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:action_item_list"))
    assert response.status_code == 200
    assert rendered_rows(response, "action-item") == min(count, PAGE_SIZE)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert rendered_rows(response, "agenda-item") == count
    assert rendered_rows(response, "action-item") == count
