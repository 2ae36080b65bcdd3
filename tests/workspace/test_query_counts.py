"""Each list and detail page runs as many queries for many rows as for a few.

Every page grows the rows it lists to the chair, and the test counts the rows it
renders, so that a page which shows the same rows at both sizes cannot pass.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.history import save_tracked
from members.models import Body, Membership, Organisation
from secretariat.models import AppointmentTask
from tests.factories import UserFactory
from tests.html import rendered_rows
from tests.members.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.monitoring.factories import IndicatorFactory
from tests.theme_proposals.factories import ThemeProposalFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _themes(world, count):
    tem = Organisation.objects.get(slug="tem")
    for _ in range(count):
        MilestoneFactory(
            theme=ThemeFactory(lead_organisation=tem),
            due_date=datetime.date(2023, 10, 1),
        )


def _measures_of_theme(world, count):
    helsinki = Organisation.objects.get(slug="helsinki")
    for _ in range(count):
        measure = MeasureFactory(theme=world.theme)
        measure.participating_organisations.add(helsinki)
        MilestoneFactory(
            theme=None, measure=measure, due_date=datetime.date(2024, 1, 1)
        )


def _measure_milestones(world, count):
    MilestoneFactory.create_batch(
        count, theme=None, measure=world.measure, due_date=datetime.date(2024, 1, 1)
    )


def _upcoming_milestones(world, count):
    MilestoneFactory.create_batch(
        count, theme=world.theme, due_date=datetime.date(2023, 10, 1)
    )


def _helsinki_seats(world, count):
    """Seats of Helsinki in the secretariat."""
    helsinki = Organisation.objects.get(slug="helsinki")
    for _ in range(count):
        MembershipFactory(
            body=world.secretariat,
            person=PersonFactory(),
            organisation=helsinki,
            role=Membership.Role.EXPERT,
        )


def _seats_of_person(world, count):
    for _ in range(count):
        MembershipFactory(
            body=BodyFactory(), person=world.person, role=Membership.Role.MEMBER
        )


def _bodies(world, count):
    BodyFactory.create_batch(count, kind=Body.Kind.COOPERATION_GROUP)


def _organisations(world, count):
    OrganisationFactory.create_batch(count, kind=Organisation.Kind.OTHER)


def _accounts(world, count):
    observers = Group.objects.get(name="observer")
    for _ in range(count):
        UserFactory().groups.add(observers)


def _tasks(world, count):
    last = world.appointment.tasks.aggregate(last=Max("number"))["last"] or 0
    AppointmentTask.objects.bulk_create(
        AppointmentTask(
            appointment=world.appointment,
            number=last + n,
            text=f"Tehtävä {n}",
            responsible=world.membership,
        )
        for n in range(1, count + 1)
    )


def _proposals(world, count):
    ThemeProposalFactory.create_batch(
        count,
        city=Organisation.objects.get(slug="espoo"),
        author=world.users["city-espoo"],
        theme=world.theme,
    )


def _membership_edits(world, count):
    for n in range(count):
        world.membership.title = f"Nimike {n}"
        world.membership.save(update_fields=["title"])


def _membership_moves(world, count):
    """Move the membership from city to city: each entry changes a foreign key."""
    cities = list(Organisation.objects.filter(kind=Organisation.Kind.CITY))
    for n in range(count):
        world.membership.organisation = cities[n % len(cities)]
        world.membership.save(update_fields=["organisation"])


def _milestone_edits(world, count):
    for n in range(count):
        world.milestone.title = f"Välitavoite {n}"
        world.milestone.save(update_fields=["title"])


def _indicators(world, count):
    IndicatorFactory.create_batch(count, theme=world.theme)


# (url name, subject in the world, what the page lists, how to grow it, sizes); the
# lists shown fifty rows a page stay under that.
PAGES = [
    ("themes:theme_list", None, "theme", _themes, (10, 60)),
    ("themes:theme_detail", "theme", "measure", _measures_of_theme, (10, 60)),
    ("themes:measure_detail", "measure", "milestone", _measure_milestones, (10, 60)),
    ("members:body_detail", "secretariat", "membership", _helsinki_seats, (10, 60)),
    ("members:body_list", None, "body", _bodies, (10, 60)),
    ("members:organisation_list", None, "organisation", _organisations, (10, 60)),
    ("members:account_list", None, "account", _accounts, (10, 60)),
    # The dashboard shows the next eight milestones: both sizes stay under that.
    ("secretariat:dashboard", None, "milestone", _upcoming_milestones, (2, 6)),
    # A theme's measures open on request: tests/secretariat/test_schedule.py.
    ("secretariat:schedule", None, "theme", _themes, (10, 60)),
    ("secretariat:appointment_detail", "appointment", "task", _tasks, (10, 60)),
    (
        "members:organisation_detail",
        "organisation",
        "membership",
        _helsinki_seats,
        (10, 60),
    ),
    ("members:person_detail", "person", "membership", _seats_of_person, (10, 60)),
    # The history shows the latest fifty entries: both sizes stay under that.
    ("members:membership_detail", "membership", "history", _membership_edits, (10, 40)),
    ("themes:milestone_detail", "milestone", "history", _milestone_edits, (10, 40)),
    ("theme_proposals:proposal_list", None, "proposal", _proposals, (10, 40)),
    ("monitoring:indicator_list", None, "indicator", _indicators, (10, 40)),
]


@pytest.mark.parametrize(
    ("name", "subject", "kind", "grow", "sizes"), PAGES, ids=[page[0] for page in PAGES]
)
def test_page_queries_do_not_grow_with_rows(
    client, world, name, subject, kind, grow, sizes, django_assert_num_queries
):
    few, many = sizes
    client.force_login(world.users["chair"])
    url = reverse(name, args=[getattr(world, subject).pk] if subject else [])
    grow(world, few)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    rows_with_few = rendered_rows(response, kind)

    grow(world, many - few)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert response.status_code == 200
    assert rows_with_few >= few
    assert rendered_rows(response, kind) == rows_with_few + many - few


def test_history_queries_do_not_grow_with_changed_foreign_keys(
    client, world, django_assert_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse("members:membership_detail", args=[world.membership.pk])
    _membership_moves(world, 10)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    rows_with_few = rendered_rows(response, "history")

    _membership_moves(world, 30)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "history") == rows_with_few + 30


def test_search_queries_do_not_grow_with_hits(client, world, django_assert_num_queries):
    client.force_login(world.users["chair"])
    url = reverse("secretariat:search")
    _themes(world, 5)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url, {"q": "Teema"})
    assert response.status_code == 200
    assert rendered_rows(response, "hit") == 5

    # At most twenty hits of a kind are shown.
    _themes(world, 10)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url, {"q": "Teema"})
    assert response.status_code == 200
    assert rendered_rows(response, "hit") == 15


def _measure_moves(world, count):
    """Move the measure's lead and its participants: foreign key and many-to-many."""
    cities = list(Organisation.objects.filter(kind=Organisation.Kind.CITY))
    for n in range(count):
        world.measure.lead_organisation = cities[n % len(cities)]
        save_tracked(
            world.measure,
            by=world.users["chair"],
            token=None,
            m2m={"participating_organisations": [cities[(n + 1) % len(cities)]]},
        )


