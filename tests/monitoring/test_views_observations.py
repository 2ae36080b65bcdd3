"""Recording values in the browser: one at a time, changed, or a period at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.history import edit_token
from monitoring.models import Observation
from tests.monitoring.factories import Q1_2024, Q2_2024
from tests.monitoring.test_views import field_errors

pytestmark = pytest.mark.django_db


def snapshot():
    """Return every recorded value, to compare before and after a refused attempt."""
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk", "indicator_id", "period", "city_id", "value", "note", "entered_by_id"
        )
    )


def add_url(indicator):
    return reverse("monitoring:observation_add", args=[indicator.pk])


def bulk_url(indicator, period="2024-Q2"):
    return reverse("monitoring:observation_bulk", args=[indicator.pk]) + (
        f"?period={period}" if period else ""
    )


def edit_url(observation):
    return reverse("monitoring:observation_edit", args=[observation.pk])


# One value at a time


def test_a_city_representative_records_their_citys_value_in_finnish(client, world):
    user = world.users["helsinki"]
    client.force_login(user)

    form = client.get(add_url(world.per_city)).content.decode()
    response = client.post(
        add_url(world.per_city),
        {
            "period": "2024-Q2",
            "value": "1 234,5",
            "city": world.helsinki.pk,
            "note": "Ennakkotieto",
        },
    )

    # Only the user's own city is offered, and no national value.
    assert f'<option value="{world.helsinki.pk}"' in form
    assert f'<option value="{world.espoo.pk}"' not in form
    assert '<option value=""' not in form
    assert response.status_code == 302
    assert response["Location"] == world.per_city.get_absolute_url()
    saved = Observation.objects.get(period=Q2_2024, city=world.helsinki)
    assert saved.value == Decimal("1234.5")
    assert saved.note == "Ennakkotieto"
    assert saved.entered_by == user
    assert saved.history.get().history_user == user


def test_the_secretariat_records_a_negative_national_value(client, world):
    client.force_login(world.users["staff"])

    form = client.get(add_url(world.per_city)).content.decode()
    response = client.post(
        add_url(world.per_city), {"period": "2024-Q2", "value": "−3,5", "city": ""}
    )

    assert '<option value="" selected>' in form  # the national value is offered
    assert f'<option value="{world.espoo.pk}"' in form
    assert response.status_code == 302
    saved = Observation.objects.get(period=Q2_2024, city=None)
    assert saved.value == Decimal("-3.5")


def test_a_national_only_indicator_has_no_city_field(client, world):
    client.force_login(world.users["chair"])

    form = client.get(add_url(world.national_only)).content.decode()
    response = client.post(
        add_url(world.national_only), {"period": "2024-Q1", "value": "12"}
    )

    assert 'name="city"' not in form
    assert response.status_code == 302
    assert world.national_only.observations.get().value == Decimal("12")


def test_an_ambiguous_value_is_refused_next_to_the_field(client, world):
    client.force_login(world.users["helsinki"])
    client.cookies["django_language"] = "en"
    before = snapshot()

    response = client.post(
        add_url(world.per_city),
        {"period": "2024-Q2", "value": "1,234.5", "city": world.helsinki.pk},
    )

    assert response.status_code == 400
    assert "1,234.5 is ambiguous" in field_errors(response.content.decode(), "value")
    assert snapshot() == before


def test_a_period_of_the_wrong_length_is_refused_next_to_the_field(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"

    response = client.post(
        add_url(world.per_city), {"period": "2024-05", "value": "5", "city": ""}
    )

    assert response.status_code == 400
    assert "enter a quarter, for example 2024-Q1" in field_errors(
        response.content.decode(), "period"
    )


def test_the_form_is_prefilled_from_the_address(client, world):
    client.force_login(world.users["helsinki"])

    page = client.get(
        add_url(world.per_city), {"period": "2024-Q3", "city": world.helsinki.pk}
    ).content.decode()

    assert 'value="2024-Q3"' in page
    assert f'<option value="{world.helsinki.pk}" selected>' in page


@pytest.mark.parametrize("city", ["espoo", "national"])
def test_a_city_representative_cannot_record_another_citys_or_the_national_value(
    client, world, city
):
    client.force_login(world.users["helsinki"])
    before = snapshot()
    posted_city = "" if city == "national" else world.organisations[city].pk

    response = client.post(
        add_url(world.per_city),
        {"period": "2024-Q2", "value": "99", "city": posted_city},
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_a_city_representative_cannot_open_another_citys_form_by_address(client, world):
    client.force_login(world.users["helsinki"])

    response = client.get(add_url(world.per_city), {"city": world.espoo.pk})

    assert response.status_code == 403


def test_a_city_representative_cannot_record_a_national_only_indicator(client, world):
    client.force_login(world.users["helsinki"])
    before = snapshot()

    shown = client.get(add_url(world.national_only))
    posted = client.post(
        add_url(world.national_only), {"period": "2024-Q1", "value": "1"}
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert snapshot() == before


# Changing a recorded value


def test_a_city_representative_changes_their_citys_value(client, world):
    user = world.users["helsinki"]
    client.force_login(user)

    form = client.get(edit_url(world.helsinki_value)).content.decode()
    response = client.post(
        edit_url(world.helsinki_value),
        {
            "value": "131,25",
            "note": "Korjattu",
            "edit_token": edit_token(world.helsinki_value),
        },
    )

    assert 'value="130"' in form
    assert response.status_code == 302
    world.helsinki_value.refresh_from_db()
    assert world.helsinki_value.value == Decimal("131.25")
    assert world.helsinki_value.entered_by == user
    assert world.helsinki_value.history.first().history_user == user


@pytest.mark.parametrize("target", ["espoo_value", "national_value"])
def test_a_city_representative_cannot_change_another_value_by_id(client, world, target):
    observation = getattr(world, target)
    client.force_login(world.users["helsinki"])
    before = snapshot()

    shown = client.get(edit_url(observation))
    posted = client.post(
        edit_url(observation),
        {"value": "1", "note": "", "edit_token": edit_token(observation)},
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert snapshot() == before


def test_the_secretariat_changes_any_value(client, world):
    client.force_login(world.users["chair"])

    response = client.post(
        edit_url(world.espoo_value),
        {"value": "126", "note": "", "edit_token": edit_token(world.espoo_value)},
    )

    assert response.status_code == 302
    world.espoo_value.refresh_from_db()
    assert world.espoo_value.value == Decimal("126")


def test_a_value_changed_meanwhile_is_not_overwritten(client, world):
    token = edit_token(world.helsinki_value)
    client.force_login(world.users["staff"])
    client.post(
        edit_url(world.helsinki_value),
        {"value": "140", "note": "", "edit_token": token},
    )
    client.force_login(world.users["helsinki"])

    response = client.post(
        edit_url(world.helsinki_value),
        {"value": "150", "note": "", "edit_token": token},
    )

    assert response.status_code == 409
    world.helsinki_value.refresh_from_db()
    assert world.helsinki_value.value == Decimal("140")


def test_a_changed_value_keeps_its_old_value_in_the_history(client, world):
    client.force_login(world.users["staff"])
    client.post(
        edit_url(world.national_value),
        {"value": "121", "note": "", "edit_token": edit_token(world.national_value)},
    )

    page = client.get(edit_url(world.national_value)).content.decode()

    history = page.split('id="history-heading"')[1]
    assert "120" in history and "121" in history


# A period's values at once


def test_a_city_representative_enters_their_citys_value_for_a_period(client, world):
    user = world.users["helsinki"]
    client.force_login(user)

    page = client.get(bulk_url(world.per_city)).content.decode()
    response = client.post(
        bulk_url(world.per_city),
        {"city-helsinki-value": "135,5", "city-helsinki-note": ""},
    )

    assert 'name="city-helsinki-value"' in page
    assert 'name="city-espoo-value"' not in page
    assert 'name="national-value"' not in page
    assert response.status_code == 302
    saved = Observation.objects.get(period=Q2_2024, city=world.helsinki)
    assert (saved.value, saved.entered_by) == (Decimal("135.5"), user)


def test_the_secretariat_enters_the_national_value_and_all_six_cities(client, world):
    client.force_login(world.users["staff"])
    data = {"national-value": "1 000"}
    for index, slug in enumerate(
        ["helsinki", "espoo", "tampere", "vantaa", "oulu", "turku"]
    ):
        data[f"city-{slug}-value"] = f"{100 + index},5"

    page = client.get(bulk_url(world.per_city)).content.decode()
    response = client.post(bulk_url(world.per_city), data)

    assert page.count('name="city-') == 12  # a value and a note per city
    assert response.status_code == 302
    saved = dict(
        Observation.objects.filter(period=Q2_2024).values_list("city__slug", "value")
    )
    assert saved == {
        None: Decimal("1000"),
        "helsinki": Decimal("100.5"),
        "espoo": Decimal("101.5"),
        "tampere": Decimal("102.5"),
        "vantaa": Decimal("103.5"),
        "oulu": Decimal("104.5"),
        "turku": Decimal("105.5"),
    }


def test_one_bad_row_saves_nothing_and_is_marked_next_to_the_row(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    before = snapshot()

    response = client.post(
        bulk_url(world.per_city),
        {
            "national-value": "1 000",
            "city-helsinki-value": "101,5",
            "city-espoo-value": "1,234.5",
            "city-tampere-value": "102",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved." in page
    errors = field_errors(page, "city-espoo-value")
    assert "1,234.5 is ambiguous" in errors
    assert field_errors(page, "city-helsinki-value") == ""
    # What was typed stays in the form, to be corrected.
    assert 'value="101,5"' in page
    assert snapshot() == before


def test_a_note_without_a_value_is_refused(client, world):
    client.force_login(world.users["helsinki"])
    client.cookies["django_language"] = "en"

    response = client.post(
        bulk_url(world.per_city), {"city-helsinki-note": "Tieto puuttuu"}
    )

    assert response.status_code == 400
    assert "Enter the value the note belongs to." in field_errors(
        response.content.decode(), "city-helsinki-value"
    )


def test_existing_values_of_the_period_are_shown_and_empty_rows_kept(client, world):
    client.force_login(world.users["chair"])

    page = client.get(bulk_url(world.per_city, "2024-Q1")).content.decode()
    response = client.post(
        bulk_url(world.per_city, "2024-Q1"),
        {"national-value": "120", "city-helsinki-value": "", "city-espoo-value": ""},
    )

    assert 'name="national-value" value="120"' in page
    assert 'name="city-helsinki-value" value="130"' in page
    assert response.status_code == 302
    # Unchanged values are written again as nothing, and empty rows are left alone.
    assert Observation.objects.filter(period=Q1_2024).count() == 3
    assert world.national_value.history.count() == 1


@pytest.mark.parametrize("row", ["city-espoo-value", "national-value"])
def test_a_city_representative_cannot_slip_another_row_into_the_bulk_page(
    client, world, row
):
    client.force_login(world.users["helsinki"])
    before = snapshot()

    response = client.post(
        bulk_url(world.per_city), {"city-helsinki-value": "135", row: "1"}
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_a_bulk_post_without_a_period_saves_nothing(client, world):
    client.force_login(world.users["staff"])
    before = snapshot()

    response = client.post(bulk_url(world.per_city, None), {"national-value": "5"})

    assert response.status_code == 400
    assert snapshot() == before


def test_a_period_of_the_wrong_length_is_refused_on_the_bulk_page(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"

    response = client.get(bulk_url(world.per_city, "2024"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "enter a quarter" in field_errors(page, "period")
    assert 'name="national-value"' not in page


@pytest.mark.parametrize("role", ["observer", "norole"])
def test_those_who_only_read_cannot_open_the_bulk_page(client, world, role):
    client.force_login(world.users[role])

    response = client.get(bulk_url(world.per_city))

    assert response.status_code == 403


def test_a_national_only_indicator_has_only_the_national_row(client, world):
    client.force_login(world.users["staff"])

    page = client.get(bulk_url(world.national_only, "2024-Q1")).content.decode()

    assert 'name="national-value"' in page
    assert 'name="city-' not in page
