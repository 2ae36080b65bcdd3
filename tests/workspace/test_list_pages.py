"""The long lists show fifty rows a page, in as many queries for many rows as for few.

The page links keep the list's filters, and a page number out of range or not a number
still shows a page of the list.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.paging import PAGE_SIZE
from members.models import Organisation
from secretariat.meetings.models import ActionItem
from tests.html import rendered_rows
from tests.meetings.factories import ActionItemFactory, MeetingFactory
from tests.monitoring.factories import IndicatorFactory
from tests.theme_proposals.factories import ThemeProposalFactory

pytestmark = pytest.mark.django_db


def _indicators(world, count):
    IndicatorFactory.create_batch(count, theme=world.theme)


def _proposals(world, count):
    ThemeProposalFactory.create_batch(
        count,
        city=Organisation.objects.get(slug="espoo"),
        author=world.users["city-espoo"],
        theme=world.theme,
    )


def _meetings(world, count):
    MeetingFactory.create_batch(count, body=world.secretariat)


def _action_items(world, count):
    meeting = MeetingFactory(body=world.secretariat)
    ActionItemFactory.create_batch(
        count, meeting=meeting, owner=world.membership, status=ActionItem.Status.OPEN
    )


# (url name, what the page lists, how to grow it, a filter the page keeps)
LISTS = [
    ("monitoring:indicator_list", "indicator", _indicators, "theme"),
    ("theme_proposals:proposal_list", "proposal", _proposals, None),
    ("meetings:meeting_list", "meeting", _meetings, None),
    ("meetings:action_item_list", "action-item", _action_items, "status"),
]


def _filters(world, kept):
    values = {"theme": world.theme.pk, "status": ActionItem.Status.OPEN}
    return {kept: values[kept]} if kept else {}


@pytest.mark.parametrize(
    ("name", "kind", "grow", "kept"), LISTS, ids=[page[0] for page in LISTS]
)
def test_list_shows_one_page_in_fixed_queries(
    client, world, name, kind, grow, kept, django_assert_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse(name)
    filters = _filters(world, kept)
    before = rendered_rows(client.get(url, filters), kind)
    grow(world, 10)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url, filters)
    assert rendered_rows(response, kind) == before + 10

    grow(world, PAGE_SIZE + 10)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url, filters)
    assert response.status_code == 200
    assert rendered_rows(response, kind) == PAGE_SIZE
    second = client.get(url, {**filters, "page": 2})
    assert rendered_rows(second, kind) == before + 20


@pytest.mark.parametrize(
    ("name", "kind", "grow", "kept"), LISTS, ids=[page[0] for page in LISTS]
)
def test_page_links_keep_the_filters(client, world, name, kind, grow, kept):
    client.force_login(world.users["chair"])
    grow(world, PAGE_SIZE + 1)
    filters = _filters(world, kept)

    page = client.get(reverse(name), filters).content.decode()

    expected = "&amp;".join([*(f"{key}={value}" for key, value in filters.items())])
    next_link = f'href="?{expected}&amp;page=2"' if filters else 'href="?page=2"'
    assert next_link in page


@pytest.mark.parametrize(
    ("name", "kind", "grow", "kept"), LISTS, ids=[page[0] for page in LISTS]
)
def test_page_number_out_of_range_shows_the_last_page_and_nonsense_the_first(
    client, world, name, kind, grow, kept
):
    client.force_login(world.users["chair"])
    url = reverse(name)
    grow(world, PAGE_SIZE + 1)
    last = rendered_rows(client.get(url, {"page": 2}), kind)

    assert rendered_rows(client.get(url, {"page": 999}), kind) == last
    response = client.get(url, {"page": "x'"})
    assert response.status_code == 200
    assert rendered_rows(response, kind) == PAGE_SIZE
