"""The chair's audit trail page: filters and bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import AuditEvent

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind


def _events(count, user):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            kind=Kind.SIGN_IN, at=timezone.now(), user=user, username=user.username
        )
        for _number in range(count)
    )


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
