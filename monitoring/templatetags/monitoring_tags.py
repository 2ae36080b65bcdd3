"""Monitoring in any page: `{% load monitoring_tags %}`.

The themes app cannot import monitoring (it sits below it), so its pages show
indicators and progress through these tags:

- `{% indicator_panel subject user %}`: a theme's or a measure's indicators with their
  latest national value and status; for the secretariat, links to add and reorder.
- `{% theme_status_map themes as statuses %}` and `{{ statuses|lookup:theme.pk }}`:
  the roll-up status of each theme of a whole list.
- `{% status_badge item.status|progress_status %}` (with `{% load badges %}`): a
  status, or none (no data), as a badge.
- `{{ value|number }}`, `{{ share|percent }}`, `{{ period|period_label:frequency }}`.
- `{% indicator_charts overview %}`: an indicator's charts as images.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format

from alliance.numbers import with_minus_sign
from monitoring import charts, periods
from monitoring.permissions import can_edit_indicators, can_view_monitoring
from monitoring.selectors import (
    IndicatorOverview,
    ProgressStatus,
    indicator_subject_progress,
    theme_statuses,
)
from themes.models import Theme

register = template.Library()


@register.filter
def number(value):
    """Show a decimal without the stored trailing zeros: 1 234,5 in Finnish, −5."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return with_minus_sign(
        number_format(value, decimal_pos=places, force_grouping=True)
    )


@register.filter
def percent(share):
    """Show a share (0.45) as a whole percentage (45 %)."""
    if share is None:
        return ""
    # number_format cuts off decimals; round first, so that 0.456 reads 46 %.
    whole = (Decimal(share) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return with_minus_sign(number_format(whole, decimal_pos=0)) + "\u00a0%"


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


@register.filter
def progress_status(status):
    """Return a stored progress value, or none, as the status it is (no data).

    For the badge: `{% status_badge item.status|progress_status %}`.
    """
    return ProgressStatus(status or ProgressStatus.NO_DATA)


@register.simple_tag
def theme_status_map(themes):
    """Return {theme pk: roll-up status} for the themes, in one query."""
    return theme_statuses(themes=themes)


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


# The charts of an indicator's page: images drawn by monitoring.charts.


@register.inclusion_tag("monitoring/indicator_charts.html")
def indicator_charts(overview: IndicatorOverview):
    """Show the indicator's charts as images, each with its title and text alternative.

    The numbers are in the page's table of values (id "values-heading").
    """
    indicator = overview.indicator
    figures = []
    for kind in charts.indicator_chart_kinds(indicator):
        chart = charts.indicator_chart(overview=overview, kind=kind)
        figures.append(
            {
                "chart": chart,
                "url": charts.indicator_chart_url(indicator, kind, chart),
                "width": round(chart.width * 96),
                "height": round(chart.height * 96),
            }
        )
    return {"figures": figures}
