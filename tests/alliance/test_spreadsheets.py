import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from alliance.spreadsheets import Sheet, csv_bytes, csv_response, xlsx_bytes

HEADERS = ["name", "period", "value", "note"]
ROWS = [
    ["Työllisyysaste", datetime.date(2024, 1, 1), Decimal("71.5000"), "=1+1"],
    ["Avoimet työpaikat", datetime.date(2024, 4, 1), 1200, None],
]


def test_finnish_csv_has_a_bom_semicolons_and_decimal_commas():
    content = csv_bytes(headers=HEADERS, rows=ROWS)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        HEADERS,
        ["Työllisyysaste", "2024-01-01", "71,5", "'=1+1"],
        ["Avoimet työpaikat", "2024-04-01", "1200", ""],
    ]


def test_plain_csv_has_commas_and_decimal_points():
    content = csv_bytes(headers=HEADERS, rows=ROWS, delimiter=",")
    assert not content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert rows[1] == ["Työllisyysaste", "2024-01-01", "71.5", "'=1+1"]


def test_unknown_delimiter_is_refused():
    with pytest.raises(ValueError):
        csv_bytes(headers=HEADERS, rows=ROWS, delimiter="\t")


def test_xlsx_keeps_types_header_and_widths():
    content = xlsx_bytes(
        sheets=[
            Sheet(title="Arvot: 2024/Q1", headers=HEADERS, rows=ROWS),
            Sheet(title="Arvot: 2024/Q1", headers=["a"], rows=[]),
        ]
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Arvot  2024 Q1", "Arvot  2024 Q1 (2)"]
    sheet = workbook.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(HEADERS)
    assert values[1][1] == datetime.datetime(2024, 1, 1)
    assert sheet.cell(row=2, column=2).number_format == "d.m.yyyy"
    assert values[1][2] == 71.5
    assert values[2][2] == 1200
    # Text that looks like a formula stays text.
    assert values[1][3] == "=1+1"
    assert sheet.cell(row=2, column=4).data_type == "s"
    assert sheet.cell(row=1, column=1).font.bold
    assert sheet.column_dimensions["A"].width >= len("Avoimet työpaikat")
    assert sheet.freeze_panes == "A2"


def test_response_is_a_private_download():
    response = csv_response(headers=HEADERS, rows=ROWS, filename='a"b/../c.csv')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="c.csv"'
    assert response["Cache-Control"] == "private, no-store"
