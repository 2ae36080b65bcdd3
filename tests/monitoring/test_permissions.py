"""Who may do what in monitoring: the rules, and every page × every role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from monitoring import permissions
from monitoring.models import Indicator, Observation, StatusThresholds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# The rules


def test_every_role_reads_but_only_the_secretariat_edits_indicators(world):
    for name, user in world.users.items():
        reads = name != "norole"
        edits = name in {"staff", "chair"}
        assert permissions.can_view_monitoring(user) is reads, name
        assert permissions.can_view_indicator(user, world.per_city) is reads, name
        assert permissions.can_edit_indicators(user) is edits, name
        assert permissions.can_edit_thresholds(user) is edits, name
    assert not permissions.can_view_monitoring(AnonymousUser())


def test_a_city_records_only_its_own_values_of_indicators_reported_per_city(world):
    helsinki = world.users["helsinki"]

    assert list(permissions.recordable_cities(helsinki, world.per_city)) == [
        world.helsinki
    ]
    assert permissions.can_record_for(helsinki, world.per_city, world.helsinki)
    assert not permissions.can_record_for(helsinki, world.per_city, world.espoo)
    assert not permissions.can_record_for(helsinki, world.per_city, None)
    assert not permissions.can_record_national(helsinki, world.national_only)
    assert not permissions.recordable_cities(helsinki, world.national_only).exists()
    assert permissions.can_change_observation(helsinki, world.helsinki_value)
    assert not permissions.can_change_observation(helsinki, world.espoo_value)
    assert not permissions.can_change_observation(helsinki, world.national_value)


def test_the_secretariat_records_every_value(world):
    for name in ("staff", "chair"):
        user = world.users[name]
        assert permissions.recordable_cities(user, world.per_city).count() == 6
        assert permissions.can_record_for(user, world.per_city, None)
        assert permissions.can_record_national(user, world.national_only)
        assert not permissions.recordable_cities(user, world.national_only).exists()


def test_observers_and_inactive_city_representatives_record_nothing(world):
    observer = world.users["observer"]
    gone = world.users["espoo"]
    gone.is_active = False
    gone.save()

    for user in (observer, gone, AnonymousUser(), UserFactory()):
        assert not permissions.can_record_national(user, world.per_city)
        assert not permissions.recordable_cities(user, world.per_city).exists()
        assert not permissions.can_change_observation(user, world.espoo_value)


# Every page × every role

ROLES = ["anonymous", "norole", "observer", "helsinki", "staff", "chair"]


def pages(world) -> dict[str, tuple[str, str]]:
    """Return each page as (method, address), by a short name."""
    indicator, national_only = world.per_city.pk, world.national_only.pk
    return {
        "list": ("get", reverse("monitoring:indicator_list")),
        "detail": ("get", reverse("monitoring:indicator_detail", args=[indicator])),
        "add_for_theme": (
            "get",
            reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk]),
        ),
        "add_for_measure": (
            "get",
            reverse("monitoring:indicator_add_for_measure", args=[world.measure.pk]),
        ),
        "edit": ("get", reverse("monitoring:indicator_edit", args=[indicator])),
        "move": (
            "post",
            reverse("monitoring:indicator_move", args=[indicator, "down"]),
        ),
        "value_add": ("get", reverse("monitoring:observation_add", args=[indicator])),
        "value_add_national_only": (
            "get",
            reverse("monitoring:observation_add", args=[national_only]),
        ),
        "bulk": (
            "get",
            reverse("monitoring:observation_bulk", args=[indicator])
            + "?period=2024-Q2",
        ),
        "edit_helsinki_value": (
            "get",
            reverse("monitoring:observation_edit", args=[world.helsinki_value.pk]),
        ),
        "edit_espoo_value": (
            "get",
            reverse("monitoring:observation_edit", args=[world.espoo_value.pk]),
        ),
        "edit_national_value": (
            "get",
            reverse("monitoring:observation_edit", args=[world.national_value.pk]),
        ),
        "thresholds": ("get", reverse("monitoring:thresholds_edit")),
    }


# The expected status of each page for anonymous, no role, observer, a Helsinki
# representative, staff and the chair. A user without a role is refused everything
# (403); the observer reads and is refused every write (403); Helsinki records
# Helsinki's values only.
EXPECTED = {
    "list": [302, 403, 200, 200, 200, 200],
    "detail": [302, 403, 200, 200, 200, 200],
    "add_for_theme": [302, 403, 403, 403, 200, 200],
    "add_for_measure": [302, 403, 403, 403, 200, 200],
    "edit": [302, 403, 403, 403, 200, 200],
    "move": [302, 403, 403, 403, 302, 302],
    "value_add": [302, 403, 403, 200, 200, 200],
    "value_add_national_only": [302, 403, 403, 403, 200, 200],
    "bulk": [302, 403, 403, 200, 200, 200],
    "edit_helsinki_value": [302, 403, 403, 200, 200, 200],
    "edit_espoo_value": [302, 403, 403, 403, 200, 200],
    "edit_national_value": [302, 403, 403, 403, 200, 200],
    "thresholds": [302, 403, 403, 403, 200, 200],
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_every_page_answers_each_role_as_expected(client, world, page):
    method, url = pages(world)[page]
    answers = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = getattr(client, method)(url)
        answers.append(response.status_code)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login")), url

    assert answers == EXPECTED[page]


WRITES = {
    "add_for_theme": lambda w: (
        reverse("monitoring:indicator_add_for_theme", args=[w.theme.pk]),
        {"name": "Uusi", "baseline_value": "1", "target_value": "2"},
    ),
    "edit": lambda w: (
        reverse("monitoring:indicator_edit", args=[w.per_city.pk]),
        {"name": "Muutettu", "baseline_value": "1", "target_value": "2"},
    ),
    "value_add": lambda w: (
        reverse("monitoring:observation_add", args=[w.per_city.pk]),
        {"period": "2024-Q2", "value": "1", "city": w.espoo.pk},
    ),
    "bulk": lambda w: (
        reverse("monitoring:observation_bulk", args=[w.per_city.pk])
        + "?period=2024-Q2",
        {"city-espoo-value": "1", "national-value": "1"},
    ),
    "edit_espoo_value": lambda w: (
        reverse("monitoring:observation_edit", args=[w.espoo_value.pk]),
        {"value": "1", "note": ""},
    ),
    "edit_national_value": lambda w: (
        reverse("monitoring:observation_edit", args=[w.national_value.pk]),
        {"value": "1", "note": ""},
    ),
    "thresholds": lambda w: (
        reverse("monitoring:thresholds_edit"),
        {"on_track": "0,5", "at_risk": "0,2"},
    ),
}


def database_state():
    return (
        list(Indicator.objects.order_by("pk").values()),
        list(Observation.objects.order_by("pk").values()),
        list(StatusThresholds.objects.values()),
    )


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("role", ["norole", "observer", "helsinki"])
def test_a_refused_write_changes_nothing(client, world, write, role):
    """Each write a role may not make, posted anyway, is refused and changes nothing."""
    url, data = WRITES[write](world)
    client.force_login(world.users[role])
    before = database_state()

    response = client.post(url, data)

    assert response.status_code == 403
    assert database_state() == before


def test_an_indicator_or_value_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.users["chair"])

    for url in (
        reverse("monitoring:indicator_detail", args=[999999]),
        reverse("monitoring:indicator_edit", args=[999999]),
        reverse("monitoring:observation_add", args=[999999]),
        reverse("monitoring:observation_edit", args=[999999]),
        reverse("monitoring:indicator_add_for_theme", args=[999999]),
    ):
        assert client.get(url).status_code == 404, url
