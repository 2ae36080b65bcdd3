"""The schedule: themes over a window of months around today, a theme's measures
on request, bars as spans of months and milestones in their month."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.html import RowCounter, rendered_rows
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SCHEDULE = reverse("secretariat:schedule")


def _fragment(theme, **params):
    return reverse("secretariat:schedule_theme", args=[theme.pk]), params


def _row(page: str, name: str) -> str:
    """The table row whose header names `name`."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S):
        if name in row:
            return row
    raise AssertionError(f"no row for {name}")


def rendered_rows_of(page: str, kind: str) -> int:
    counter = RowCounter(kind)
    counter.feed(page)
    return counter.count


def _cells(row: str) -> list[tuple[int, str]]:
    """Each cell of the row as (the months it spans, its classes)."""
    return [
        (int(span or 1), classes)
        for span, classes in re.findall(
            r'<td(?: colspan="(\d+)")?(?: class="([^"]*)")?>', row
        )
    ]


@pytest.fixture
def chair(client, world):
    client.force_login(world.users["chair"])
    return client


def test_the_themes_are_shown_with_their_measures_collapsed(chair, world):
    late = MeasureFactory(
        theme=world.theme,
        title="Myöhässä",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 8, 31),
    )

    page = chair.get(SCHEDULE).content.decode()

    assert rendered_rows_of(page, "theme") == 1
    assert rendered_rows_of(page, "measure") == 0
    assert reverse("themes:measure_detail", args=[late.pk]) not in page
    row = _row(page, world.theme.title)
    assert "1 toimenpide myöhässä" in row
    assert "Näytä sen 2 toimenpidettä" in row
    assert f"?start=2022-09&amp;theme={world.theme.pk}#theme-{world.theme.pk}" in row
    assert (
        f'hx-get="{reverse("secretariat:schedule_theme", args=[world.theme.pk])}'
        '?start=2022-09"'
    ) in row


def test_an_open_theme_shows_its_measures_their_dates_and_milestones(chair, world):
    late = MeasureFactory(
        theme=world.theme,
        title="Myöhässä",
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 8, 31),
    )

    page = chair.get(SCHEDULE, {"theme": world.theme.pk}).content.decode()

    assert rendered_rows_of(page, "measure") == 2
    late_row = _row(page, reverse("themes:measure_detail", args=[late.pk]))
    assert "is-late" in late_row
    assert "1.3.2023–31.8.2023" in late_row
    measure_row = _row(page, world.measure.title)
    assert "30.11.2023 " + world.milestone.title in measure_row
    assert "Piilota toimenpiteet" in page


def test_the_window_is_a_year_back_and_two_ahead_with_today_and_the_deadline(
    chair, world
):
    page = chair.get(SCHEDULE).content.decode()

    months = re.findall(r'<th scope="col" class="timeline__month[^"]*">([^<]+)', page)
    assert months[0] == "9/2022"
    assert months[-1] == "8/2025"
    assert len(months) == 36
    assert re.search(
        r'class="timeline__month timeline__deadline timeline__today">9/2023', page
    )
    assert "Näytetään kuukaudet 9/2022–8/2025." in page
    assert "?start=2021-09" in page
    assert "?start=2023-09" in page


def test_the_window_moves_and_shows_only_its_milestones(chair, world):
    MilestoneFactory(
        theme=world.theme, title="Myöhempi", due_date=datetime.date(2026, 2, 1)
    )
    MilestoneFactory(
        theme=world.theme, title="Aiempi", due_date=datetime.date(2023, 12, 31)
    )

    page = chair.get(SCHEDULE, {"start": "2024-01"}).content.decode()

    months = re.findall(r'<th scope="col" class="timeline__month[^"]*">([^<]+)', page)
    assert (months[0], months[-1]) == ("1/2024", "12/2026")
    assert "1.2.2026 Myöhempi" in page
    assert "Aiempi" not in page
    assert "timeline__today" not in page


def test_a_bar_spans_its_months_in_one_cell(chair, world):
    measure = MeasureFactory(
        theme=world.theme,
        title="Puolen vuoden toimenpide",
        start_date=datetime.date(2023, 10, 15),
        end_date=datetime.date(2024, 6, 1),
    )

    page = chair.get(SCHEDULE, {"theme": world.theme.pk}).content.decode()

    row = _row(page, reverse("themes:measure_detail", args=[measure.pk]))
    # 9/2022–8/2023, this month (the deadline's too), the bar 10/2023–6/2024,
    # 7/2024–8/2025.
    assert _cells(row) == [
        (12, ""),
        (1, "timeline__deadline timeline__today"),
        (9, "timeline__bar"),
        (14, ""),
    ]


def test_milestones_of_a_month_share_its_cell(chair, world):
    MilestoneFactory(
        theme=None,
        measure=world.measure,
        title="Toinen marraskuussa",
        due_date=datetime.date(2023, 11, 2),
    )

    page = chair.get(SCHEDULE, {"theme": world.theme.pk}).content.decode()

    row = _row(page, world.measure.title)
    cell = re.search(r"<td[^>]*>(<a class=\"milestone-mark.*?)</td>", row)[1]
    assert "2.11.2023 Toinen marraskuussa" in cell
    assert "30.11.2023 " + world.milestone.title in cell
    assert cell.index("2.11.2023") < cell.index("30.11.2023")


