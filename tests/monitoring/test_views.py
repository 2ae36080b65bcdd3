"""The indicator pages: list, detail, create and edit, reorder, thresholds."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.history import edit_token
from alliance.paging import PAGE_SIZE
from members.models import Organisation
from monitoring.models import Indicator, Observation, StatusThresholds
from tests.html import rendered_rows
from tests.monitoring.factories import (
    Q1_2024,
    Q2_2024,
    IndicatorFactory,
    ObservationFactory,
)
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def indicator_data(**changes) -> dict:
    """Return the POST data of the indicator form, with `changes`."""
    data = {
        "name": "Työllisyysaste",
        "definition": "Työllisten osuus.",
        "unit": "%",
        "value_type": "percentage",
        "direction": "higher",
        "baseline_value": "74",
        "baseline_date": "2023-12-31",
        "target_value": "78",
        "target_date": "2027-12-31",
        "data_source": "Tilastokeskus",
        "frequency": "quarterly",
        "responsible_organisation": "",
        "reported_per_city": "on",
        "edit_token": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(page: str, field: str) -> str:
    """Return the text of the errors shown next to `field` (empty when none)."""
    match = re.search(
        rf'<div class="field__errors" id="id_{field}_error" role="alert">(.*?)</div>',
        page,
        re.S,
    )
    return match.group(1) if match else ""


# The list


def test_the_list_shows_each_indicator_with_its_latest_value_and_status(client, world):
    client.force_login(world.users["observer"])

    client.cookies["django_language"] = "en"
    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert world.per_city.get_absolute_url() in page
    assert "Avoimet työpaikat" in page
    assert "2024-Q1" in page
    # 120 of the way from 100 to 200 by the end of March 2024: 20 % of the way
    # with 12 % of the time gone.
    assert '<span class="badge status--on_track">On track</span>' in page
    assert '<span class="badge status--no_data">No data</span>' in page
    # The observer reads; the secretariat's links are not offered.
    assert reverse("monitoring:thresholds_edit") not in page


def test_the_list_filters_by_theme_and_by_status(client, world):
    other = IndicatorFactory(name="Tutkimusmenot")
    client.force_login(world.users["observer"])
    url = reverse("monitoring:indicator_list")

    by_theme = client.get(url, {"theme": world.theme.pk}).content.decode()
    by_status = client.get(url, {"status": "no_data"}).content.decode()

    assert "Työllisyysaste" in by_theme
    assert other.name not in by_theme
    assert "Avoimet työpaikat" in by_status
    assert other.name in by_status
    assert "Työllisyysaste" not in by_status


def test_the_list_includes_the_indicators_of_a_themes_measures(client, world):
    of_measure = IndicatorFactory(
        theme=None, measure=world.measure, name="Nuoret työnhakijat"
    )
    client.force_login(world.users["staff"])

    page = client.get(
        reverse("monitoring:indicator_list"), {"theme": world.theme.pk}
    ).content.decode()

    assert of_measure.name in page
    assert "Nuorten työllistyminen" in page
    assert reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk]) in page
    assert reverse("monitoring:thresholds_edit") in page


def test_the_list_shows_the_status_in_finnish(client, world):
    client.force_login(world.users["observer"])

    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert '<span class="badge status--on_track">Aikataulussa</span>' in page


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_runs_a_fixed_number_of_queries(
    count, client, world, django_assert_max_num_queries
):
    themes = [ThemeFactory(lead_organisation=world.organisations["tem"]) for _ in "ab"]
    measure = MeasureFactory(theme=themes[0])
    for index in range(count):
        indicator = (
            IndicatorFactory(theme=None, measure=measure)
            if index % 3 == 0
            else IndicatorFactory(theme=themes[index % 2])
        )
        ObservationFactory(indicator=indicator, period=Q1_2024)
    client.force_login(world.users["observer"])

    # The page's rows are counted and read, then only their values.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("monitoring:indicator_list"))

    assert response.status_code == 200
    # The list is shown a page at a time.
    assert rendered_rows(response, "indicator") == min(count + 2, PAGE_SIZE)


# The detail page


def test_the_detail_page_shows_values_by_period_and_city(client, world):
    ObservationFactory(indicator=world.per_city, period=Q2_2024, value=Decimal("140"))
    client.force_login(world.users["observer"])

    client.cookies["django_language"] = "en"
    page = client.get(world.per_city.get_absolute_url()).content.decode()

    assert "Työllisyysaste" in page
    for city in ("Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu", "Turku"):
        assert f'<th scope="col">{city}</th>' in page
    assert page.index("2024-Q2") < page.index("2024-Q1")  # the newest first
    assert "<script" not in page.split("<main", 1)[1]
    # The charts are images from the chart view (tests/monitoring/test_charts.py).
    assert "<svg" not in page
    series = reverse("monitoring:indicator_chart", args=[world.per_city.pk, "series"])
    cities = reverse("monitoring:indicator_chart", args=[world.per_city.pk, "cities"])
    assert f'<img src="{series}?v=' in page and f'<img src="{cities}?v=' in page
    # The observer is offered no change.
    assert reverse(
        "monitoring:observation_edit", args=[world.helsinki_value.pk]
    ) not in (page)
    assert reverse("monitoring:indicator_edit", args=[world.per_city.pk]) not in page


def test_the_detail_page_shows_progress_nationally_and_per_city(client, world):
    client.force_login(world.users["observer"])

    client.cookies["django_language"] = "en"
    page = client.get(world.per_city.get_absolute_url()).content.decode()

    progress = page.split('id="progress-heading"')[1].split("</table>")[0]
    assert '<th scope="row">National</th>' in progress
    helsinki = reverse("monitoring:city_overview", args=["helsinki"])
    assert f'<th scope="row"><a href="{helsinki}">Helsinki</a></th>' in progress
    # Helsinki 130: 30 % of the way; Tampere has no value.
    assert "30\u00a0%" in progress
    assert progress.count("status--no_data") == 4


def test_a_city_representative_is_offered_only_their_own_cells(client, world):
    client.force_login(world.users["helsinki"])

    page = client.get(world.per_city.get_absolute_url()).content.decode()

    assert (
        reverse("monitoring:observation_edit", args=[world.helsinki_value.pk]) in page
    )
    assert reverse("monitoring:observation_edit", args=[world.espoo_value.pk]) not in (
        page
    )
    assert reverse(
        "monitoring:observation_edit", args=[world.national_value.pk]
    ) not in (page)
    assert reverse("monitoring:observation_bulk", args=[world.per_city.pk]) in page


def test_the_detail_page_shows_the_history(client, world):
    client.force_login(world.users["staff"])
    data = indicator_data(
        name="Työllisyysaste 20–64",
        responsible_organisation=world.organisations["tem"].pk,
        edit_token=edit_token(world.per_city),
    )
    client.post(reverse("monitoring:indicator_edit", args=[world.per_city.pk]), data)

    page = client.get(world.per_city.get_absolute_url()).content.decode()

    history = page.split('id="history-heading"')[1]
    assert "Työllisyysaste 20–64" in history
    assert world.users["staff"].get_full_name() in history


@pytest.mark.parametrize("periods", [4, 40])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    periods, client, world, django_assert_max_num_queries
):
    cities = [None, *Organisation.objects.filter(kind=Organisation.Kind.CITY)]
    Observation.objects.bulk_create(
        Observation(
            indicator=world.per_city,
            period=datetime.date(2025 + index // 4, index % 4 * 3 + 1, 1),
            city=city,
            value=Decimal(100 + index),
        )
        for index in range(periods)
        for city in cities
    )
    client.force_login(world.users["helsinki"])

    with django_assert_max_num_queries(11):
        response = client.get(world.per_city.get_absolute_url())

    assert response.status_code == 200
    # The periods added here, and the world's first quarter of 2024.
    assert rendered_rows(response, "period") == periods + 1


# Creating and editing indicators


def test_the_secretariat_adds_an_indicator_to_a_theme_in_finnish_notation(
    client, world
):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk])

    form = client.get(url)
    response = client.post(
        url,
        indicator_data(
            name="Vieraskielisten työllisyysaste",
            baseline_value="1 234,5",
            target_value="−3,5",
            responsible_organisation=world.organisations["tem"].pk,
        ),
    )

    assert form.status_code == 200
    # The theme's lead organisation is offered as the responsible one.
    assert re.search(
        rf'<option value="{world.organisations["tem"].pk}" selected>',
        form.content.decode(),
    )
    indicator = Indicator.objects.get(name="Vieraskielisten työllisyysaste")
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.theme == world.theme
    assert indicator.measure is None
    assert indicator.baseline_value == Decimal("1234.5")
    assert indicator.target_value == Decimal("-3.5")
    # Added last among the theme's indicators.
    assert indicator.order > world.national_only.order
    assert indicator.history.get().history_user == world.users["staff"]


def test_the_chair_adds_an_indicator_to_a_measure(client, world):
    client.force_login(world.users["chair"])
    url = reverse("monitoring:indicator_add_for_measure", args=[world.measure.pk])

    response = client.post(
        url,
        indicator_data(
            name="Nuoret työnhakijat",
            responsible_organisation=world.organisations["tem"].pk,
        ),
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Nuoret työnhakijat")
    assert (indicator.theme, indicator.measure) == (None, world.measure)
    assert indicator.order == 0


def test_an_ambiguous_number_is_refused_next_to_its_field(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk])

    client.cookies["django_language"] = "en"
    response = client.post(
        url,
        indicator_data(
            baseline_value="1,234.5",
            responsible_organisation=world.organisations["tem"].pk,
        ),
    )

    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "baseline_value")
    assert "1,234.5 is ambiguous" in errors
    assert not Indicator.objects.filter(definition="Työllisten osuus.").exists()


def test_a_target_date_not_after_the_baseline_date_is_refused_next_to_it(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk])

    client.cookies["django_language"] = "en"
    response = client.post(
        url,
        indicator_data(
            target_date="2023-12-31",
            responsible_organisation=world.organisations["tem"].pk,
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The target date must come after the baseline date." in field_errors(
        page, "target_date"
    )
    assert 'class="form-errors"' not in page
    assert Indicator.objects.count() == 2


def test_the_edit_form_shows_stored_numbers_in_finnish_notation(client, world):
    world.per_city.baseline_value = Decimal("1234.5")
    world.per_city.save()
    client.force_login(world.users["staff"])

    page = client.get(
        reverse("monitoring:indicator_edit", args=[world.per_city.pk])
    ).content.decode()

    assert 'value="1 234,5"' in page
    # Values have been recorded: the frequency is kept.
    assert re.search(r'<select name="frequency"[^>]*disabled', page)


def test_an_indicator_with_city_values_stays_reported_per_city(client, world):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    data = indicator_data(
        responsible_organisation=world.organisations["tem"].pk,
        edit_token=edit_token(world.per_city),
        reported_per_city=None,
    )

    response = client.post(
        reverse("monitoring:indicator_edit", args=[world.per_city.pk]), data
    )

    assert response.status_code == 400
    assert "stays reported per city" in field_errors(
        response.content.decode(), "reported_per_city"
    )
    world.per_city.refresh_from_db()
    assert world.per_city.reported_per_city


def test_the_second_of_two_edits_from_the_same_version_is_refused(client, world):
    url = reverse("monitoring:indicator_edit", args=[world.per_city.pk])
    token = edit_token(world.per_city)
    first, second = world.users["staff"], world.users["chair"]
    organisation = world.organisations["tem"].pk

    client.force_login(first)
    kept = client.post(
        url,
        indicator_data(
            name="Työllisyysaste, 20–64-vuotiaat",
            responsible_organisation=organisation,
            edit_token=token,
        ),
    )
    client.force_login(second)
    client.cookies["django_language"] = "en"
    refused = client.post(
        url,
        indicator_data(
            name="Työllisyysaste (toinen)",
            responsible_organisation=organisation,
            edit_token=token,
        ),
    )

    assert kept.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else saved this after you opened it." in page
    assert "Työllisyysaste, 20–64-vuotiaat" in page  # what the other person changed
    world.per_city.refresh_from_db()
    assert world.per_city.name == "Työllisyysaste, 20–64-vuotiaat"
    assert world.per_city.history.count() == 2


def test_a_next_address_off_the_site_is_not_followed(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_edit", args=[world.per_city.pk])

    response = client.post(
        url,
        {
            **indicator_data(
                responsible_organisation=world.organisations["tem"].pk,
                edit_token=edit_token(world.per_city),
            ),
            "next": "https://example.com/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == world.per_city.get_absolute_url()


# Reordering


def test_the_secretariat_moves_an_indicator_up_with_htmx(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:indicator_move", args=[world.national_only.pk, "up"])

    response = client.post(url, {"next": "/themes/1/"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="indicators-theme-{world.theme.pk}"' in page
    assert page.index("Avoimet työpaikat") < page.index("Työllisyysaste")
    assert list(world.theme.indicators.values_list("name", flat=True)) == [
        "Avoimet työpaikat",
        "Työllisyysaste",
    ]
    assert 'name="next" value="/themes/1/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_moving_without_javascript_returns_to_the_page(client, world):
    client.force_login(world.users["chair"])
    url = reverse("monitoring:indicator_move", args=[world.per_city.pk, "down"])

    response = client.post(url, {"next": "/themes/1/"})

    assert response.status_code == 302
    assert response["Location"] == "/themes/1/"
    assert world.theme.indicators.first() == world.national_only


def test_an_unknown_direction_is_not_found(client, world):
    client.force_login(world.users["chair"])
    url = reverse("monitoring:indicator_move", args=[world.per_city.pk, "sideways"])

    assert client.post(url).status_code == 404


# Thresholds


def test_the_first_save_of_the_thresholds_creates_the_row(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:thresholds_edit")

    client.cookies["django_language"] = "en"
    form = client.get(url).content.decode()
    response = client.post(
        url, {"on_track": "0,8", "at_risk": "0,5", "edit_token": "0"}
    )

    assert "The thresholds below are the defaults" in form
    assert 'value="0.7"' in form  # the defaults from settings, in English notation
    assert response.status_code == 302
    row = StatusThresholds.objects.get()
    assert (row.on_track, row.at_risk) == (Decimal("0.8"), Decimal("0.5"))
    assert row.history.get().history_user == world.users["staff"]


def test_changing_the_thresholds_changes_the_status(client, world):
    StatusThresholds.objects.create(on_track=Decimal("0.7"), at_risk=Decimal("0.4"))
    ObservationFactory(indicator=world.national_only, value=Decimal("101"))
    client.force_login(world.users["chair"])
    url = reverse("monitoring:thresholds_edit")
    token = edit_token(StatusThresholds.objects.get())

    response = client.post(
        url, {"on_track": "0,05", "at_risk": "0,01", "edit_token": token}
    )
    page = client.get(reverse("monitoring:indicator_list")).content.decode()

    assert response.status_code == 302
    assert StatusThresholds.objects.count() == 1
    assert "status--at_risk" not in page
    assert "status--off_track" not in page


@pytest.mark.parametrize(
    ("on_track", "at_risk", "field", "message"),
    [
        ("0,5", "0,6", "at_risk", "cannot be above the on-track threshold"),
        ("1,2", "0,4", "on_track", "less than or equal to 1"),
        ("0,7", "-0,1", "at_risk", "greater than or equal to 0"),
        ("0,7", "0,4,1", "at_risk", "Enter a number"),
    ],
)
def test_bad_thresholds_are_refused_next_to_the_field(
    client, world, on_track, at_risk, field, message
):
    client.force_login(world.users["staff"])

    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("monitoring:thresholds_edit"),
        {"on_track": on_track, "at_risk": at_risk, "edit_token": "0"},
    )

    assert response.status_code == 400
    assert message in field_errors(response.content.decode(), field)
    assert not StatusThresholds.objects.exists()


def test_thresholds_created_meanwhile_are_not_duplicated(client, world):
    client.force_login(world.users["staff"])
    url = reverse("monitoring:thresholds_edit")
    client.get(url)
    StatusThresholds.objects.create(on_track=Decimal("0.6"), at_risk=Decimal("0.3"))

    response = client.post(
        url, {"on_track": "0,8", "at_risk": "0,5", "edit_token": "0"}
    )

    assert response.status_code == 409
    row = StatusThresholds.objects.get()
    assert row.on_track == Decimal("0.6")