def _theme_moves(world, count):
    organisations = list(Organisation.objects.order_by("pk")[:5])
    for n in range(count):
        world.theme.lead_organisation = organisations[n % len(organisations)]
        world.theme.save()


def _proposal_moves(world, count):
    themes = [world.theme, ThemeFactory(), ThemeFactory()]
    for n in range(count):
        world.helsinki_sent.theme = themes[n % len(themes)]
        world.helsinki_sent.save()


def _indicator_moves(world, count):
    # An indicator belongs to a theme or to one of its measures, never both.
    homes = [(None, world.measure), (world.theme, None), (None, MeasureFactory())]
    organisations = list(Organisation.objects.order_by("pk")[:5])
    for n in range(count):
        world.indicator.theme, world.indicator.measure = homes[n % len(homes)]
        world.indicator.responsible_organisation = organisations[n % len(organisations)]
        world.indicator.save()


# (url name, subject in the world, who looks, how to edit it): each edit changes a
# relation.
HISTORY_PAGES = [
    ("themes:measure_detail", "measure", "chair", _measure_moves),
    ("themes:theme_detail", "theme", "chair", _theme_moves),
    (
        "theme_proposals:proposal_detail",
        "helsinki_sent",
        "city-helsinki",
        _proposal_moves,
    ),
    ("monitoring:indicator_detail", "indicator", "chair", _indicator_moves),
]


@pytest.mark.parametrize(
    ("name", "subject", "viewer", "edit"),
    HISTORY_PAGES,
    ids=[page[0] for page in HISTORY_PAGES],
)
def test_history_queries_do_not_grow_with_related_edits(
    client, world, name, subject, viewer, edit, django_assert_num_queries
):
    client.force_login(world.users[viewer])
    url = reverse(name, args=[getattr(world, subject).pk])
    edit(world, 3)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    rows_with_few = rendered_rows(response, "history")

    # The history shows the latest fifty entries: both sizes stay under that.
    edit(world, 37)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert response.status_code == 200
    assert rows_with_few >= 3
    assert rendered_rows(response, "history") == rows_with_few + 37
