"""The reporting rounds' pages: a city's page of the round, the round table, the
forms to open and close a round, and hostile input."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.paging import PAGE_SIZE
from monitoring import services
from monitoring.models import CityReport, Indicator, Observation, ReportingRound
from tests.html import rendered_rows
from tests.monitoring.factories import IndicatorFactory
from tests.monitoring.rounds_factories import Q3_2023, rounds_world
from tests.themes.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(organisations, fixed_today):
    return rounds_world(organisations)


def city_url(rw, city=None):
    return reverse(
        "monitoring:city_round", args=[rw.round.pk, (city or rw.tampere).slug]
    )


def complete_url(rw, city=None):
    return reverse(
        "monitoring:city_report_complete", args=[rw.round.pk, (city or rw.tampere).slug]
    )


def page_values(client, url):
    """Return the values the form shows and the rows' tokens, as a post would send."""
    response = client.get(url)
    assert response.status_code == 200
    return response


def formset_data(rw, rows, city=None):
    """Return a post of the city's page: `rows` maps a row index to (value, note)."""
    from monitoring.selectors import city_round_values

    items = city_round_values(round=rw.round, city=city or rw.tampere)
    data = {
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": str(len(items)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        value, note = rows.get(
            index,
            (
                "" if item.observation is None else str(item.observation.value),
                "" if item.observation is None else item.observation.note,
            ),
        )
        data[f"form-{index}-value"] = value
        data[f"form-{index}-note"] = note
        data[f"form-{index}-edit_token"] = item.token
        data[f"form-{index}-indicator"] = str(item.indicator.pk)
    return data


def test_a_representative_sees_what_is_missing_and_enters_it_in_one_form(client, rw):
    services.observation_record(
        indicator=rw.indicators[0],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("71.5"),
        by=None,
    )
    client.force_login(rw.users["tampere"])
    response = client.get(city_url(rw))
    assert response.status_code == 200
    assert rendered_rows(response, "value") == 3
    assert rendered_rows(response, "missing") == 2
    content = response.content.decode()
    # The existing value is shown in Finnish, editable.
    assert 'value="71,5"' in content

    data = formset_data(rw, {1: ("1 234,5", "Arvio"), 2: ("−3,5", "")})
    response = client.post(city_url(rw), data)
    assert response.status_code == 302
    values = {
        o.indicator_id: o
        for o in Observation.objects.filter(city=rw.tampere, period=Q3_2023)
    }
    assert values[rw.indicators[1].pk].value == Decimal("1234.5")
    assert values[rw.indicators[1].pk].note == "Arvio"
    assert values[rw.indicators[1].pk].entered_by == rw.users["tampere"]
    assert values[rw.indicators[2].pk].value == Decimal("-3.5")
    # The value left as shown was not written again.
    assert values[rw.indicators[0].pk].entered_by is None

    response = client.get(city_url(rw))
    assert rendered_rows(response, "missing") == 0

    # An existing value is changed with its token.
    data = formset_data(rw, {0: ("72", "")})
    assert client.post(city_url(rw), data).status_code == 302
    assert (
        Observation.objects.get(indicator=rw.indicators[0], city=rw.tampere).value == 72
    )


def test_a_changed_value_is_not_overwritten_and_nothing_is_saved(client, rw):
    first = services.observation_record(
        indicator=rw.indicators[0],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("5"),
        by=None,
    )
    client.force_login(rw.users["tampere"])
    data = formset_data(rw, {0: ("8", ""), 1: ("9", "")})
    services.observation_update(
        observation=first, value=Decimal(7), note="", by=rw.users["staff"], token=None
    )
    response = client.post(city_url(rw), data)
    assert response.status_code == 409
    # The message, and the token of the value as it is now, to save again knowingly.
    token = str(first.history.order_by("-history_id").first().history_id)
    content = response.content.decode()
    assert "Joku muu tallensi tämän arvon" in content
    assert f'name="form-0-edit_token" value="{token}"' in content
    assert Observation.objects.get(pk=first.pk).value == 7
    assert not Observation.objects.filter(indicator=rw.indicators[1]).exists()
    # The page now carries the current token: saving again overwrites knowingly.
    data["form-0-edit_token"] = token
    assert client.post(city_url(rw), data).status_code == 302
    assert Observation.objects.get(pk=first.pk).value == 8


