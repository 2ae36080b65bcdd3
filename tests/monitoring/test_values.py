"""Values: no second value for a period and city, deleting with history, and moving
an indicator to another theme or measure."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.history import edit_token
from monitoring import services
from monitoring.models import Indicator, Observation
from tests.monitoring.factories import Q1_2024, IndicatorFactory
from tests.monitoring.test_views import field_errors
from tests.themes.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def add_url(indicator):
    return reverse("monitoring:observation_add", args=[indicator.pk])


def edit_url(observation):
    return reverse("monitoring:observation_edit", args=[observation.pk])


def delete_url(observation):
    return reverse("monitoring:observation_delete", args=[observation.pk])


def relocate_url(indicator):
    return reverse("monitoring:indicator_relocate", args=[indicator.pk])


# Adding a value where one exists


def test_the_issues_example_a_second_value_is_refused_not_replaced(client, world):
    """A staff value 7 was overwritten by Helsinki's 8, and both were told 'saved'."""
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    staff_add = client.post(
        add_url(world.per_city),
        {"period": "2024-Q2", "value": "7", "city": world.helsinki.pk},
    )
    staff_value = Observation.objects.get(
        indicator=world.per_city,
        period__year=2024,
        period__month=4,
        city=world.helsinki,
    )
    client.force_login(world.users["helsinki"])

    response = client.post(
        add_url(world.per_city),
        {"period": "2024-Q2", "value": "8", "city": world.helsinki.pk},
    )

    page = response.content.decode()
    assert staff_add.status_code == 302
    assert response.status_code == 400
    assert "already has a value (7)" in html.unescape(field_errors(page, "period"))
    assert f'href="{edit_url(staff_value)}"' in page
    staff_value.refresh_from_db()
    assert (staff_value.value, staff_value.entered_by) == (
        Decimal("7"),
        world.users["staff"],
    )


def test_a_duplicate_national_value_is_refused_with_a_link(client, world):
    client.force_login(world.users["chair"])
    before = list(Observation.objects.values_list("pk", "value"))

    response = client.post(
        add_url(world.per_city), {"period": "2024-Q1", "value": "1", "city": ""}
    )

    assert response.status_code == 400
    assert f'href="{edit_url(world.national_value)}"' in response.content.decode()
    assert list(Observation.objects.values_list("pk", "value")) == before


def test_the_add_service_refuses_a_duplicate(world):
    with pytest.raises(services.ObservationExists) as refused:
        services.observation_add(
            indicator=world.per_city,
            period=Q1_2024,
            value=Decimal("1"),
            city=world.espoo,
            by=world.users["espoo"],
        )

    assert refused.value.observation == world.espoo_value
    assert refused.value.code == "duplicate_value"


def test_a_change_is_refused_when_someone_changed_the_value_meanwhile(client, world):
    client.force_login(world.users["helsinki"])
    token = edit_token(world.helsinki_value)
    services.observation_update(
        observation=world.helsinki_value,
        value=Decimal("131"),
        note="",
        by=world.users["staff"],
        token=token,
    )

    response = client.post(
        edit_url(world.helsinki_value),
        {"value": "140", "note": "", "edit_token": token},
    )

    assert response.status_code == 409
    world.helsinki_value.refresh_from_db()
    assert world.helsinki_value.value == Decimal("131")


# Deleting


def test_a_city_representative_deletes_their_citys_value_and_the_history_keeps_it(
    client, world
):
    user = world.users["helsinki"]
    client.force_login(user)
    observation = world.helsinki_value

    confirm = client.get(delete_url(observation))
    response = client.post(
        delete_url(observation), {"edit_token": edit_token(observation)}
    )

    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == world.per_city.get_absolute_url()
    assert not Observation.objects.filter(pk=observation.pk).exists()
    deletion = Observation.history.filter(id=observation.pk).first()
    assert deletion.history_type == "-"
    assert deletion.history_user == user
    assert deletion.value == Decimal("130")


