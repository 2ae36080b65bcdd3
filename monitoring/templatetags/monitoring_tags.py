"""Monitoring in any page: `{% load monitoring_tags %}`.

The themes app cannot import monitoring (it sits below it), so its pages show
indicators and progress through these tags:

- `{% indicator_panel subject user %}`: a theme's or a measure's indicators with their
  latest national value and status; for the secretariat, links to add and reorder.
- `{% theme_progress_map themes as progress %}` and `{{ progress|lookup:theme.pk }}`:
  the roll-up of a whole list.
- `{% status_badge status %}`: a status as a badge.
- `{{ value|number }}`, `{{ share|percent }}`, `{{ period|period_label:frequency }}`.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from monitoring import periods
from monitoring.permissions import can_edit_indicators, can_view_monitoring
from monitoring.selectors import (
    IndicatorOverview,
    ProgressStatus,
    indicator_subject_progress,
    theme_progress_list,
)
from themes.models import Theme

register = template.Library()


@register.filter
def number(value):
    """Show a decimal without the stored trailing zeros: 1 234,5 in Finnish."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, force_grouping=True)


@register.filter
def percent(share):
    """Show a share (0.45) as a whole percentage (45 %)."""
    if share is None:
        return ""
    # number_format cuts off decimals; round first, so that 0.456 reads 46 %.
    whole = (Decimal(share) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return number_format(whole, decimal_pos=0) + "\u00a0%"


@register.filter
def period_label(period, frequency):
    """Show a period as it is typed: 2024, 2024-Q1 or 2024-03."""
    if not period:
        return ""
    return periods.period_label(period, frequency)


@register.filter
def lookup(mapping, key):
    """Return mapping[key], or None: `{{ progress|lookup:theme.pk }}`."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag
def status_badge(status):
    """Render a progress status as a badge with the class `status--<value>`."""
    status = ProgressStatus(status or ProgressStatus.NO_DATA)
    return format_html(
        '<span class="badge status--{}">{}</span>', status.value, status.label
    )


@register.simple_tag
def theme_progress_map(themes):
    """Return {theme pk: ProgressSummary} for the themes, in three queries at most."""
    return {
        summary.subject.pk: summary for summary in theme_progress_list(themes=themes)
    }


def indicator_panel_context(subject, user, *, next_url: str = "", csrf_token=None):
    """Return what monitoring/indicator_panel.html shows for a theme or a measure."""
    kind = "theme" if isinstance(subject, Theme) else "measure"
    may_view = can_view_monitoring(user)
    may_edit = may_view and can_edit_indicators(user)
    # A view renders the panel with its request, whose context supplies the token.
    extra = {} if csrf_token is None else {"csrf_token": csrf_token}
    return {
        **extra,
        "subject": subject,
        "kind": kind,
        "panel_id": f"indicators-{kind}-{subject.pk}",
        "items": indicator_subject_progress(subject=subject) if may_view else [],
        "may_view": may_view,
        "may_edit": may_edit,
        "add_url": (
            reverse(f"monitoring:indicator_add_for_{kind}", args=[subject.pk])
            if may_edit
            else ""
        ),
        "next_url": next_url,
    }


@register.inclusion_tag("monitoring/indicator_panel.html", takes_context=True)
def indicator_panel(context, subject, user):
    """A theme's or a measure's indicators, their latest values and statuses."""
    request = context.get("request")
    return indicator_panel_context(
        subject,
        user,
        next_url=request.get_full_path() if request is not None else "",
        csrf_token=context.get("csrf_token"),
    )


# The chart of an indicator's national values: plain SVG drawn on the server.
CHART_WIDTH = 640
CHART_HEIGHT = 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 24, 16, 48


@register.inclusion_tag("monitoring/indicator_chart.html")
def indicator_chart(overview: IndicatorOverview):
    """Draw the national values against the path from the baseline to the target."""
    indicator = overview.indicator
    points = [
        (periods.period_end(o.period, indicator.frequency), o.value, o)
        for o in overview.national
    ]
    # A value may predate the baseline (a series loaded from the past).
    start = min([indicator.baseline_date] + [day for day, _value, _o in points])
    end = max([indicator.target_date] + [day for day, _value, _o in points])
    values = [indicator.baseline_value, indicator.target_value] + [
        value for _day, value, _o in points
    ]
    ticks, low, high = _value_ticks(min(values), max(values))
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    days = max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        return round(_LEFT + (day - start).days / days * plot_width, 1)

    def y(value) -> float:
        return round(_TOP + (1 - (float(value) - low) / (high - low)) * plot_height, 1)

    unit = indicator.unit
    dots = [
        {
            "x": x(day),
            "y": y(value),
            "label": f"{periods.period_label(o.period, indicator.frequency)}: "
            f"{number(value)} {unit}".strip(),
        }
        for day, value, o in points
    ]
    latest = overview.national[-1] if overview.national else None
    return {
        "indicator": indicator,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot": {
            "left": _LEFT,
            "right": CHART_WIDTH - _RIGHT,
            "top": _TOP,
            "bottom": CHART_HEIGHT - _BOTTOM,
            "y_label_right": _LEFT - 6,
            "x_label_top": CHART_HEIGHT - _BOTTOM + 16,
            "caption_top": CHART_HEIGHT - 6,
        },
        "y_ticks": [
            {"y": y(tick), "label": number(tick)}
            for tick in ticks
            if low <= float(tick) <= high
        ],
        "x_ticks": [
            {"x": x(day), "label": str(day.year)} for day in _year_starts(start, end)
        ],
        "baseline": {"x": x(start), "y": y(indicator.baseline_value)},
        "target": _marker(x(indicator.target_date), y(indicator.target_value)),
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "y_label_x": 16,
        "y_label_y": _TOP + plot_height / 2,
        "description": _chart_description(indicator, latest),
    }


def _marker(x: float, y: float) -> dict:
    return {"x": x, "y": y, "corner_x": round(x - 5, 1), "corner_y": round(y - 5, 1)}


def _chart_description(indicator, latest) -> str:
    unit = indicator.unit
    text = _(
        "Baseline %(baseline)s on %(baseline_date)s, target %(target)s on "
        "%(target_date)s."
    ) % {
        "baseline": f"{number(indicator.baseline_value)} {unit}".strip(),
        "baseline_date": date_format(indicator.baseline_date, "SHORT_DATE_FORMAT"),
        "target": f"{number(indicator.target_value)} {unit}".strip(),
        "target_date": date_format(indicator.target_date, "SHORT_DATE_FORMAT"),
    }
    if latest is None:
        return text + " " + _("No national values have been recorded yet.")
    return (
        text
        + " "
        + _("The latest national value is %(value)s, for %(period)s.")
        % {
            "value": f"{number(latest.value)} {unit}".strip(),
            "period": periods.period_label(latest.period, indicator.frequency),
        }
    )


def _value_ticks(low: Decimal, high: Decimal) -> tuple[list[Decimal], float, float]:
    """Return round tick values covering low..high, and the axis range they span."""
    low, high = float(low), float(high)
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    raw_step = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    count = round((last - first) / step)
    # Decimal from a rounded string, so that labels read 0,3 and not 0,30000000004.
    places = max(0, -math.floor(math.log10(step)) + 1)
    ticks = [
        Decimal(str(round(first + index * step, places))) for index in range(count + 1)
    ]
    return ticks, first, last


def _year_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    years = list(range(start.year + 1, end.year + 1))
    # At most about eight labels, however long the indicator runs.
    stride = max(1, math.ceil(len(years) / 8))
    return [datetime.date(year, 1, 1) for year in years[::stride]]
