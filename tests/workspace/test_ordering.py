"""Ordered lists: a new row goes last, a move shows in the list and is recorded."""

import pytest
from django.urls import reverse

from alliance.ordering import move_in_order, next_position
from tests.themes.factories import ThemeFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db


def test_a_moved_theme_is_listed_above_the_one_it_passed(client, world):
    second = ThemeFactory(
        title="Asuminen",
        lead_organisation=world.theme.lead_organisation,
        order=world.theme.order + 1,
    )
    client.force_login(world.users["staff"])
    page = client.get(reverse("themes:theme_list")).content.decode()
    assert page.index("Työllisyys") < page.index("Asuminen")

    response = client.post(reverse("themes:theme_move", args=[second.pk, "up"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("themes:theme_list")
    page = client.get(reverse("themes:theme_list")).content.decode()
    assert page.index("Asuminen") < page.index("Työllisyys")
    fragment = client.post(
        reverse("themes:theme_move", args=[second.pk, "down"]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<html" not in fragment
    assert fragment.index("Työllisyys") < fragment.index("Asuminen")
    moves = second.history.order_by("history_id")
    assert [entry.history_user for entry in moves][-2:] == [world.users["staff"]] * 2


def test_a_new_row_goes_after_its_siblings_and_the_ends_stay_put(world):
    themes = Theme.objects.all()
    assert next_position(Theme.objects.none()) == 0
    assert next_position(themes) == max(theme.order for theme in themes) + 1

    first = themes.order_by("order", "pk").first()
    move_in_order(first, siblings=themes, direction="up", by=world.users["staff"])

    assert themes.order_by("order", "pk").first() == first


def test_an_unknown_direction_is_not_found_and_moves_nothing(client, world):
    client.force_login(world.users["staff"])
    before = list(Theme.objects.values_list("pk", "order"))

    response = client.post(
        reverse("themes:theme_move", args=[world.theme.pk, "sideways"])
    )

    assert response.status_code == 404
    assert list(Theme.objects.values_list("pk", "order")) == before
