"""The indicators and their values as open data: CSV, XLSX and JSON.

The column names and the JSON keys are part of the published format (docs/data.md)
and do not change with the language; a new column is added at the end, and a change
that breaks readers raises `FORMAT_VERSION`. Every export reads through the visibility
selectors, so that a person gets exactly the indicators and values the pages show them,
and takes a fixed number of queries however many rows it has.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from alliance.spreadsheets import Sheet
from monitoring import selectors
from monitoring.models import Indicator, Observation
from monitoring.periods import period_end, period_label
from monitoring.selectors import IndicatorProgress
from themes.models import Theme

FORMAT_VERSION = 1
FORMAT_NAME = "allianssi-indicators"

INDICATOR_COLUMNS = (
    "indicator_id",
    "name",
    "theme_id",
    "theme",
    "measure_id",
    "measure",
    "unit",
    "value_type",
    "direction",
    "frequency",
    "reported_per_city",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "responsible_organisation",
    "data_source",
    "latest_period",
    "latest_value",
    "status",
    "definition",
)

VALUE_COLUMNS = (
    "indicator_id",
    "indicator",
    "period",
    "period_start",
    "period_end",
    "city",
    "city_name",
    "value",
    "unit",
    "note",
    "updated_at",
)


@dataclass(frozen=True)
class IndicatorExport:
    """What an export holds: the indicators' progress and their values, in order."""

    items: tuple[IndicatorProgress, ...]
    values: tuple[Observation, ...]

    def values_by_indicator(self) -> dict[int, list[Observation]]:
        grouped: dict[int, list[Observation]] = {}
        for value in self.values:
            grouped.setdefault(value.indicator_id, []).append(value)
        return grouped


def indicator_export(
    *, user, theme: Theme | None = None, status: str | None = None
) -> IndicatorExport:
    """Return the indicators the list shows `user` (filtered alike) and their values.

    Five queries at most, however many indicators and values.
    """
    items = selectors.indicator_list_progress(user=user, theme=theme, status=status)
    order = {item.indicator.pk: index for index, item in enumerate(items)}
    values = list(
        selectors.observation_visible(user=user)
        .filter(indicator_id__in=list(order))
        .select_related("city")
        # The national value first on every database (PostgreSQL sorts NULL last).
        .order_by("period", F("city__name_fi").asc(nulls_first=True), "pk")
    )
    indicators = {item.indicator.pk: item.indicator for item in items}
    for value in values:
        # Spares a query per value whose period or unit is written.
        value.indicator = indicators[value.indicator_id]
    values.sort(key=lambda value: order[value.indicator_id])
    return IndicatorExport(items=tuple(items), values=tuple(values))


def _owner_theme(indicator: Indicator) -> Theme:
    return indicator.theme or indicator.measure.theme


def indicator_row(item: IndicatorProgress) -> list:
    """Return an indicator's cells in the order of INDICATOR_COLUMNS."""
    indicator = item.indicator
    theme = _owner_theme(indicator)
    measure = indicator.measure
    return [
        indicator.pk,
        indicator.name,
        theme.pk,
        theme.title,
        measure.pk if measure else None,
        measure.title if measure else None,
        indicator.unit,
        indicator.value_type,
        indicator.direction,
        indicator.frequency,
        indicator.reported_per_city,
        indicator.baseline_value,
        indicator.baseline_date,
        indicator.target_value,
        indicator.target_date,
        indicator.responsible_organisation.slug,
        indicator.data_source,
        period_label(item.period, indicator.frequency) if item.latest else None,
        item.value,
        str(item.status),
        indicator.definition,
    ]


def value_row(value: Observation) -> list:
    """Return a value's cells in the order of VALUE_COLUMNS."""
    indicator = value.indicator
    return [
        indicator.pk,
        indicator.name,
        period_label(value.period, indicator.frequency),
        value.period,
        period_end(value.period, indicator.frequency),
        value.city.slug if value.city else None,
        value.city.name_fi if value.city else None,
        value.value,
        indicator.unit,
        value.note,
        timezone.localtime(value.updated_at),
    ]


def indicator_sheets(export: IndicatorExport) -> list[Sheet]:
    """Return the workbook's two sheets: the indicators and the values."""
    return [
        Sheet(
            title="indicators",
            headers=INDICATOR_COLUMNS,
            rows=[indicator_row(item) for item in export.items],
        ),
        Sheet(
            title="values",
            headers=VALUE_COLUMNS,
            rows=[value_row(value) for value in export.values],
        ),
    ]


def _json_value(value):
    if isinstance(value, Decimal):
        normalized = value.normalize()
        # A whole number as an integer, anything else as a JSON number.
        if normalized == normalized.to_integral_value():
            return int(normalized)
        return float(normalized)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _json_object(columns: Sequence[str], row: list) -> dict:
    return {key: _json_value(cell) for key, cell in zip(columns, row, strict=True)}


def indicator_json(export: IndicatorExport) -> dict:
    """Return the export as the JSON document that docs/data.md describes."""
    value_keys = [key for key in VALUE_COLUMNS if key not in {"indicator", "unit"}]
    indicators = []
    values = export.values_by_indicator()
    for item in export.items:
        entry = _json_object(INDICATOR_COLUMNS, indicator_row(item))
        entry["values"] = [
            {
                key: cell
                for key, cell in _json_object(VALUE_COLUMNS, value_row(value)).items()
                if key in value_keys
            }
            for value in values.get(item.indicator.pk, [])
        ]
        indicators.append(entry)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "indicators": indicators,
    }
