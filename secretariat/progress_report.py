"""The progress report (Seurantaraportti): monitoring's data and charts as a document.

A report has a scope (every theme, one theme or one city) and a period (a year, a
quarter or a month, typed as 2024, 2024-Q1 or 2024-03), and shows what was known at the
end of the period: a cover with the scope, the period and the date; the secretariat's
foreword; a summary table by theme (status counts, and the trend since the period
before); each indicator with one chart and its latest values by city; the measures'
status and the milestones due or missed in the period; and the reporting rounds of the
period, each city's completeness.

The context is plain data, so that the same data gives the same content key (see
`secretariat.documents`). Each indicator's chart is monitoring's
`indicator_series_chart`, the one its page shows, drawn from the values read for the
report; the charts are given to the renderer beside the context under their keys (a
hash of what each draws), and their image comes from the cache, so that a report made
again draws only the charts whose data changed.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.charts import Chart, svg_cached
from alliance.services import JobError
from members.models import Body, Organisation
from monitoring import selectors as monitoring
from monitoring.charts import indicator_series_chart
from monitoring.models import Indicator, Observation, ReportingRound
from monitoring.parsing import parse_period
from monitoring.periods import Frequency, period_end, period_label
from monitoring.templatetags.monitoring_tags import number, percent
from secretariat.documents import DOCUMENT_TYPES, Document, document_header
from themes.models import Measure, Milestone, Theme
from themes.selectors import measure_is_late

TEMPLATE = ("pdf/progress_report.html", 1)
FOREWORD_MAX_LENGTH = 5000


class Scope:
    ALL = "all"
    THEME = "theme"
    CITY = "city"
    CHOICES = (ALL, THEME, CITY)


@dataclass(frozen=True)
class ReportPeriod:
    """A year, a quarter or a month: its label and its first and last days."""

    label: str
    start: datetime.date
    end: datetime.date
    frequency: str


def report_period(text: str) -> ReportPeriod:
    """Return the period typed as 2024, 2024-Q1 or 2024-03; raise ValidationError."""
    start = parse_period(text)
    for frequency in (Frequency.YEARLY, Frequency.QUARTERLY, Frequency.MONTHLY):
        try:
            parse_period(text, frequency=frequency)
        except ValidationError:
            continue
        return ReportPeriod(
            label=period_label(start, frequency),
            start=start,
            end=period_end(start, frequency),
            frequency=frequency,
        )
    raise ValidationError(_("Enter a year, a quarter or a month."), code="invalid")


@dataclass(frozen=True)
class ReportScope:
    kind: str
    theme: Theme | None = None
    city: Organisation | None = None

    def label(self) -> str:
        if self.kind == Scope.THEME:
            return _("Theme: %(theme)s") % {"theme": self.theme.title}
        if self.kind == Scope.CITY:
            return _("City: %(city)s") % {"city": self.city.name}
        return _("All themes")


def report_scope(
    *, kind: str, theme_id: int | None = None, city_id: int | None = None
) -> ReportScope:
    """Return the scope named by ids, or raise JobError when a row no longer exists."""
    if kind == Scope.THEME:
        theme = Theme.objects.filter(pk=theme_id).first()
        if theme is None:
            raise JobError(_("The theme no longer exists."))
        return ReportScope(kind=kind, theme=theme)
    if kind == Scope.CITY:
        city = Organisation.objects.filter(
            pk=city_id, kind=Organisation.Kind.CITY
        ).first()
        if city is None:
            raise JobError(_("The city no longer exists."))
        return ReportScope(kind=kind, city=city)
    if kind != Scope.ALL:
        raise JobError(_("Unknown scope."))
    return ReportScope(kind=Scope.ALL)


# The parts of the report


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _themes(scope: ReportScope) -> list[Theme]:
    themes = Theme.objects.order_by("order", "title", "pk")
    if scope.kind == Scope.THEME:
        themes = themes.filter(pk=scope.theme.pk)
    return list(themes)


def _indicators(scope: ReportScope, period: ReportPeriod) -> list:
    items = monitoring.indicator_list_progress(
        theme=scope.theme if scope.kind == Scope.THEME else None, on=period.end
    )
    if scope.kind == Scope.CITY:
        items = [item for item in items if item.indicator.reported_per_city]
    return items


def _cities(scope: ReportScope) -> list[Organisation]:
    if scope.kind == Scope.CITY:
        return [scope.city]
    return list(Organisation.objects.filter(kind=Organisation.Kind.CITY))


def _trend(now, before) -> str:
    if now is None or before is None:
        return "none"
    if now > before:
        return "up"
    if now < before:
        return "down"
    return "same"


_TREND_SYMBOLS = {"up": "↑", "down": "↓", "same": "→", "none": "–"}


def _summary(scope: ReportScope, period: ReportPeriod, themes, thresholds) -> list:
    city = scope.city if scope.kind == Scope.CITY else None
    now = monitoring.theme_progress_list(
        themes=themes, city=city, on=period.end, thresholds=thresholds
    )
    before = monitoring.theme_progress_list(
        themes=themes,
        city=city,
        on=period.start - datetime.timedelta(days=1),
        thresholds=thresholds,
    )
    trend_names = {
        "up": _("improved"),
        "down": _("weakened"),
        "same": _("unchanged"),
        "none": _("no comparison"),
    }
    rows = []
    for summary, earlier in zip(now, before, strict=True):
        trend = _trend(summary.mean_share, earlier.mean_share)
        rows.append(
            {
                "theme": summary.subject.title,
                "status": str(monitoring.ProgressStatus(summary.status).label),
                "counts": [
                    summary.counts[status.value] for status in monitoring.ProgressStatus
                ],
                "mean_share": percent(summary.mean_share),
                "trend": trend,
                "trend_symbol": _TREND_SYMBOLS[trend],
                "trend_name": trend_names[trend],
            }
        )
    return rows


def _status_of(indicator: Indicator, latest: Observation | None, thresholds) -> str:
    if latest is None:
        return monitoring.ProgressStatus.NO_DATA
    share = monitoring.indicator_share(indicator=indicator, value=latest.value)
    expected = monitoring.indicator_expected_share(
        indicator=indicator, on=period_end(latest.period, indicator.frequency)
    )
    return monitoring.progress_status(
        share=share, expected_share=expected, thresholds=thresholds
    )


# The report's charts are embedded as images: WeasyPrint draws an SVG chart node by
# node (some 800 nodes for an indicator of seven series), which made a report of 100
# indicators twice as slow to lay out. JPEG rather than PNG, as WeasyPrint embeds a
# JPEG as it is but decodes and compresses a PNG again (see Chart.jpeg). The chart's
# text alternative and the table of its numbers beside it carry what it shows.
CHART_DPI = 150


class CachedChart:
    """A chart served to the PDF as an image from the cache (drawn once per key)."""

    raster_type = "image/jpeg"

    def __init__(self, chart: Chart):
        self.chart = chart

    @property
    def cache_key(self) -> str:
        return f"alliance.charts:jpeg{CHART_DPI}:{self.chart.key}"

    def raster(self) -> bytes:
        data = cache.get(self.cache_key)
        if data is None:
            data = self.chart.jpeg(dpi=CHART_DPI)
            cache.set(self.cache_key, data, 7 * 24 * 3600)
        return data

    def svg(self) -> bytes:
        return svg_cached(self.chart)


def _indicator_sections(
    *, items, cities, scope: ReportScope, period: ReportPeriod, thresholds
):
    """Return each indicator's section and its chart, from one query of values."""
    ids = [item.indicator.pk for item in items]
    cities_by_id = {city.pk: city for city in cities}
    city_ids = set(cities_by_id)
    observations = Observation.objects.filter(
        indicator_id__in=ids, period__lte=period.end
    ).order_by("period", "pk")
    if scope.kind == Scope.CITY:
        observations = observations.filter(Q(city__isnull=True) | Q(city=scope.city))
    by_indicator: dict[int, dict[int | None, list[Observation]]] = {}
    for observation in observations:
        if observation.city_id is not None and observation.city_id not in city_ids:
            continue
        by_indicator.setdefault(observation.indicator_id, {}).setdefault(
            observation.city_id, []
        ).append(observation)
    national_name = _("National")
    sections, chart_map = [], {}
    for item in items:
        indicator = item.indicator
        values = by_indicator.get(indicator.pk, {})
        columns: list[tuple[str, int | None]] = [(national_name, None)]
        if indicator.reported_per_city:
            columns += [(city.name, city.pk) for city in cities]
        rows = []
        by_period: dict[datetime.date, dict[int | None, Observation]] = {}
        for label, city_id in columns:
            of_column = values.get(city_id, [])
            for observation in of_column:
                observation.indicator = indicator
                by_period.setdefault(observation.period, {})[city_id] = observation
            latest = of_column[-1] if of_column else None
            status = _status_of(indicator, latest, thresholds)
            rows.append(
                {
                    "name": label,
                    "value": number(latest.value) if latest else "–",
                    "period": period_label(latest.period, indicator.frequency)
                    if latest
                    else "–",
                    "status": str(monitoring.ProgressStatus(status).label),
                    "status_code": str(status),
                }
            )
        # The indicator's one chart, as its page draws it, from the values read.
        column_cities = tuple(
            None if city_id is None else cities_by_id[city_id]
            for _label, city_id in columns
        )
        chart = indicator_series_chart(
            overview=monitoring.IndicatorOverview(
                indicator=indicator,
                columns=column_cities,
                rows=tuple(
                    monitoring.ObservationRow(
                        period=day,
                        cells=tuple(
                            cells.get(None if city is None else city.pk)
                            for city in column_cities
                        ),
                    )
                    for day, cells in sorted(by_period.items(), reverse=True)
                ),
                national=tuple(values.get(None, [])),
                progress=(),
            )
        )
        chart_map[chart.key] = CachedChart(chart)
        owner = indicator.theme or indicator.measure.theme
        sections.append(
            {
                "name": indicator.name,
                "owner": (
                    f"{owner.title} › {indicator.measure.title}"
                    if indicator.measure
                    else owner.title
                ),
                "unit": indicator.unit,
                "baseline": f"{number(indicator.baseline_value)} "
                f"({_day(indicator.baseline_date)})",
                "target": f"{number(indicator.target_value)} "
                f"({_day(indicator.target_date)})",
                "status": str(monitoring.ProgressStatus(item.status).label),
                "chart": chart.key,
                "chart_alt": chart.description,
                "rows": rows,
                # With its chart, a section of more than two rows takes more than half
                # a page, so two of them never share one: the next starts a page of its
                # own rather than being laid out at the foot of this one and moved.
                "over_half_page": len(rows) > 2,
            }
        )
    return sections, chart_map


