"""The themes workbook: stable columns, contents, visibility, queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Organisation
from tests.factories import cast_create
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes import exports

pytestmark = pytest.mark.django_db

URL = "/themes/export.xlsx"

THEME_COLUMNS = [
    "theme_id", "title", "status", "lead_organisation", "order", "measure_count",
    "description", "goals",
]  # fmt: skip
MEASURE_COLUMNS = [
    "measure_id", "theme_id", "theme", "title", "status", "lead_organisation",
    "participating_organisations", "start_date", "end_date", "progress_percent",
    "description",
]  # fmt: skip
MILESTONE_COLUMNS = [
    "milestone_id", "title", "kind", "due_date", "done_on", "theme_id", "theme",
    "measure_id", "measure",
]  # fmt: skip


@pytest.fixture
def model(organisations):
    users = cast_create("nyholm", "norole", "observer")
    theme = ThemeFactory(title="Työllisyys", lead_organisation=organisations["tem"])
    measure = MeasureFactory(theme=theme, title="Nuorten työllistyminen")
    measure.participating_organisations.set(
        [organisations["helsinki"], organisations["espoo"]]
    )
    MilestoneFactory(
        theme=None,
        measure=measure,
        title="=Käynnistys",
        due_date=datetime.date(2024, 2, 1),
    )
    MilestoneFactory(theme=theme, title="Raportti", due_date=datetime.date(2024, 6, 1))
    return users, theme, measure


def sheets_of(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return {
        name: list(workbook[name].iter_rows(values_only=True))
        for name in workbook.sheetnames
    }


def test_the_columns_are_the_published_ones():
    assert list(exports.THEME_COLUMNS) == THEME_COLUMNS
    assert list(exports.MEASURE_COLUMNS) == MEASURE_COLUMNS
    assert list(exports.MILESTONE_COLUMNS) == MILESTONE_COLUMNS


def test_the_theme_list_links_to_the_workbook(client, model):
    users, _, _ = model
    client.force_login(users["observer"])
    assert URL in client.get(reverse("themes:theme_list")).content.decode()
    assert reverse("themes:theme_export") == URL


def test_the_workbook_holds_themes_measures_and_milestones(client, model):
    users, theme, _ = model
    client.force_login(users["nyholm"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheets = sheets_of(response)
    assert list(sheets) == ["themes", "measures", "milestones"]
    assert list(sheets["themes"][0]) == THEME_COLUMNS
    assert sheets["themes"][1][:6] == (
        theme.pk,
        "Työllisyys",
        "active",
        "tem",
        theme.order,
        1,
    )
    assert list(sheets["measures"][0]) == MEASURE_COLUMNS
    row = dict(zip(MEASURE_COLUMNS, sheets["measures"][1], strict=True))
    assert row["title"] == "Nuorten työllistyminen"
    assert row["participating_organisations"] == "espoo, helsinki"
    assert row["start_date"] == datetime.datetime(2023, 10, 1)
    assert list(sheets["milestones"][0]) == MILESTONE_COLUMNS
    assert [(r[1], r[6], r[8]) for r in sheets["milestones"][1:]] == [
        ("=Käynnistys", "Työllisyys", "Nuorten työllistyminen"),
        ("Raportti", "Työllisyys", None),
    ]


def test_without_a_role_there_is_no_workbook(client, model):
    users, _, _ = model
    client.force_login(users["norole"])
    assert client.get(URL).status_code == 403
    assert exports.theme_sheets(user=users["norole"])[0].rows == []


def test_queries_do_not_grow_with_the_rows(client, model):
    users, _, _ = model
    client.force_login(users["observer"])
    lead = Organisation.objects.get(slug="tem")
    counts = []
    for extra in (1, 12):
        for _ in range(extra):
            theme = ThemeFactory(lead_organisation=lead)
            measure = MeasureFactory(theme=theme)
            measure.participating_organisations.set(
                Organisation.objects.filter(kind="city")[:2]
            )
            MilestoneFactory(theme=None, measure=measure)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10
