"""The indicator exports: stable columns, the list's contents, visibility, queries."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from monitoring import exports, selectors
from monitoring.models import Observation
from tests.monitoring.factories import (
    Q1_2024,
    Q2_2024,
    IndicatorFactory,
    ObservationFactory,
)

pytestmark = pytest.mark.django_db


def url(table="indicators", fmt="csv", query=""):
    address = reverse("monitoring:indicator_export", args=[table, fmt])
    return f"{address}?{query}" if query else address


def csv_rows(response, delimiter=";"):
    text = response.content.decode("utf-8-sig" if delimiter == ";" else "utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# The published columns: a change here is a change of the format (docs/data.md).
INDICATOR_COLUMNS = [
    "indicator_id", "name", "theme_id", "theme", "measure_id", "measure", "unit",
    "value_type", "direction", "frequency", "reported_per_city", "baseline_value",
    "baseline_date", "target_value", "target_date", "responsible_organisation",
    "data_source", "latest_period", "latest_value", "status", "definition",
]  # fmt: skip
VALUE_COLUMNS = [
    "indicator_id", "indicator", "period", "period_start", "period_end", "city",
    "city_name", "value", "unit", "note", "updated_at",
]  # fmt: skip


def test_the_columns_are_the_published_ones():
    assert list(exports.INDICATOR_COLUMNS) == INDICATOR_COLUMNS
    assert list(exports.VALUE_COLUMNS) == VALUE_COLUMNS


def test_the_indicator_list_links_to_every_export(client, world):
    client.force_login(world.users["observer"])
    page = client.get(reverse("monitoring:indicator_list")).content.decode()
    for table, fmt in [
        ("indicators", "xlsx"),
        ("indicators", "csv"),
        ("values", "csv"),
        ("indicators", "json"),
    ]:
        assert url(table, fmt) in page


def test_indicator_csv_has_the_list_rows_in_finnish_excel_dialect(client, world):
    client.force_login(world.users["observer"])
    response = client.get(url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith("\ufeff".encode())
    rows = csv_rows(response)
    assert rows[0] == INDICATOR_COLUMNS
    by_name = {
        row[1]: dict(zip(INDICATOR_COLUMNS, row, strict=True)) for row in rows[1:]
    }
    assert set(by_name) == {"Työllisyysaste", "Avoimet työpaikat"}
    per_city = by_name["Työllisyysaste"]
    assert per_city["indicator_id"] == str(world.per_city.pk)
    assert per_city["theme"] == "Työllisyys"
    assert per_city["measure_id"] == ""
    assert per_city["reported_per_city"] == "1"
    assert per_city["baseline_value"] == "100"
    assert per_city["baseline_date"] == "2023-12-31"
    # The latest national value, as the list shows it.
    assert per_city["latest_period"] == "2024-Q1"
    assert per_city["latest_value"] == "120"
    assert per_city["responsible_organisation"] == "tem"
    assert by_name["Avoimet työpaikat"]["status"] == "no_data"


def test_values_csv_with_commas_has_every_value(client, world):
    ObservationFactory(
        indicator=world.per_city,
        period=Q2_2024,
        value=Decimal("131.25"),
        city=world.helsinki,
        note='=HYPERLINK("x")',
    )
    client.force_login(world.users["helsinki"])
    response = client.get(url("values", "csv", "delimiter=comma"))
    assert response.status_code == 200
    rows = csv_rows(response, delimiter=",")
    assert rows[0] == VALUE_COLUMNS
    records = [dict(zip(VALUE_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [(r["period"], r["city"], r["value"]) for r in records] == [
        ("2024-Q1", "", "120"),
        ("2024-Q1", "espoo", "125"),
        ("2024-Q1", "helsinki", "130"),
        ("2024-Q2", "helsinki", "131.25"),
    ]
    assert records[0]["period_start"] == "2024-01-01"
    assert records[0]["period_end"] == "2024-03-31"
    assert records[2]["city_name"] == "Helsinki"
    # A note that looks like a formula does not run as one.
    assert records[3]["note"] == '\'=HYPERLINK("x")'


def test_xlsx_has_typed_cells_on_two_sheets(client, world):
    client.force_login(world.users["staff"])
    response = client.get(url("indicators", "xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["indicators", "values"]
    indicators = list(workbook["indicators"].iter_rows(values_only=True))
    assert list(indicators[0]) == INDICATOR_COLUMNS
    assert indicators[1][0] == world.per_city.pk
    assert indicators[1][12] == datetime.datetime(2023, 12, 31)
    values = list(workbook["values"].iter_rows(values_only=True))
    assert list(values[0]) == VALUE_COLUMNS
    assert [(row[5], row[7]) for row in values[1:]] == [
        (None, 120),
        ("espoo", 125),
        ("helsinki", 130),
    ]
    assert values[1][3] == datetime.datetime(2024, 1, 1)


def test_json_follows_the_documented_shape(client, world):
    client.force_login(world.users["espoo"])
    response = client.get(url("indicators", "json"))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["format"] == "allianssi-indicators"
    assert document["version"] == 1
    per_city = document["indicators"][0]
    assert set(per_city) == set(INDICATOR_COLUMNS) | {"values"}
    assert per_city["name"] == "Työllisyysaste"
    assert per_city["baseline_value"] == 100
    assert per_city["reported_per_city"] is True
    assert per_city["values"][1] == {
        "indicator_id": world.per_city.pk,
        "period": "2024-Q1",
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "city": "espoo",
        "city_name": "Espoo",
        "value": 125,
        "note": "",
        "updated_at": per_city["values"][1]["updated_at"],
    }
    assert document["indicators"][1]["values"] == []


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _type_matches(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def schema_errors(value, schema, root, path="$"):
    """Check `value` against the JSON Schema keywords docs/data.md uses."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    errors = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_type_matches(value, name) for name in names):
            errors.append(f"{path}: {value!r} is not {names}")
    pattern = schema.get("pattern")
    if pattern and isinstance(value, str) and not re.search(pattern, value):
        errors.append(f"{path}: {value!r} does not match")
    if isinstance(value, dict):
        missing = set(schema.get("required", [])) - set(value)
        errors += [f"{path}.{key}: missing" for key in sorted(missing)]
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(properties)
            errors += [f"{path}.{key}: not allowed" for key in sorted(extra)]
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], root, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], root, f"{path}[{index}]")
    return errors