def test_opening_the_delete_page_deletes_nothing(client, world):
    client.force_login(world.users["staff"])

    client.get(delete_url(world.helsinki_value))

    assert Observation.objects.filter(pk=world.helsinki_value.pk).exists()


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("helsinki", "espoo_value", 403),
        ("helsinki", "national_value", 403),
        ("observer", "helsinki_value", 403),
        ("norole", "helsinki_value", 403),
    ],
)
def test_only_those_who_may_change_a_value_may_delete_it(
    client, world, role, target, status
):
    client.force_login(world.users[role])
    observation = getattr(world, target)

    shown = client.get(delete_url(observation))
    posted = client.post(delete_url(observation))

    assert (shown.status_code, posted.status_code) == (status, status)
    assert Observation.objects.filter(pk=observation.pk).exists()


def test_a_value_changed_after_the_delete_page_opened_is_not_deleted(client, world):
    client.force_login(world.users["staff"])
    token = edit_token(world.espoo_value)
    services.observation_update(
        observation=world.espoo_value,
        value=Decimal("126"),
        note="",
        by=world.users["espoo"],
        token=token,
    )

    response = client.post(delete_url(world.espoo_value), {"edit_token": token})

    assert response.status_code == 409
    assert Observation.objects.filter(pk=world.espoo_value.pk).exists()


def test_deleting_a_missing_value_is_not_found(client, world):
    client.force_login(world.users["staff"])

    assert (
        client.get(reverse("monitoring:observation_delete", args=[999999])).status_code
        == 404
    )
    assert (
        client.post(reverse("monitoring:observation_delete", args=[999999])).status_code
        == 404
    )


def test_the_edit_page_links_to_the_deletion(client, world):
    client.force_login(world.users["helsinki"])

    page = client.get(edit_url(world.helsinki_value)).content.decode()

    assert delete_url(world.helsinki_value) in page


# Moving an indicator


def test_the_secretariat_moves_an_indicator_to_a_measure_with_history(client, world):
    user = world.users["staff"]
    client.force_login(user)
    indicator = world.per_city

    form = client.get(relocate_url(indicator))
    response = client.post(
        relocate_url(indicator),
        {
            "theme": "",
            "measure": world.measure.pk,
            "edit_token": edit_token(indicator),
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.theme, indicator.measure) == (None, world.measure)
    latest = indicator.history.first()
    assert (latest.history_user, latest.measure_id) == (user, world.measure.pk)


def test_a_moved_indicator_goes_last_in_its_new_theme(world):
    other = ThemeFactory(title="Osaaminen")
    first = IndicatorFactory(theme=other)
    indicator = world.national_only
    indicator.theme = other

    services.indicator_relocate(
        indicator=indicator, by=world.users["chair"], token=edit_token(indicator)
    )

    indicator.refresh_from_db()
    assert indicator.theme == other
    assert indicator.order > first.order


@pytest.mark.parametrize("both", [True, False])
def test_an_indicator_needs_either_a_theme_or_a_measure(client, world, both):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"

    response = client.post(
        relocate_url(world.per_city),
        {
            "theme": world.theme.pk if both else "",
            "measure": world.measure.pk if both else "",
            "edit_token": edit_token(world.per_city),
        },
    )

    assert response.status_code == 400
    assert "either to a theme or to a measure" in response.content.decode()
    world.per_city.refresh_from_db()
    assert (world.per_city.theme, world.per_city.measure) == (world.theme, None)


@pytest.mark.parametrize("role", ["helsinki", "observer"])
def test_only_the_secretariat_moves_indicators(client, world, role):
    client.force_login(world.users[role])

    shown = client.get(relocate_url(world.per_city))
    posted = client.post(
        relocate_url(world.per_city), {"theme": "", "measure": world.measure.pk}
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert Indicator.objects.get(pk=world.per_city.pk).measure is None


@pytest.mark.parametrize(
    "data",
    [
        {"theme": "abc", "measure": ""},
        {"theme": "", "measure": "999999"},
        {"theme": "1e9", "measure": "-1"},
    ],
)
def test_hostile_relocation_input_is_refused(client, world, data):
    client.force_login(world.users["staff"])

    response = client.post(relocate_url(world.per_city), data)

    assert response.status_code == 400


def test_the_edit_page_links_to_moving_the_indicator_for_the_secretariat(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_edit", args=[world.per_city.pk])

    page = client.get(url).content.decode()

    assert relocate_url(world.per_city) in page