def test_a_row_left_as_shown_is_no_conflict_when_someone_changed_it_since(client, rw):
    first = services.observation_record(
        indicator=rw.indicators[0],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("5"),
        by=None,
    )
    client.force_login(rw.users["tampere"])
    # Two people of the city have the page open; the other saves the first row.
    data = formset_data(rw, {1: ("9", "")})
    services.observation_update(
        observation=first, value=Decimal(7), note="", by=rw.users["staff"], token=None
    )
    data_without_missing_row = formset_data(rw, {2: ("4", "")})
    data_without_missing_row["form-2-edit_token"] = "0"
    services.observation_record(
        indicator=rw.indicators[2],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("3"),
        by=rw.users["staff"],
    )

    # Sending the second row, with the first as it was shown (5), saves the second
    # and keeps the other person's 7.
    assert client.post(city_url(rw), data).status_code == 302
    values = {
        o.indicator_id: o.value
        for o in Observation.objects.filter(city=rw.tampere, period=Q3_2023)
    }
    assert values == {
        rw.indicators[0].pk: 7,
        rw.indicators[1].pk: 9,
        rw.indicators[2].pk: 3,
    }
    # A row shown empty, since filled by someone else, is still a conflict when the
    # person typed a value of their own there.
    response = client.post(city_url(rw), data_without_missing_row)
    assert response.status_code == 409
    assert Observation.objects.get(indicator=rw.indicators[2]).value == 3


def test_tampere_cannot_see_enter_or_complete_turkus(client, rw):
    client.force_login(rw.users["tampere"])
    assert client.get(city_url(rw, rw.turku)).status_code == 403
    data = formset_data(rw, {0: ("1", "")}, city=rw.turku)
    assert client.post(city_url(rw, rw.turku), data).status_code == 403
    assert (
        client.post(complete_url(rw, rw.turku), {"confirm_missing": "on"}).status_code
        == 403
    )
    assert not Observation.objects.exists()
    assert not CityReport.objects.exists()
    # The observer reads the round's table but no city's page.
    client.force_login(rw.users["observer"])
    assert client.get(city_url(rw)).status_code == 403
    assert client.get(rw.round.get_absolute_url()).status_code == 200
    client.force_login(rw.users["norole"])
    assert client.get(rw.round.get_absolute_url()).status_code == 403
    client.logout()
    assert client.get(city_url(rw)).status_code == 302


def test_completing_asks_for_a_confirmation_while_values_are_missing(client, rw):
    client.force_login(rw.users["tampere"])
    response = client.post(complete_url(rw), follow=True)
    assert "3 arvoa puuttuu vielä" in response.content.decode()
    assert not CityReport.objects.exists()
    response = client.post(complete_url(rw), {"confirm_missing": "on"})
    assert response.status_code == 302
    report = CityReport.objects.get()
    assert (report.city, report.missing_at_completion) == (rw.tampere, 3)
    response = client.get(city_url(rw))
    assert complete_url(rw) not in response.content.decode()


def test_the_secretariat_opens_and_closes_a_round(client, rw):
    client.force_login(rw.users["staff"])
    response = client.post(
        reverse("monitoring:round_open"),
        {
            "period": "Q4/2023",
            "due_date": "2024-01-15",
            "indicators": [i.pk for i in rw.indicators[:2]],
        },
    )
    round = ReportingRound.objects.get(period=datetime.date(2023, 10, 1))
    assert response.status_code == 302
    assert response["Location"] == round.get_absolute_url()
    assert round.frequency == Indicator.Frequency.QUARTERLY
    assert round.indicators.count() == 2
    response = client.post(reverse("monitoring:round_close", args=[round.pk]))
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == ReportingRound.Status.CLOSED
    # A closed round's page shows the values without a form.
    response = client.get(
        reverse("monitoring:city_round", args=[round.pk, rw.tampere.slug])
    )
    assert response.status_code == 200
    assert "form-TOTAL_FORMS" not in response.content.decode()
    data = formset_data(rw, {0: ("1", "")})
    response = client.post(
        reverse("monitoring:city_round", args=[round.pk, rw.tampere.slug]), data
    )
    assert response.status_code == 403