def _measures(scope: ReportScope, period: ReportPeriod, themes) -> list[dict]:
    measures = Measure.objects.filter(theme__in=themes).select_related(
        "theme", "lead_organisation"
    )
    if scope.kind == Scope.CITY:
        measures = measures.filter(
            Q(lead_organisation=scope.city) | Q(participating_organisations=scope.city)
        ).distinct()
    return [
        {
            "theme": measure.theme.title,
            "title": measure.title,
            "lead": measure.lead_organisation.short_name,
            "status": measure.get_status_display(),
            "progress": f"{measure.progress}\u00a0%",
            "end": _day(measure.end_date) if measure.end_date else "–",
            "late": measure_is_late(measure, today=period.end),
        }
        for measure in measures.order_by("theme__order", "theme_id", "order", "pk")
    ]


def _milestones(scope: ReportScope, period: ReportPeriod, themes) -> list[dict]:
    """The milestones due in the period, and those due before it and not yet done."""
    milestones = (
        Milestone.objects.filter(Q(theme__in=themes) | Q(measure__theme__in=themes))
        .filter(
            Q(due_date__range=(period.start, period.end))
            | Q(due_date__lt=period.start, done_on__isnull=True)
            | Q(due_date__lt=period.start, done_on__gt=period.start)
        )
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")
    )
    if scope.kind == Scope.CITY:
        milestones = milestones.filter(
            Q(measure__lead_organisation=scope.city)
            | Q(measure__participating_organisations=scope.city)
        ).distinct()
    rows = []
    for milestone in milestones:
        done = milestone.done_on is not None and milestone.done_on <= period.end
        if done and milestone.done_on <= milestone.due_date:
            state = _("done on time")
        elif done:
            state = _("done late")
        elif milestone.due_date <= period.end:
            state = _("not reached")
        else:
            state = _("due")
        owner = milestone.theme or milestone.measure.theme
        rows.append(
            {
                "title": milestone.title,
                "of": milestone.measure.title if milestone.measure else owner.title,
                "due": _day(milestone.due_date),
                "done": _day(milestone.done_on) if milestone.done_on else "–",
                "state": state,
                "missed": not done,
            }
        )
    return rows


