"""Read a spreadsheet of indicator values: CSV or XLSX, in Finnish, Swedish or English.

This module only reads and parses: it turns an uploaded file into rows of text
(`read_table`), and each row into an indicator, a period, a city and a number
(`parse_row`), with the project's period and number parsers. It reads no database
and writes nothing; monitoring.services checks the parsed rows against the rules of
recording a value (and the person's city scope) and imports them.

Reading is linear in the size of the file: a CSV is decoded once and read line by
line, an XLSX sheet is streamed (openpyxl in read-only mode, with defusedxml refusing
XML bombs) after alliance.uploads.attachment_check has bounded the file's packed and
unpacked size. A file that cannot be read raises ImportFileError with a message for
the person, never anything else.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from alliance.uploads import UNREADABLE_ARCHIVE, XLSX, attachment_check
from monitoring.parsing import parse_number, parse_period

# More rows than any city reports in a round; a file with more is refused whole.
MAX_ROWS = 10000
# No honest indicator, period, city or value is longer; a note has its own limit.
MAX_CELL_CHARS = 200
MAX_NOTE_CHARS = 1000
# Columns read from an XLSX sheet: the template has seven.
MAX_COLUMNS = 30

INDICATOR, PERIOD, CITY, VALUE, NOTE = "indicator", "period", "city", "value", "note"
REQUIRED_COLUMNS = (INDICATOR, PERIOD, CITY, VALUE)

# Header names, compared in lower case without surrounding spaces.
HEADER_ALIASES = {
    INDICATOR: {"indicator", "indikaattori", "mittari", "indikator"},
    PERIOD: {"period", "kausi", "ajanjakso", "jakso", "perioden"},
    CITY: {"city", "kaupunki", "stad", "staden"},
    VALUE: {"value", "arvo", "värde", "vrde"},
    NOTE: {"note", "huomautus", "huom", "lisätieto", "anmärkning", "kommentar"},
}
_COLUMN_OF_HEADER = {
    alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}
# The city cell of a national value, besides an empty one.
NATIONAL_NAMES = {"koko maa", "hela landet", "national", "whole country"}

# The template's header in each language: the columns the importer reads, and the
# indicator's name and unit as a help to the person, which it ignores.
TEMPLATE_HEADERS = {
    "fi": ["indikaattori", "nimi", "yksikkö", "kausi", "kaupunki", "arvo", "huomautus"],
    "sv": ["indikator", "namn", "enhet", "period", "stad", "värde", "anmärkning"],
    "en": ["indicator", "name", "unit", "period", "city", "value", "note"],
}
TEMPLATE_NATIONAL = {"fi": "koko maa", "sv": "hela landet", "en": "national"}


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; no row of it is imported."""


@dataclass(frozen=True)
class Row:
    """One row of the file as text, with its number as the spreadsheet shows it."""

    number: int
    indicator: str
    period: str
    city: str
    value: str
    note: str
    # Cells that a spreadsheet gives typed (an XLSX number or date), kept exact.
    typed_period: datetime.date | None = None
    typed_value: Decimal | None = None

    @property
    def value_text(self) -> str:
        """The value cell as shown beside the row's errors."""
        return "" if self.value == _EXTRA_CELLS else self.value

    @property
    def is_empty(self) -> bool:
        """A row without a value or a note: a template row the person left blank."""
        return self.typed_value is None and not self.value and not self.note


@dataclass
class Table:
    rows: list[Row]
    has_note_column: bool
    skipped: int = 0


@dataclass(frozen=True)
class ParsedRow:
    """A row read into an indicator, a period, a city (None: national) and a value."""

    number: int
    indicator: object
    period: datetime.date
    city: object
    value: Decimal
    note: str


@dataclass
class RowError:
    number: int
    messages: list[str] = field(default_factory=list)
    text: Row | None = None


def import_max_bytes() -> int:
    return settings.MONITORING_IMPORT_MAX_BYTES


def _too_large(size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file is too large: %(size)s. The largest allowed is %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _(
            "The file could not be read. Save it as CSV (separated by semicolons or "
            "commas) or as an Excel workbook (.xlsx) and try again."
        ),
        code="unreadable",
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(count)s rows. Split it into smaller files."),
        code="too_many_rows",
        params={"count": MAX_ROWS},
    )


def read_table(upload) -> Table:
    """Return the rows of an uploaded CSV or XLSX file, or raise ImportFileError."""
    limit = import_max_bytes()
    size = upload.size
    if size is None or size > limit:
        raise _too_large(size or 0, limit)
    if size == 0:
        raise ImportFileError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"PK") or name.endswith((".xlsx", ".xlsm", ".xls")):
        return _read_xlsx(upload, limit=limit)
    return _read_csv(upload.read(limit + 1))


# CSV


