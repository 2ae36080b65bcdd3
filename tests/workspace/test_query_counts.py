"""List and detail pages run the same number of queries with 10 rows as with 200."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Organisation
from tests.members.factories import MembershipFactory, PersonFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _grow(world, count):
    """Add `count` rows of each kind the pages list."""
    tem = Organisation.objects.get(slug="tem")
    helsinki = Organisation.objects.get(slug="helsinki")
    for n in range(count):
        theme = ThemeFactory(title=f"Teema {n}", lead_organisation=tem)
        measure = MeasureFactory(theme=world.theme, lead_organisation=tem)
        measure.participating_organisations.add(helsinki)
        MilestoneFactory(
            theme=None, measure=measure, due_date=datetime.date(2024, 1, 1)
        )
        MilestoneFactory(theme=theme, due_date=datetime.date(2023, 10, 1))
        MembershipFactory(
            body=world.secretariat,
            person=PersonFactory(),
            organisation=helsinki,
            role=Membership.Role.EXPERT,
        )


PAGES = [
    ("themes:theme_list", None),
    ("themes:theme_detail", "theme"),
    ("themes:measure_detail", "measure"),
    ("members:body_detail", "secretariat"),
    ("members:body_list", None),
    ("members:organisation_list", None),
    ("members:account_list", None),
    ("secretariat:dashboard", None),
    ("secretariat:schedule", None),
    ("secretariat:appointment_detail", "appointment"),
    ("members:organisation_detail", "organisation"),
    ("members:person_detail", "person"),
    ("members:membership_detail", "membership"),
    ("themes:milestone_detail", "milestone"),
    ("theme_proposals:proposal_list", None),
]


@pytest.mark.parametrize(("name", "subject"), PAGES)
def test_page_queries_do_not_grow_with_rows(
    client, world, name, subject, django_assert_max_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse(name, args=[getattr(world, subject).pk] if subject else [])
    _grow(world, 10)
    with CaptureQueriesContext(connection) as at_ten:
        assert client.get(url).status_code == 200

    _grow(world, 190)

    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200


def test_search_queries_do_not_grow_with_hits(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse("secretariat:search")
    _grow(world, 10)
    with CaptureQueriesContext(connection) as at_ten:
        assert client.get(url, {"q": "Teema"}).status_code == 200

    _grow(world, 190)

    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url, {"q": "Teema"}).status_code == 200