@pytest.mark.parametrize(
    "params",
    [
        {"start": "x"},
        {"start": "2023-13"},
        {"start": "2023-00"},
        {"start": "1999-12"},
        {"start": "2100-01"},
        {"start": "0000-01"},
        {"start": "99999-01"},
        {"start": "2023-1"},
        {"start": "2023-09-01"},
        {"start": "２０２３-０１"},
        {"start": "2023-01\x00"},
        {"start": "2023-01' OR 1=1"},
        {"theme": "x"},
        {"theme": "0"},
        {"theme": "-1"},
        {"theme": "99999999999999999999"},
    ],
)
def test_a_window_that_does_not_parse_is_refused(chair, world, params):
    assert chair.get(SCHEDULE, params).status_code == 400
    url, _ = _fragment(world.theme)
    assert chair.get(url, params).status_code == 400


def test_a_month_that_does_not_parse_is_shown_at_its_field_around_today(chair, world):
    response = chair.get(SCHEDULE, {"start": "2023-13"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Anna kuukausi väliltä 2000-01–2099-12, esimerkiksi 2024-01." in page
    assert 'aria-invalid="true"' in page
    assert "Näytetään kuukaudet 9/2022–8/2025." in page
    assert rendered_rows_of(page, "theme") == 1


def test_an_unknown_theme_opens_nothing(chair, world):
    response = chair.get(SCHEDULE, {"theme": 2**31 - 1})

    assert response.status_code == 200
    assert rendered_rows_of(response.content.decode(), "measure") == 0
    url = reverse("secretariat:schedule_theme", args=[2**31 - 1])
    assert chair.get(url).status_code == 404


@pytest.mark.parametrize("measures", ["", "all", "shown "])
def test_the_fragment_refuses_an_unknown_measures_value(chair, world, measures):
    url, _ = _fragment(world.theme)
    assert chair.get(url, {"measures": measures}).status_code == 400


def test_the_fragment_shows_or_hides_the_theme_measures(chair, world):
    url, _ = _fragment(world.theme)

    shown = chair.get(url, {"start": "2023-01"}, headers={"HX-Request": "true"})
    hidden = chair.get(
        url, {"start": "2023-01", "measures": "hidden"}, headers={"HX-Request": "true"}
    )

    assert shown.status_code == hidden.status_code == 200
    shown_page, hidden_page = shown.content.decode(), hidden.content.decode()
    assert shown_page.lstrip().startswith(f'<tbody id="theme-{world.theme.pk}">')
    assert "<html" not in shown_page
    assert rendered_rows_of(shown_page, "theme") == 1
    assert rendered_rows_of(shown_page, "measure") == 1
    assert "30.11.2023 " + world.milestone.title in shown_page
    # The toggle keeps its id, so that htmx gives it back the focus after the swap.
    toggle = f'id="theme-{world.theme.pk}-toggle"'
    assert toggle in shown_page
    assert 'aria-expanded="true"' in shown_page
    assert rendered_rows_of(hidden_page, "measure") == 0
    assert toggle in hidden_page
    assert 'aria-expanded="false"' in hidden_page
    assert "?start=2023-01" in hidden_page


def _grow_theme(world, count):
    for _ in range(count):
        measure = MeasureFactory(theme=world.theme)
        MilestoneFactory.create_batch(
            3, theme=None, measure=measure, due_date=datetime.date(2024, 1, 1)
        )


def _grow_themes(world, count):
    for _ in range(count):
        theme = ThemeFactory(lead_organisation=world.theme.lead_organisation)
        MeasureFactory.create_batch(2, theme=theme)
        MilestoneFactory.create_batch(
            2, theme=theme, due_date=datetime.date(2024, 1, 1)
        )


@pytest.mark.parametrize(
    ("params", "kind", "grow"),
    [
        ({}, "theme", _grow_themes),
        ({"theme": "world"}, "measure", _grow_theme),
        ({"fragment": "world"}, "measure", _grow_theme),
    ],
    ids=["themes", "open theme", "fragment"],
)
def test_the_schedule_queries_do_not_grow_with_rows(
    chair, world, params, kind, grow, django_assert_num_queries
):
    url = SCHEDULE
    if params.pop("fragment", None):
        url, params = _fragment(world.theme)
    elif params:
        params = {"theme": world.theme.pk}
    grow(world, 5)
    with CaptureQueriesContext(connection) as few:
        response = chair.get(url, params)
    rows_with_few = rendered_rows(response, kind)
    assert rows_with_few >= 5

    grow(world, 40)

    with django_assert_num_queries(len(few)):
        response = chair.get(url, params)
    assert response.status_code == 200
    assert rendered_rows(response, kind) == rows_with_few + 40
    assert len(few) <= 20