def decode_text(data: bytes) -> str:
    """Return the text of a CSV file in UTF-8 (with or without BOM) or Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file's characters could not be read. Save it as CSV in UTF-8 "
                "(or in Windows-1252) and try again."
            ),
            code="unknown_encoding",
        ) from None


def _delimiter(header_line: str) -> str:
    """Return the separator of the header: the semicolon Finnish Excel uses, or a comma.

    The header is counted, not guessed from the data, so that the decimal commas of
    the values cannot mislead it.
    """
    counts = {mark: header_line.count(mark) for mark in (";", ",", "\t")}
    mark, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise ImportFileError(
            _(
                "The first row must name the columns (indicator, period, city, value), "
                "separated by semicolons or commas."
            ),
            code="no_separator",
        )
    return mark


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise _unreadable()
    text = decode_text(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(header_line)
    )
    try:
        return _table(_csv_records(reader))
    except csv.Error:
        raise _unreadable() from None


def _csv_records(reader) -> Iterator[tuple[int, list]]:
    for record in reader:
        yield reader.line_num, record


# XLSX


def _read_xlsx(upload, *, limit: int) -> Table:
    # The project's check: the content is an XLSX without macros, its size and the
    # size it unpacks to are bounded. defusedxml, installed, makes openpyxl refuse
    # entity expansion.
    try:
        kind = attachment_check(upload=upload, max_bytes=limit)
    except ValidationError as error:
        if error.code in {"type_not_allowed", "extension_mismatch"}:
            raise _unreadable() from None
        raise ImportFileError(error.messages, code=error.code) from None
    if kind != XLSX:
        raise _unreadable()
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except (*UNREADABLE_ARCHIVE, zipfile.LargeZipFile, TypeError, IndexError):
        raise _unreadable() from None
    except Exception as error:  # defusedxml's refusals and openpyxl's own errors
        if _is_xml_refusal(error):
            raise _unreadable() from None
        raise
    try:
        if not workbook.worksheets:
            raise _unreadable()
        sheet = workbook.worksheets[0]
        records = (
            (number, list(values))
            for number, values in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
            )
        )
        return _table(records)
    except ImportFileError:
        raise
    except (*UNREADABLE_ARCHIVE, TypeError, IndexError, AttributeError):
        raise _unreadable() from None
    except Exception as error:
        if _is_xml_refusal(error):
            raise _unreadable() from None
        raise
    finally:
        workbook.close()


def _is_xml_refusal(error: Exception) -> bool:
    """Tell whether the XML parser refused the sheet (a bomb, or broken XML)."""
    return isinstance(error, DefusedXmlException | ParseError) or (
        type(error).__module__.startswith("lxml")
    )


# Both formats


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table(records: Iterable[tuple[int, list]]) -> Table:
    """Return the rows under the header, whose names say which column is which."""
    columns = None
    has_note = False
    rows = []
    skipped = 0
    for number, values in records:
        if columns is None:
            if not any(_cell_text(value) for value in values):
                continue
            columns = _columns(values)
            has_note = NOTE in columns
            continue
        if len(rows) + skipped >= MAX_ROWS:
            raise _too_many_rows()
        row = _row(number, values, columns)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    if columns is None:
        raise ImportFileError(
            _("The file has no rows. Fill in the template and try again."),
            code="no_rows",
        )
    return Table(rows=rows, has_note_column=has_note, skipped=skipped)


def _columns(header) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        column = _COLUMN_OF_HEADER.get(_cell_text(name).lower())
        if column is not None and column not in columns:
            columns[column] = position
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns indicator, period, city and "
                "value (in Finnish indikaattori, kausi, kaupunki and arvo). Missing: "
                "%(missing)s."
            ),
            code="missing_columns",
            params={"missing": ", ".join(missing)},
        )
    return columns


def _row(number: int, values: list, columns: dict[str, int]) -> Row | None:
    """Return the row's cells by column, or None for an entirely empty row."""
    if not any(_cell_text(value) for value in values):
        return None

    def cell(column):
        position = columns.get(column)
        if position is None or position >= len(values):
            return None
        return values[position]

    period, value = cell(PERIOD), cell(VALUE)
    typed_period = None
    if isinstance(period, datetime.datetime):
        typed_period = period.date()
    elif isinstance(period, datetime.date):
        typed_period = period
    typed_value = None
    if isinstance(value, bool):
        value = str(value)
    elif isinstance(value, int):
        typed_value = Decimal(value)
    elif isinstance(value, float):
        # As the spreadsheet shows it: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
        typed_value = Decimal(format(value, ".15g"))
    # Cells beyond the header's (an unquoted decimal comma in a comma-separated file)
    # would shift the columns: such a row is refused in parse_row.
    last = max(columns.values())
    if any(_cell_text(extra) for extra in values[last + 1 :]):
        return Row(
            number=number,
            indicator=_cell_text(cell(INDICATOR)),
            period=_cell_text(period),
            city=_cell_text(cell(CITY)),
            value=_EXTRA_CELLS,
            note="",
        )
    return Row(
        number=number,
        indicator=_cell_text(cell(INDICATOR)),
        period="" if typed_period else _cell_text(period),
        city=_cell_text(cell(CITY)),
        value="" if typed_value is not None else _cell_text(value),
        note=_cell_text(cell(NOTE)),
        typed_period=typed_period,
        typed_value=typed_value,
    )