def _rounds(scope: ReportScope, period: ReportPeriod, indicator_ids, today):
    """Each reporting round of the period: each city's values in and report state."""
    rounds = ReportingRound.objects.filter(
        period__range=(period.start, period.end)
    ).order_by("period", "pk")
    in_scope = set(indicator_ids)
    result = []
    for round in rounds:
        table = monitoring.round_table(round=round, today=today)
        keep = [
            index
            for index, indicator in enumerate(table.indicators)
            if indicator.pk in in_scope
        ]
        rows = []
        for row in table.rows:
            if scope.kind == Scope.CITY and row.city.pk != scope.city.pk:
                continue
            cells = [row.cells[index] for index in keep]
            received = sum(1 for cell in cells if cell == monitoring.RoundCell.IN)
            rows.append(
                {
                    "city": row.city.name,
                    "received": received,
                    "total": len(cells),
                    "complete": row.is_complete,
                    "completed_on": _day(timezone.localtime(row.report.completed_at))
                    if row.is_complete
                    else "",
                    "late": table.is_late and received < len(cells),
                }
            )
        result.append(
            {
                "period": round.period_label,
                "due": _day(round.due_date),
                "status": round.get_status_display(),
                "rows": rows,
            }
        )
    return result


def _unit_name() -> str:
    body = Body.objects.filter(kind=Body.Kind.SECRETARIAT).first()
    return body.name if body is not None else ""