def documented_schema() -> dict:
    text = (Path(__file__).resolve().parents[2] / "docs" / "data.md").read_text()
    return json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])


def test_the_documented_json_schema_describes_the_export(client, world):
    ObservationFactory(
        indicator=world.national_only, period=Q2_2024, value=Decimal("7.25")
    )
    schema = documented_schema()
    assert schema["$defs"]["indicator"]["required"] == [*INDICATOR_COLUMNS, "values"]
    client.force_login(world.users["chair"])
    document = json.loads(client.get(url(fmt="json")).content)
    assert document["indicators"][1]["latest_value"] == 7.25
    assert schema_errors(document, schema, schema) == []
    # The checker does check: a wrong document fails it.
    document["indicators"][0]["status"] = "fine"
    del document["indicators"][0]["values"][0]["value"]
    assert len(schema_errors(document, schema, schema)) == 2


def test_filters_of_the_list_apply(client, world):
    client.force_login(world.users["observer"])
    response = client.get(url(query="status=no_data"))
    assert [row[1] for row in csv_rows(response)[1:]] == ["Avoimet työpaikat"]
    response = client.get(url("values", "csv", "status=no_data"))
    assert csv_rows(response)[1:] == []


@pytest.mark.parametrize(
    "table, fmt, query, status",
    [
        ("indicators", "pdf", "", 404),
        ("values", "xlsx", "", 404),
        ("secrets", "csv", "", 404),
        ("indicators", "csv", "theme=abc", 400),
        ("indicators", "csv", "theme=999999", 400),
        ("indicators", "csv", "status=%00", 400),
        ("indicators", "csv", "delimiter=%09", 400),
        ("indicators", "json", "theme=1' OR '1'='1", 400),
    ],
)
def test_hostile_parameters_are_refused(client, world, table, fmt, query, status):
    client.force_login(world.users["observer"])
    assert client.get(url(table, fmt, query)).status_code == status


@pytest.mark.parametrize(
    "path",
    ["/indicators/export/indicators.csv.exe", "/indicators/export/..%2Fvalues.csv"],
)
def test_odd_paths_are_not_found(client, world, path):
    client.force_login(world.users["observer"])
    assert client.get(path).status_code == 404


def test_without_a_role_nothing_is_exported(client, world):
    client.force_login(world.users["norole"])
    assert client.get(url()).status_code == 403
    client.logout()
    assert client.get(url()).status_code == 302
    assert list(selectors.observation_visible(user=world.users["norole"])) == []


def test_a_city_user_exports_exactly_what_the_pages_show(client, world):
    user = world.users["helsinki"]
    client.force_login(user)
    listed = [
        item.indicator.pk for item in selectors.indicator_list_progress(user=user)
    ]
    rows = csv_rows(client.get(url()))
    assert [int(row[0]) for row in rows[1:]] == listed
    values = csv_rows(client.get(url("values", "csv")))
    assert len(values) - 1 == selectors.observation_visible(user=user).count()


def test_values_hidden_by_the_visibility_rule_are_absent(client, world, monkeypatch):
    """The exports read the one visibility selector: what it hides stays out."""
    original = selectors.observation_visible

    def hiding_espoo(*, user):
        return original(user=user).exclude(city=world.espoo)

    monkeypatch.setattr(selectors, "observation_visible", hiding_espoo)
    client.force_login(world.users["helsinki"])
    rows = csv_rows(client.get(url("values", "csv")))[1:]
    assert sorted(row[5] for row in rows) == ["", "helsinki"]
    document = json.loads(client.get(url(fmt="json")).content)
    cities = [v["city"] for i in document["indicators"] for v in i["values"]]
    assert sorted(cities, key=str) == [None, "helsinki"]
    sheet = load_workbook(io.BytesIO(client.get(url(fmt="xlsx")).content))["values"]
    cities = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(cities, key=str) == [None, "helsinki"]


def _grow(world, count):
    for number in range(count):
        indicator = IndicatorFactory(
            theme=world.theme,
            measure=None,
            name=f"Lisämittari {number}",
            reported_per_city=True,
        )
        for city in (world.helsinki, world.espoo, None):
            for period in (Q1_2024, Q2_2024):
                Observation.objects.create(
                    indicator=indicator, city=city, period=period, value=number
                )


@pytest.mark.parametrize(
    "table, fmt",
    [
        ("indicators", "csv"),
        ("values", "csv"),
        ("indicators", "xlsx"),
        ("indicators", "json"),
    ],
)
def test_queries_do_not_grow_with_the_rows(client, world, table, fmt):
    client.force_login(world.users["helsinki"])
    counts = []
    for extra in (1, 15):
        _grow(world, extra)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(table, fmt))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10