# A marker no parser accepts: the row had cells beyond the named columns.
_EXTRA_CELLS = "\x00extra"


# One row


@dataclass(frozen=True)
class Lookups:
    """What a row's text is read against, loaded once by the service."""

    indicators_by_id: dict
    indicators_by_name: dict  # name → list of indicators with that exact name
    cities_by_name: dict  # lower-case name or slug → city


def parse_row(row: Row, *, lookups: Lookups) -> ParsedRow:
    """Return the row's indicator, period, city and value, or raise ValidationError.

    The error carries every problem of the row, each with a code.
    """
    problems = []
    if row.value == _EXTRA_CELLS:
        raise ValidationError(
            _(
                "The row has more cells than the first row names. Put a value with a "
                "decimal comma in quotes, or separate the columns with semicolons."
            ),
            code="extra_cells",
        )
    indicator = None
    try:
        indicator = _indicator(row.indicator, lookups)
    except ValidationError as error:
        problems.append(error)
    period = None
    if indicator is not None:
        try:
            period = _period(row, indicator)
        except ValidationError as error:
            problems.append(error)
    city = None
    try:
        city = _city(row.city, lookups)
    except ValidationError as error:
        problems.append(error)
    value = None
    try:
        value = _value(row)
    except ValidationError as error:
        problems.append(error)
    if len(row.note) > MAX_NOTE_CHARS:
        problems.append(
            ValidationError(
                _("The note is longer than %(count)s characters."),
                code="note_too_long",
                params={"count": MAX_NOTE_CHARS},
            )
        )
    if problems:
        raise ValidationError(problems)
    return ParsedRow(
        number=row.number,
        indicator=indicator,
        period=period,
        city=city,
        value=value,
        note=row.note,
    )


def _too_long(text: str) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise ValidationError(
            _("A cell is longer than %(count)s characters."),
            code="cell_too_long",
            params={"count": MAX_CELL_CHARS},
        )


def _indicator(text: str, lookups: Lookups):
    _too_long(text)
    if not text:
        raise ValidationError(
            _("Name the indicator (its number or its exact name)."),
            code="no_indicator",
        )
    if text.isascii() and text.isdigit():
        indicator = lookups.indicators_by_id.get(int(text))
        if indicator is not None:
            return indicator
    found = lookups.indicators_by_name.get(text, [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValidationError(
            _(
                "Several indicators are called %(name)s: name it by its number, as "
                "in the template."
            ),
            code="ambiguous_indicator",
            params={"name": text},
        )
    raise ValidationError(
        _("There is no indicator %(name)s."),
        code="unknown_indicator",
        params={"name": text},
    )


def _period(row: Row, indicator) -> datetime.date:
    if row.typed_period is not None:
        # A date cell: the first day of the period, checked by the service.
        return row.typed_period
    _too_long(row.period)
    return parse_period(row.period, frequency=indicator.frequency)


def _city(text: str, lookups: Lookups):
    _too_long(text)
    if not text or text.lower() in NATIONAL_NAMES:
        return None
    city = lookups.cities_by_name.get(text.lower())
    if city is None:
        raise ValidationError(
            _(
                "There is no city %(name)s. Write the city's name, or leave the cell "
                "empty (or write koko maa) for the national value."
            ),
            code="unknown_city",
            params={"name": text},
        )
    return city


def _value(row: Row) -> Decimal:
    if row.typed_value is not None:
        return row.typed_value
    _too_long(row.value)
    return parse_number(row.value)


# The templates: the rows to fill in, as CSV for Finnish Excel and as XLSX.


@dataclass(frozen=True)
class TemplateRow:
    indicator_id: int
    name: str
    unit: str
    period: str  # empty: the person fills it in
    city: str  # empty: the national value


# A cell starting with these is a formula to a spreadsheet program.
_FORMULA_MARKS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(text: str) -> str:
    """Return `text` so that a spreadsheet shows it and does not evaluate it."""
    return "'" + text if text.startswith(_FORMULA_MARKS) else text


def _template_language(language: str) -> str:
    return language if language in TEMPLATE_HEADERS else "fi"


def _template_records(rows: Iterable[TemplateRow], language: str):
    national = TEMPLATE_NATIONAL[language]
    for row in rows:
        yield [
            row.indicator_id,
            _as_text(row.name),
            _as_text(row.unit),
            row.period,
            row.city or national,
            "",
            "",
        ]


def template_csv(rows: Iterable[TemplateRow], *, language: str) -> bytes:
    """Return the template as Finnish Excel opens it: semicolons, UTF-8 with a BOM."""
    language = _template_language(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS[language])
    writer.writerows(_template_records(rows, language))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(rows: Iterable[TemplateRow], *, language: str) -> bytes:
    """Return the template as an Excel workbook with one sheet."""
    language = _template_language(language)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for letter, width in zip("ABCDEFG", (12, 40, 12, 10, 14, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(TEMPLATE_HEADERS[language])
    for record in _template_records(rows, language):
        sheet.append(record)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
