"""The monitoring charts: alliance.charts figures of what monitoring's selectors read.

- `indicator_series_chart(overview=…)`: an indicator's values over time, the national
  series and each city's, with the baseline, the target and the expected path between
  them. The one chart of an indicator: its page and the progress report show it.
- `indicator_city_charts(overview=…)`: small multiples, one plot for the national
  values and one per city, each against the same path (the page of an indicator
  reported per city).
- `city_overview_chart(city=…, items=…)`: a city's progress on each indicator reported
  per city, as a share of the way from the baseline to the target, against the share
  expected by the latest value's period.

Each returns an `alliance.charts.Chart` whose `key` hashes everything it draws. Pages
show a chart as `<img src="{{ url }}" alt="…">`, where the URL (`indicator_chart_url`,
`city_chart_url`) carries the key, so it changes when a value changes; the chart views
(monitoring/chart_views.py) check the same permission as the page, build the chart
anew from the data and answer with its SVG, drawn once per key
(`alliance.charts.svg_cached`). A PDF document embeds the same charts:
`render_pdf(template, context, charts={"indicator-12": indicator_series_chart(…)})`
with `<img src="chart:indicator-12" alt="{{ chart.description }}">` in the template.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.charts import (
    Chart,
    Panel,
    ProgressBar,
    Reference,
    Series,
    format_number,
    progress_chart,
    series_chart,
    small_multiples,
)
from members.models import Organisation
from monitoring.models import Indicator, Observation
from monitoring.periods import period_end, period_label
from monitoring.selectors import IndicatorOverview, IndicatorProgress

# The kinds of an indicator's charts, as the chart URL names them.
SERIES = "series"
CITIES = "cities"


def indicator_chart_kinds(indicator: Indicator) -> tuple[str, ...]:
    """Return the charts an indicator's page shows: small multiples if per city."""
    return (SERIES, CITIES) if indicator.reported_per_city else (SERIES,)


def indicator_chart(*, overview: IndicatorOverview, kind: str) -> Chart:
    """Return the indicator's chart of the kind (SERIES or CITIES)."""
    if kind == CITIES:
        return indicator_city_charts(overview=overview)
    return indicator_series_chart(overview=overview)


def indicator_series_chart(*, overview: IndicatorOverview) -> Chart:
    """Return the indicator's values over time, nationally and by city, in one plot."""
    indicator = overview.indicator
    columns = _columns(overview)
    panel = Panel(
        title="",
        series=tuple(
            Series(
                label=_column_label(city),
                points=_points(values, indicator.frequency),
                emphasis=city is None,
            )
            for city, values in columns
        ),
        reference=_reference(indicator),
        unit=indicator.unit,
    )
    return series_chart(
        title=_("%(name)s: values over time") % {"name": indicator.name},
        description=_description(indicator, columns),
        panel=panel,
    )


def indicator_city_charts(*, overview: IndicatorOverview) -> Chart:
    """Return one small plot per column (national, then each city) of the indicator."""
    indicator = overview.indicator
    columns = _columns(overview)
    reference = _reference(indicator)
    panels = tuple(
        Panel(
            title=_column_label(city),
            series=(
                Series(
                    label=_("Value"),
                    points=_points(values, indicator.frequency),
                    emphasis=True,
                ),
            ),
            reference=reference,
            unit=indicator.unit,
        )
        for city, values in columns
    )
    return small_multiples(
        title=_("%(name)s by city") % {"name": indicator.name},
        description=_("One plot for the national values and one for each city.")
        + " "
        + _description(indicator, columns),
        panels=panels,
        columns=3,
    )


def city_overview_chart(*, city: Organisation, items: list[IndicatorProgress]) -> Chart:
    """Return the city's progress on each indicator against the progress expected."""
    bars = tuple(
        ProgressBar(
            label=item.indicator.name,
            share=None if item.share is None else float(item.share),
            expected=(
                None if item.expected_share is None else float(item.expected_share)
            ),
        )
        for item in items
    )
    parts = []
    for item in items:
        if item.latest is None:
            parts.append(
                _("%(indicator)s: no values") % {"indicator": item.indicator.name}
            )
            continue
        parts.append(
            _(
                "%(indicator)s: %(share)s of the way to the target, %(expected)s "
                "expected by %(period)s"
            )
            % {
                "indicator": item.indicator.name,
                "share": _percent(item.share),
                "expected": _percent(item.expected_share),
                "period": period_label(item.period, item.indicator.frequency),
            }
        )
    if parts:
        description = "; ".join(parts) + "."
    else:
        description = _("No indicator is reported per city.")
    return progress_chart(
        title=_("%(city)s: progress towards the targets") % {"city": city.name},
        description=description,
        bars=bars,
    )


def indicator_chart_url(indicator: Indicator, kind: str, chart: Chart) -> str:
    """Return the address of the indicator's chart as it is now."""
    url = reverse("monitoring:indicator_chart", args=[indicator.pk, kind])
    return f"{url}?v={chart.key}"


def city_chart_url(city: Organisation, chart: Chart) -> str:
    """Return the address of the city's overview chart as it is now."""
    return f"{reverse('monitoring:city_chart', args=[city.slug])}?v={chart.key}"


def _columns(overview: IndicatorOverview) -> list[tuple[Organisation | None, list]]:
    """Return each column (None: national) with its values, the oldest first."""
    values: list[list[Observation]] = [[] for _column in overview.columns]
    for row in reversed(overview.rows):
        for index, cell in enumerate(row.cells):
            if cell is not None:
                values[index].append(cell)
    return list(zip(overview.columns, values, strict=True))


def _column_label(city: Organisation | None) -> str:
    return _("National") if city is None else city.name


def _points(values: list[Observation], frequency: str):
    # A value describes its whole period: it is drawn at the period's end.
    return tuple(
        (period_end(value.period, frequency), float(value.value)) for value in values
    )


def _reference(indicator: Indicator) -> Reference:
    return Reference(
        baseline_date=indicator.baseline_date,
        baseline_value=float(indicator.baseline_value),
        target_date=indicator.target_date,
        target_value=float(indicator.target_value),
    )


def _with_unit(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {unit}".strip()


def _date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _percent(share: Decimal | None) -> str:
    if share is None:
        return "–"
    whole = (Decimal(share) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_number(whole) + "\u00a0%"


def _description(indicator: Indicator, columns) -> str:
    """Return the baseline, the target and each column's latest value as text."""
    unit = indicator.unit
    text = _(
        "Baseline %(baseline)s on %(baseline_date)s, target %(target)s on "
        "%(target_date)s."
    ) % {
        "baseline": _with_unit(indicator.baseline_value, unit),
        "baseline_date": _date(indicator.baseline_date),
        "target": _with_unit(indicator.target_value, unit),
        "target_date": _date(indicator.target_date),
    }
    national = columns[0][1]
    if national:
        latest = national[-1]
        text += " " + _("The latest national value is %(value)s, for %(period)s.") % {
            "value": _with_unit(latest.value, unit),
            "period": period_label(latest.period, indicator.frequency),
        }
    else:
        text += " " + _("No national values have been recorded yet.")
    cities = []
    for city, values in columns[1:]:
        if values:
            latest = values[-1]
            period = period_label(latest.period, indicator.frequency)
            cities.append(f"{city.name} {_with_unit(latest.value, unit)} ({period})")
        else:
            cities.append(f"{city.name}: {_('no values')}")
    if cities:
        text += " " + _("Latest values by city: %(values)s.") % {
            "values": ", ".join(cities)
        }
    return text