def test_a_yearly_indicator_cannot_join_a_quarters_round(client, rw):
    client.force_login(rw.users["staff"])
    response = client.post(
        reverse("monitoring:round_open"),
        {"period": "2023-Q4", "due_date": "2024-01-15", "indicators": [rw.yearly.pk]},
    )
    assert response.status_code == 400
    assert "Vuosimittari" in response.content.decode()
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize("role", ["tampere", "observer"])
def test_only_the_secretariat_may_open_or_close(client, rw, role):
    client.force_login(rw.users[role])
    assert client.get(reverse("monitoring:round_open")).status_code == 403
    response = client.post(
        reverse("monitoring:round_open"),
        {
            "period": "2023-Q4",
            "due_date": "2024-01-15",
            "indicators": [rw.indicators[0].pk],
        },
    )
    assert response.status_code == 403
    response = client.post(reverse("monitoring:round_close", args=[rw.round.pk]))
    assert response.status_code == 403
    assert ReportingRound.objects.get().is_open


# Hostile input


@pytest.mark.parametrize(
    "data",
    [
        {"period": "2023-Q9", "due_date": "2024-01-15", "indicators": ["1"]},
        {"period": "x" * 5000, "due_date": "2024-01-15"},
        {"period": "2023-Q4", "due_date": "15.1.20245"},
        {"period": "2023-Q4", "due_date": "2024-01-15", "indicators": ["abc"]},
        {
            "period": "2023-Q4",
            "due_date": "2024-01-15",
            "indicators": ["99999999999999999999"],
        },
        {"period": "\x00", "due_date": "\x00"},
        {},
    ],
)
def test_hostile_round_open_is_refused_with_400(client, rw, data):
    client.force_login(rw.users["staff"])
    assert client.post(reverse("monitoring:round_open"), data).status_code == 400
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"form-0-value": "1,234.5"},
        {"form-0-value": "abc"},
        {"form-0-value": "9" * 40},
        {"form-0-value": "\x00"},
        {"form-0-edit_token": "abc"},
        {"form-0-edit_token": "9" * 40},
        {"form-TOTAL_FORMS": "x"},
        {"form-TOTAL_FORMS": "100000"},
        {"form-0-note": "x" * 2000},
        {"form-1-value": "", "form-1-note": "Ilman arvoa"},
    ],
)
def test_hostile_city_page_posts_are_refused_with_4xx(client, rw, changes):
    client.force_login(rw.users["tampere"])
    data = {**formset_data(rw, {}), **changes}
    if "form-TOTAL_FORMS" not in changes:
        data["form-0-value"] = data.get("form-0-value") or "1"
    response = client.post(city_url(rw), data)
    assert 400 <= response.status_code < 500
    assert not Observation.objects.exists()


def test_a_missing_management_form_is_refused(client, rw):
    client.force_login(rw.users["tampere"])
    response = client.post(city_url(rw), {"form-0-value": "1"})
    assert response.status_code == 400
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/monitoring/rounds/999999/",
        "/monitoring/rounds/99999999999999999999999/",
        "/monitoring/rounds/{round}/cities/nowhere/",
        "/monitoring/rounds/{round}/cities/tem/",
    ],
)
def test_unknown_rounds_and_cities_are_404(client, rw, path):
    client.force_login(rw.users["staff"])
    prefix = reverse("monitoring:round_list").removesuffix("rounds/")
    url = path.replace("/monitoring/", prefix).format(round=rw.round.pk)
    assert client.get(url).status_code == 404


