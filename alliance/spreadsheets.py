"""Rows to CSV and XLSX: every export and every template download writes through here.

A table is a header row and rows of plain values: str, int, Decimal, float, date,
datetime, bool or None. The writers keep the values' types where the format has them
(XLSX: numbers as numbers, dates as real dates shown as 31.8.2023) and write them in a
fixed notation where it has not (CSV).

CSV comes in two dialects:

- `;` (the default): what Finnish Excel opens with a double click: a UTF-8 byte order
  mark, `;` between fields and a decimal comma (12,5).
- `,`: for programs: no byte order mark, `,` between fields, a decimal point.

Both write dates as ISO 8601 (2023-08-31), which every spreadsheet reads as a date and
every program parses. A text cell that a spreadsheet would take for a formula (it
starts with = + - @ or a tab or carriage return) is written with a leading apostrophe
in CSV, and always as text in XLSX, so that an exported value never runs as a formula.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from alliance.uploads import download_headers, safe_filename

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DELIMITERS = (";", ",")
DATE_FORMAT = "d.m.yyyy"
DATETIME_FORMAT = "d.m.yyyy h:mm"
# Excel's own limits on a column's width (characters) and a sheet's title.
_MAX_WIDTH = 60
_MIN_WIDTH = 8
_MAX_TITLE = 31
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in a sheet's title.
_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

Value = str | int | float | Decimal | datetime.date | datetime.datetime | bool | None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, the header row and the rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]
    # Characters per column; worked out from the headers and the first rows if empty.
    widths: Sequence[int] = field(default_factory=tuple)


def _csv_text(value: Value, *, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        text = _number_text(value)
        return text.replace(".", ",") if decimal_comma else text
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        # 12.5000 → 12.5, 100.0000 → 100; never 1E+2.
        return format(value.normalize(), "f")
    return str(value)


def csv_bytes(
    *, headers: Sequence[str], rows: Iterable[Sequence[Value]], delimiter: str = ";"
) -> bytes:
    """Return the table as CSV: `;` with a BOM and decimal commas, or plain `,`."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"Unknown CSV delimiter: {delimiter!r}")
    finnish = delimiter == ";"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(value, decimal_comma=finnish) for value in row])
    text = buffer.getvalue()
    return (("\ufeff" + text) if finnish else text).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = title.translate(_TITLE_FORBIDDEN).strip("' ")[:_MAX_TITLE] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: _MAX_TITLE - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _display_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return len(_number_text(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(headers: Sequence[str], rows: list[Sequence[Value]]) -> list[int]:
    widths = [len(str(header)) + 2 for header in headers]
    for row in rows[:200]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_length(value) + 2)
    return [min(max(width, _MIN_WIDTH), _MAX_WIDTH) for width in widths]


def _cell(worksheet, value: Value) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local wall-clock time, as the pages show it.
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(worksheet, value=value)
        # openpyxl takes a text starting with = for a formula; it is text here.
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(worksheet, value=value)


def xlsx_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """Return a workbook of the sheets: a bold header row, frozen, and sized columns."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title, taken))
        rows = sheet.rows if isinstance(sheet.rows, list) else list(sheet.rows)
        widths = list(sheet.widths) or _widths(sheet.headers, rows)
        for index, width in enumerate(widths, 1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header_cells = []
        for header in sheet.headers:
            cell = _cell(worksheet, str(header))
            cell.font = bold
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in rows:
            worksheet.append([_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = safe_filename(filename, default="export")
    return download_headers(response, filename=name, audit_kind="export")


def csv_response(
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Value]],
    filename: str,
    delimiter: str = ";",
) -> HttpResponse:
    """Answer with the table as a CSV download (see `csv_bytes`)."""
    return _download(
        csv_bytes(headers=headers, rows=rows, delimiter=delimiter),
        filename=filename,
        content_type=CSV_CONTENT_TYPE,
    )


def xlsx_response(*, sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    """Answer with the sheets as an XLSX download (see `xlsx_bytes`)."""
    return _download(
        xlsx_bytes(sheets=sheets), filename=filename, content_type=XLSX_CONTENT_TYPE
    )
