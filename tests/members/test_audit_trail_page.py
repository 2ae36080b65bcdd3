"""The chair's audit trail page: filters, pages, query counts and bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.models import AuditEvent
from members.views import AUDIT_PAGE_SIZE
from tests.factories import UserFactory
from tests.html import rendered_rows

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind


def _events(count, user):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            kind=Kind.SIGN_IN, at=timezone.now(), user=user, username=user.username
        )
        for _number in range(count)
    )


def _events_of_new_users(count):
    """Events each by a user of its own, so that a query per row would show."""
    AuditEvent.objects.bulk_create(
        AuditEvent(kind=Kind.SIGN_IN, at=timezone.now(), user=user)
        for user in UserFactory.create_batch(count)
    )


def test_page_queries_do_not_grow_with_events(client, world, django_assert_num_queries):
    chair = world.users["chair"]
    url = reverse("members:audit_trail")
    client.force_login(chair)
    # The page lists every event, and the world's bootstrap and the test's own
    # sign-in have each recorded one: count the trail just before each request.
    assert AuditEvent.objects.filter(kind=Kind.SIGN_IN, user=chair).count() == 1
    _events_of_new_users(3)
    events_with_few = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "audit-event") == events_with_few
    # Reading the trail records nothing in it.
    assert AuditEvent.objects.count() == events_with_few

    _events_of_new_users(27)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "audit-event") == events_with_few + 27


def test_a_long_trail_is_shown_a_page_at_a_time_keeping_the_filters(client, world):
    chair, observer = world.users["chair"], world.users["observer"]
    _events(AUDIT_PAGE_SIZE + 20, observer)
    AuditEvent.objects.create(kind=Kind.EXPORT, at=timezone.now(), user=observer)
    client.force_login(chair)
    url = reverse("members:audit_trail")
    query = {"person": observer.pk, "kind": Kind.SIGN_IN}

    response = client.get(url, query)
    assert response.status_code == 200
    assert rendered_rows(response, "audit-event") == AUDIT_PAGE_SIZE
    next_link = f"?person={observer.pk}&amp;kind={Kind.SIGN_IN}&amp;page=2"
    assert next_link in response.content.decode()

    response = client.get(url, {**query, "page": 2})
    assert response.status_code == 200
    assert rendered_rows(response, "audit-event") == 20
    previous_link = f"?person={observer.pk}&amp;kind={Kind.SIGN_IN}&amp;page=1"
    assert previous_link in response.content.decode()


def test_filters_narrow_the_rows(client, world):
    chair, observer = world.users["chair"], world.users["observer"]
    _events(2, observer)
    AuditEvent.objects.create(
        kind=Kind.EXPORT, at=timezone.now(), user=chair, what="themes.xlsx"
    )
    client.force_login(chair)
    url = reverse("members:audit_trail")
    response = client.get(url, {"person": chair.pk, "kind": Kind.EXPORT})
    assert response.content.decode().count('data-row="audit-event"') == 1
    response = client.get(url, {"person": observer.pk, "since": "2023-09-16"})
    assert response.content.decode().count('data-row="audit-event"') == 0


@pytest.mark.parametrize(
    "query",
    [
        {"person": "abc"},
        {"kind": "<script>"},
        {"since": "99999-01-01"},
        {"since": "2023-09-20", "until": "2023-09-01"},
        {"page": "-1' OR 1=1"},
    ],
)
def test_hostile_filters_answer_4xx_or_a_page(client, world, query):
    client.force_login(world.users["chair"])
    response = client.get(reverse("members:audit_trail"), query)
    assert response.status_code in {200, 400}


def test_the_page_changes_nothing(client, world):
    client.force_login(world.users["chair"])
    response = client.post(reverse("members:audit_trail"), {"kind": Kind.SIGN_IN})
    assert response.status_code == 405