def progress_report_document(
    *,
    scope: ReportScope,
    period: ReportPeriod,
    foreword: str = "",
    language: str = "fi",
    today: datetime.date | None = None,
) -> Document:
    """Assemble the progress report of a scope and a period, in `language`."""
    today = today or timezone.localdate()
    with translation.override(language):
        thresholds = monitoring.progress_thresholds()
        themes = _themes(scope)
        items = _indicators(scope, period)
        cities = _cities(scope)
        sections, chart_map = _indicator_sections(
            items=items,
            cities=cities,
            scope=scope,
            period=period,
            thresholds=thresholds,
        )
        names = DOCUMENT_TYPES["progress_report"]
        document_type = names.get(language, names["fi"])
        scope_label = scope.label()
        period_text = f"{period.label} ({_day(period.start)}–{_day(period.end)})"
        context = {
            "language": language,
            "title": f"{document_type} {period.label} – {scope_label}",
            "header": document_header(
                document_type=document_type,
                number=period.label,
                day=today,
                unit=_unit_name(),
            ),
            "draft": False,
            "cover": {
                "scope": scope_label,
                "period": period_text,
                "date": _day(today),
            },
            "foreword": foreword.strip(),
            "statuses": [str(status.label) for status in monitoring.ProgressStatus],
            "summary": _summary(scope, period, themes, thresholds),
            "indicators": sections,
            "measures": _measures(scope, period, themes),
            "milestones": _milestones(scope, period, themes),
            "rounds": _rounds(
                scope, period, [item.indicator.pk for item in items], today
            ),
        }
    slug = {
        Scope.ALL: "kaikki",
        Scope.THEME: f"teema-{scope.theme.pk}" if scope.theme else "",
        Scope.CITY: scope.city.slug if scope.city else "",
    }[scope.kind]
    return Document(
        name="progress_report",
        template_name=TEMPLATE[0],
        template_version=TEMPLATE[1],
        language=language,
        context=context,
        filename=f"seurantaraportti-{period.label}-{slug}-{language}.pdf",
        charts=chart_map,
    )


def chart_cache_clear(document: Document) -> None:
    """Forget the cached images of a document's charts (the benchmark draws afresh)."""
    cache.delete_many([chart.cache_key for chart in document.charts.values()])