def test_get_on_post_only_addresses_is_405(client, rw):
    client.force_login(rw.users["staff"])
    assert (
        client.get(reverse("monitoring:round_close", args=[rw.round.pk])).status_code
        == 405
    )
    assert client.get(complete_url(rw)).status_code == 405


def test_a_long_round_is_shown_a_page_at_a_time_with_its_filters_kept(
    client, organisations, fixed_today
):
    rw = rounds_world(organisations, indicator_count=PAGE_SIZE + 5)
    other_theme = ThemeFactory(title="Asuminen")
    housing = IndicatorFactory(
        theme=other_theme, name="Asuntomittari", reported_per_city=True
    )
    rw.round.indicators.add(housing)
    services.observation_record(
        indicator=rw.indicators[0],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("5"),
        by=None,
    )
    client.force_login(rw.users["tampere"])
    total = PAGE_SIZE + 6

    first = client.get(city_url(rw))
    assert rendered_rows(first, "value") == PAGE_SIZE
    content = first.content.decode()
    assert f"{total - 1}/{total} arvosta puuttuu" in content
    assert "page=2" in content
    second = client.get(city_url(rw) + "?page=2")
    assert rendered_rows(second, "value") == 6

    missing = client.get(city_url(rw) + "?missing=on")
    assert rendered_rows(missing, "value") == PAGE_SIZE
    assert rendered_rows(missing, "missing") == PAGE_SIZE
    assert "missing=on&amp;page=2" in missing.content.decode()
    assert rendered_rows(client.get(city_url(rw) + "?missing=on&page=2"), "value") == 5

    by_theme = client.get(city_url(rw) + f"?theme={other_theme.pk}")
    assert rendered_rows(by_theme, "value") == 1
    assert "Asuntomittari" in by_theme.content.decode()
    # A filter that is not one shows every row rather than failing.
    assert rendered_rows(client.get(city_url(rw) + "?theme=x"), "value") == PAGE_SIZE


def _page_post(response) -> dict:
    """The values form of a page as a browser sends it unchanged."""
    rows = response.context["rows"]
    return {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
    } | {
        f"form-{index}-{name}": value
        for index, (item, _form) in enumerate(rows)
        for name, value in {
            "value": "" if item.observation is None else str(item.observation.value),
            "note": "" if item.observation is None else item.observation.note,
            "edit_token": item.token,
            "indicator": str(item.indicator.pk),
        }.items()
    }


def test_a_value_goes_to_the_row_it_was_typed_in_when_the_rows_moved(client, rw):
    client.force_login(rw.users["tampere"])
    url = city_url(rw) + "?missing=on"
    data = _page_post(client.get(url))
    # Someone enters the first missing value: the page's rows move up by one.
    services.observation_record(
        indicator=rw.indicators[0],
        period=Q3_2023,
        city=rw.tampere,
        value=Decimal("5"),
        by=None,
    )
    data["form-1-value"] = "12"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    saved = Observation.objects.get(indicator=rw.indicators[1], city=rw.tampere)
    assert saved.value == 12
    assert not Observation.objects.filter(indicator=rw.indicators[2]).exists()


def test_bad_input_keeps_the_page_its_filters_and_what_was_typed(client, rw):
    client.force_login(rw.users["tampere"])
    url = city_url(rw) + "?missing=on"
    data = _page_post(client.get(url))
    data["form-0-value"] = "12"
    data["form-1-value"] = "abc"
    response = client.post(url, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="12"' in content and 'value="abc"' in content
    assert re.search(r'name="missing"[^>]* checked', content)
    assert not Observation.objects.exists()


def test_a_post_naming_an_indicator_outside_the_round_is_refused(client, rw):
    client.force_login(rw.users["tampere"])
    data = formset_data(rw, {0: ("1", "")})
    data["form-0-indicator"] = str(rw.national_only.pk)
    assert client.post(city_url(rw), data).status_code == 400
    data["form-0-indicator"] = data["form-1-indicator"]
    assert client.post(city_url(rw), data).status_code == 400
    assert not Observation.objects.exists()
