"""Reads of the monitoring app: how far indicators, measures and themes have come.

An indicator's progress is read from its latest value, nationally or for one city:

- the share of the way from the baseline to the target, direction-aware (for "lower
  is better" a fall is progress). It may be below 0 (the value moved away from the
  target) or above 1 (the target was overshot). A target that is not beyond the
  baseline ("keep at least this level") counts 1 when the latest value is at least as
  good as the target, otherwise 0.
- the expected share: the share of the time from the baseline date to the target date
  that had passed at the end of the latest value's period (a value describes its
  whole period).
- a status: a reached target is on track; otherwise the share is compared with the
  expected share times the thresholds of settings.MONITORING_PROGRESS_THRESHOLDS.

The list functions evaluate any number of indicators or themes with a fixed number of
queries. Each indicator's national status is also stored on it (`latest_status`,
refreshed by monitoring.services.indicator_status_refresh whenever something it depends
on changes), so that lists filter by status, and roll it up, in SQL.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from alliance.history import edit_token_subquery
from members.models import Organisation, User
from members.permissions import city_group_name, organisations_acted_for
from monitoring.importing import TemplateRow
from monitoring.models import (
    CityReport,
    Indicator,
    Observation,
    ProgressStatus,
    ReportingRound,
    StatusThresholds,
)
from monitoring.periods import period_end
from monitoring.permissions import (
    can_record_national,
    can_view_monitoring,
    recordable_cities,
)
from themes.models import Measure, Theme

DEFAULT_THRESHOLDS = {"on_track": 0.7, "at_risk": 0.4}
_ZERO = Decimal(0)
_ONE = Decimal(1)


# From the best to the worst; a roll-up takes the worst status of its indicators.
_SEVERITY = [ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK, ProgressStatus.OFF_TRACK]


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator's latest value and how far it has come, nationally or for a city."""

    indicator: Indicator
    city: Organisation | None
    latest: Observation | None
    share: Decimal | None
    expected_share: Decimal | None
    status: ProgressStatus

    @property
    def value(self) -> Decimal | None:
        return None if self.latest is None else self.latest.value

    @property
    def period(self) -> datetime.date | None:
        return None if self.latest is None else self.latest.period

    @property
    def change(self) -> Decimal | None:
        """Return the latest value minus the baseline (not direction-aware)."""
        if self.latest is None:
            return None
        return self.latest.value - self.indicator.baseline_value

    @property
    def reached(self) -> bool:
        return self.share is not None and self.share >= _ONE

    @property
    def share_capped(self) -> Decimal | None:
        """Return the share limited to 0..1, as a progress bar shows it."""
        return None if self.share is None else _clamp(self.share)


@dataclass(frozen=True)
class ProgressSummary:
    """The roll-up of a theme's indicators, those of its measures included."""

    subject: Theme
    items: tuple[IndicatorProgress, ...]
    status: ProgressStatus
    mean_share: Decimal | None
    counts: Mapping[str, int]


def progress_thresholds() -> dict[str, Decimal]:
    """Return the secretariat's status thresholds, or the defaults from settings."""
    return thresholds_of(StatusThresholds.objects.first())


def thresholds_of(row: StatusThresholds | None) -> dict[str, Decimal]:
    """Return the thresholds of a row of StatusThresholds, or the defaults without."""
    if row is not None:
        return {"on_track": row.on_track, "at_risk": row.at_risk}
    configured = getattr(settings, "MONITORING_PROGRESS_THRESHOLDS", {})
    return {
        key: Decimal(str(configured.get(key, default)))
        for key, default in DEFAULT_THRESHOLDS.items()
    }


def indicator_share(*, indicator: Indicator, value: Decimal) -> Decimal:
    """Return the share of the way from the baseline to the target that `value` is."""
    gain = value - indicator.baseline_value
    way = indicator.target_value - indicator.baseline_value
    if indicator.direction == Indicator.Direction.LOWER_IS_BETTER:
        gain, way = -gain, -way
    if way > 0:
        return gain / way
    # The target is no further than the baseline: it is a level to keep.
    at_least_as_good = (
        value >= indicator.target_value
        if indicator.direction == Indicator.Direction.HIGHER_IS_BETTER
        else value <= indicator.target_value
    )
    return _ONE if at_least_as_good else _ZERO


def indicator_expected_share(*, indicator: Indicator, on: datetime.date) -> Decimal:
    """Return the share of the time from the baseline to the target passed on `on`."""
    total = (indicator.target_date - indicator.baseline_date).days
    passed = (on - indicator.baseline_date).days
    return _clamp(Decimal(passed) / Decimal(total))


def progress_status(
    *,
    share: Decimal | None,
    expected_share: Decimal | None,
    thresholds: Mapping[str, Decimal] | None = None,
) -> ProgressStatus:
    """Return the status of a share against the expected share."""
    if share is None or expected_share is None:
        return ProgressStatus.NO_DATA
    if share >= _ONE:
        return ProgressStatus.ON_TRACK
    if expected_share >= _ONE:
        # The target date has passed without the target being reached.
        return ProgressStatus.OFF_TRACK
    thresholds = thresholds or progress_thresholds()
    if share >= Decimal(str(thresholds["on_track"])) * expected_share:
        return ProgressStatus.ON_TRACK
    if share >= Decimal(str(thresholds["at_risk"])) * expected_share:
        return ProgressStatus.AT_RISK
    return ProgressStatus.OFF_TRACK


def indicator_progress_list(
    *,
    indicators: Iterable[Indicator],
    city: Organisation | None = None,
    on: datetime.date | None = None,
    thresholds: Mapping[str, Decimal] | None = None,
) -> list[IndicatorProgress]:
    """Return the progress of each indicator, in the given order, in two queries.

    Without a city the national values are read, with one that city's values. With
    `on`, values of periods starting after that day are left out, so that a report
    shows what was known then.
    """
    # An unsliced queryset is read again as a subquery, so that the values are read
    # even for no indicator and a page's query count does not depend on its data.
    chosen = (
        indicators.values("pk")
        if isinstance(indicators, models.QuerySet) and not indicators.query.is_sliced
        else None
    )
    indicators = list(indicators)
    latest = _latest_observations(
        indicator_ids=[indicator.pk for indicator in indicators]
        if chosen is None
        else chosen,
        city=city,
        on=on,
    )
    thresholds = thresholds or progress_thresholds()
    for indicator in indicators:
        if indicator.pk in latest:
            # Spares a query per row where the observation's indicator is shown.
            latest[indicator.pk].indicator = indicator
    return [
        _evaluate(
            indicator=indicator,
            city=city,
            latest=latest.get(indicator.pk),
            thresholds=thresholds,
        )
        for indicator in indicators
    ]


def theme_progress_list(
    *,
    themes: Iterable[Theme],
    city: Organisation | None = None,
    on: datetime.date | None = None,
    thresholds: Mapping[str, Decimal] | None = None,
) -> list[ProgressSummary]:
    """Return the roll-up of each theme, its measures' indicators included.

    Three queries at most, however many themes; for a city only the indicators
    reported per city count.
    """
    themes = list(themes)
    theme_ids = [theme.pk for theme in themes]
    indicators = (
        Indicator.objects.filter(
            Q(theme_id__in=theme_ids) | Q(measure__theme_id__in=theme_ids)
        )
        .annotate(owner_id=Coalesce("theme_id", "measure__theme_id"))
        # The theme's own indicators first, then those of its measures.
        .order_by(
            F("measure__order").asc(nulls_first=True),
            "measure_id",
            "order",
            "name",
            "pk",
        )
    )
    return _summaries(
        subjects=themes, indicators=indicators, city=city, on=on, thresholds=thresholds
    )


def _summaries(*, subjects, indicators, city, on, thresholds) -> list[ProgressSummary]:
    if city is not None:
        indicators = indicators.filter(reported_per_city=True)
    items = indicator_progress_list(
        indicators=indicators if subjects else [],
        city=city,
        on=on,
        thresholds=thresholds,
    )
    by_owner: dict[int, list[IndicatorProgress]] = {}
    for item in items:
        by_owner.setdefault(item.indicator.owner_id, []).append(item)
    return [
        _summary(subject=subject, items=by_owner.get(subject.pk, []))
        for subject in subjects
    ]


def _summary(*, subject, items: list[IndicatorProgress]) -> ProgressSummary:
    counts = Counter(item.status for item in items)
    with_data = [item for item in items if item.status != ProgressStatus.NO_DATA]
    if with_data:
        # Capped, so that one overshot target does not hide another's lag.
        mean_share = sum(item.share_capped for item in with_data) / len(with_data)
    else:
        mean_share = None
    return ProgressSummary(
        subject=subject,
        items=tuple(items),
        status=_worst(item.status for item in items),
        mean_share=mean_share,
        counts={each.value: counts.get(each, 0) for each in ProgressStatus},
    )


def _worst(statuses: Iterable[str]) -> ProgressStatus:
    """Return the worst of the statuses with data; no data when none has any."""
    with_data = [status for status in statuses if status != ProgressStatus.NO_DATA]
    if not with_data:
        return ProgressStatus.NO_DATA
    return ProgressStatus(max(with_data, key=_SEVERITY.index))


def theme_statuses(*, themes: Iterable[Theme]) -> dict[int, ProgressStatus]:
    """Return each theme's roll-up status, read from the stored statuses in one query.

    The status theme_progress_list gives, its measures' indicators included, without
    reading a single value.
    """
    theme_ids = [theme.pk for theme in themes]
    found: dict[int, list[str]] = {pk: [] for pk in theme_ids}
    rows = (
        Indicator.objects.filter(
            Q(theme_id__in=theme_ids) | Q(measure__theme_id__in=theme_ids)
        )
        .annotate(owner_id=Coalesce("theme_id", "measure__theme_id"))
        .values_list("owner_id", "latest_status")
        .distinct()
        .order_by()
    )
    for owner_id, status in rows:
        found[owner_id].append(status)
    return {pk: _worst(statuses) for pk, statuses in found.items()}


def _latest_observations(
    *,
    indicator_ids: list[int] | models.QuerySet,
    city: Organisation | None,
    on: datetime.date | None,
) -> dict[int, Observation]:
    """Return each indicator's latest observation, in one query (none for no ids)."""
    observations = Observation.objects.filter(indicator_id__in=indicator_ids)
    if city is None:
        observations = observations.filter(city__isnull=True)
    else:
        observations = observations.filter(city=city)
    if on is not None:
        observations = observations.filter(period__lte=on)
    latest = observations.annotate(
        rank=Window(
            RowNumber(), partition_by=[F("indicator_id")], order_by=F("period").desc()
        )
    ).filter(rank=1)
    return {observation.indicator_id: observation for observation in latest}


def indicator_status(
    *, indicator, latest, thresholds: Mapping[str, Decimal]
) -> ProgressStatus:
    """Return an indicator's status when `latest` (or None) is its latest value."""
    return _evaluate(
        indicator=indicator, city=None, latest=latest, thresholds=thresholds
    ).status


def _evaluate(*, indicator, city, latest, thresholds) -> IndicatorProgress:
    if latest is None:
        share = expected_share = None
    else:
        share = indicator_share(indicator=indicator, value=latest.value)
        expected_share = indicator_expected_share(
            indicator=indicator, on=period_end(latest.period, indicator.frequency)
        )
    return IndicatorProgress(
        indicator=indicator,
        city=city,
        latest=latest,
        share=share,
        expected_share=expected_share,
        status=progress_status(
            share=share, expected_share=expected_share, thresholds=thresholds
        ),
    )


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, _ZERO), _ONE)


# What a person may see: one selector per rule of monitoring.permissions.


def indicator_visible(*, user) -> models.QuerySet[Indicator]:
    """Return the indicators `user` may see (the rule of can_view_indicator)."""
    if not can_view_monitoring(user):
        return Indicator.objects.none()
    return Indicator.objects.all()


def observation_visible(*, user) -> models.QuerySet[Observation]:
    """Return the values `user` may see: every value of an indicator they may see."""
    if not can_view_monitoring(user):
        return Observation.objects.none()
    return Observation.objects.filter(indicator__in=indicator_visible(user=user))


# The pages of the monitoring app.


def indicator_list(
    *, user=None, theme: Theme | None = None, status: str | None = None
) -> models.QuerySet[Indicator]:
    """Return the indicators of the list, filtered by their stored status in SQL.

    With a user, only the indicators they may see; with a theme, only its
    indicators and those of its measures; with a status, only the indicators whose
    latest national value has it. Ordered by theme, then each theme's own indicators
    before those of its measures.
    """
    visible = Indicator.objects if user is None else indicator_visible(user=user)
    indicators = visible.select_related(
        "theme", "measure__theme", "responsible_organisation"
    ).order_by(
        Coalesce("theme__order", "measure__theme__order"),
        Coalesce("theme_id", "measure__theme_id"),
        F("measure__order").asc(nulls_first=True),
        "measure_id",
        "order",
        "name",
        "pk",
    )
    if theme is not None:
        indicators = indicators.filter(Q(theme=theme) | Q(measure__theme=theme))
    if status:
        indicators = indicators.filter(latest_status=status)
    return indicators


def indicator_list_progress(
    *,
    user=None,
    theme: Theme | None = None,
    status: str | None = None,
    on: datetime.date | None = None,
) -> list[IndicatorProgress]:
    """Return the national progress of every indicator of the list, in four queries.

    As indicator_list filters them; with `on`, the status is the one known on that
    day, so it is worked out from the values rather than read from the stored one.
    """
    if on is None:
        return indicator_progress_list(
            indicators=indicator_list(user=user, theme=theme, status=status)
        )
    items = indicator_progress_list(
        indicators=indicator_list(user=user, theme=theme), on=on
    )
    if status:
        items = [item for item in items if item.status == status]
    return items


def indicator_subject_progress(
    *, subject: Theme | Measure, on: datetime.date | None = None
) -> list[IndicatorProgress]:
    """Return the national progress of a theme's or a measure's own indicators."""
    return indicator_progress_list(
        indicators=subject.indicators.select_related("responsible_organisation"),
        on=on,
    )


def city_get(*, slug: str) -> Organisation:
    """Return the city with the slug, or raise Organisation.DoesNotExist."""
    return Organisation.objects.get(kind=Organisation.Kind.CITY, slug=slug)


def city_progress(
    *, city: Organisation, on: datetime.date | None = None
) -> list[IndicatorProgress]:
    """Return the city's progress on every indicator reported per city, in 3 queries.

    In the order of the indicator list: by theme, a theme's own indicators first.
    """
    indicators = (
        Indicator.objects.filter(reported_per_city=True)
        .select_related("theme", "measure__theme")
        .order_by(
            Coalesce("theme__order", "measure__theme__order"),
            Coalesce("theme_id", "measure__theme_id"),
            F("measure__order").asc(nulls_first=True),
            "measure_id",
            "order",
            "name",
            "pk",
        )
    )
    return indicator_progress_list(indicators=indicators, city=city, on=on)


def indicator_get(*, pk: int) -> Indicator:
    """Return the indicator with what its page shows about it, or raise DoesNotExist."""
    return Indicator.objects.select_related(
        "theme", "measure__theme", "responsible_organisation"
    ).get(pk=pk)


@dataclass(frozen=True)
class ObservationRow:
    """One period of the observation table: a cell per column, None where empty."""

    period: datetime.date
    cells: tuple[Observation | None, ...]


@dataclass(frozen=True)
class IndicatorOverview:
    """What an indicator's page shows of its values, in three queries."""

    indicator: Indicator
    # None is the national column; the cities follow for indicators reported per city.
    columns: tuple[Organisation | None, ...]
    # The newest period first.
    rows: tuple[ObservationRow, ...]
    # The national values, the oldest first, for the chart.
    national: tuple[Observation, ...]
    # The progress of each column, in the order of the columns.
    progress: tuple[IndicatorProgress, ...]


def indicator_overview(
    *,
    indicator: Indicator,
    on: datetime.date | None = None,
    thresholds: Mapping[str, Decimal] | None = None,
) -> IndicatorOverview:
    """Return an indicator's values by period and column, and each column's progress.

    Reads every value of the indicator once and works out the progress from them,
    so the number of queries does not grow with the values or the cities.
    """
    columns: list[Organisation | None] = [None]
    if indicator.reported_per_city:
        columns += list(Organisation.objects.filter(kind=Organisation.Kind.CITY))
    city_ids = {city.pk for city in columns if city is not None}
    observations = [
        observation
        for observation in indicator.observations.order_by("period", "pk")
        if observation.city_id is None or observation.city_id in city_ids
    ]
    by_period: dict[datetime.date, dict[int | None, Observation]] = {}
    for observation in observations:
        # Spares a query for each value whose period label is shown.
        observation.indicator = indicator
        by_period.setdefault(observation.period, {})[observation.city_id] = observation
    rows = tuple(
        ObservationRow(
            period=period,
            cells=tuple(
                cells.get(None if city is None else city.pk) for city in columns
            ),
        )
        for period, cells in sorted(by_period.items(), reverse=True)
    )
    thresholds = thresholds or progress_thresholds()
    progress = []
    for index, city in enumerate(columns):
        latest = next(
            (
                row.cells[index]
                for row in rows
                if row.cells[index] is not None and (on is None or row.period <= on)
            ),
            None,
        )
        progress.append(
            _evaluate(
                indicator=indicator, city=city, latest=latest, thresholds=thresholds
            )
        )
    return IndicatorOverview(
        indicator=indicator,
        columns=tuple(columns),
        rows=rows,
        national=tuple(o for o in observations if o.city_id is None),
        progress=tuple(progress),
    )


def observations_of_period(
    *, indicator: Indicator, period: datetime.date
) -> dict[int | None, Observation]:
    """Return the values recorded for one period, by city id (None: national)."""
    return {
        observation.city_id: observation
        for observation in indicator.observations.filter(period=period)
    }


# Reporting rounds: what each city has reported for a round's period, and what not.
# A value is "in" when the city has one for the round's indicator and period, whoever
# entered it and however (the round page, the indicator page, an import); "missing"
# until then; "late" when still missing after the due date.


class RoundCell(models.TextChoices):
    IN = "in", _("In")
    MISSING = "missing", _("Missing")
    LATE = "late", _("Late")


def round_get(*, pk: int) -> ReportingRound:
    """Return the round with who opened and closed it, or raise DoesNotExist."""
    return ReportingRound.objects.select_related("opened_by", "closed_by").get(pk=pk)


def rounds_list() -> models.QuerySet[ReportingRound]:
    """Return every round, the newest period first, with its number of indicators."""
    return ReportingRound.objects.annotate(
        indicator_count=models.Count("indicators", distinct=True)
    ).order_by("-period", "frequency", "pk")


def round_indicators(*, round: ReportingRound) -> list[Indicator]:
    """Return the round's indicators in the order of the indicator list."""
    return list(
        round.indicators.select_related("theme", "measure").order_by(
            "order", "name", "pk"
        )
    )


def round_is_late(*, round: ReportingRound, today: datetime.date) -> bool:
    return today > round.due_date


@dataclass(frozen=True)
class RoundCityRow:
    """One city's line of the round table: a cell per indicator, and its report."""

    city: Organisation
    cells: tuple[str, ...]
    report: CityReport | None

    @property
    def missing_count(self) -> int:
        return sum(1 for cell in self.cells if cell != RoundCell.IN)

    @property
    def is_complete(self) -> bool:
        return self.report is not None and self.report.is_complete


@dataclass(frozen=True)
class RoundTable:
    """The round's cities × indicators, in a fixed number of queries."""

    round: ReportingRound
    indicators: tuple[Indicator, ...]
    rows: tuple[RoundCityRow, ...]
    is_late: bool

    @property
    def complete_count(self) -> int:
        return sum(1 for row in self.rows if row.is_complete)


def _round_cells(*, indicators, city_id, recorded: set, late: bool) -> tuple[str, ...]:
    absent = RoundCell.LATE if late else RoundCell.MISSING
    return tuple(
        RoundCell.IN if (indicator.pk, city_id) in recorded else absent
        for indicator in indicators
    )


def _recorded(*, round: ReportingRound, indicators, cities) -> set[tuple[int, int]]:
    return set(
        Observation.objects.filter(
            indicator__in=[indicator.pk for indicator in indicators],
            city__in=[city.pk for city in cities],
            period=round.period,
        ).values_list("indicator_id", "city_id")
    )


def round_table(*, round: ReportingRound, today: datetime.date) -> RoundTable:
    """Return every city's cells of the round, and whether it is past its due date."""
    indicators = round_indicators(round=round)
    cities = list(Organisation.objects.filter(kind=Organisation.Kind.CITY))
    recorded = _recorded(round=round, indicators=indicators, cities=cities)
    reports = {
        report.city_id: report
        for report in CityReport.objects.filter(round=round).select_related(
            "completed_by"
        )
    }
    late = round_is_late(round=round, today=today)
    rows = tuple(
        RoundCityRow(
            city=city,
            cells=_round_cells(
                indicators=indicators, city_id=city.pk, recorded=recorded, late=late
            ),
            report=reports.get(city.pk),
        )
        for city in cities
    )
    return RoundTable(
        round=round, indicators=tuple(indicators), rows=rows, is_late=late
    )


@dataclass(frozen=True)
class CityRoundValue:
    """One of the round's indicators on a city's page: its value, if any."""

    indicator: Indicator
    observation: Observation | None
    # The edit token of the value (its latest history entry), "0" for none yet.
    token: str

    @property
    def is_missing(self) -> bool:
        return self.observation is None


def city_round_indicators(
    *,
    round: ReportingRound,
    city: Organisation,
    theme_id: int | None = None,
    missing_only: bool = False,
) -> models.QuerySet[Indicator]:
    """Return the round's indicators in the order of the indicator list, for a page.

    With `theme_id`, only the theme's own indicators and its measures'; with
    `missing_only`, only those for which the city has no value of the round yet.
    """
    indicators = round.indicators.order_by("order", "name", "pk")
    if theme_id is not None:
        indicators = indicators.filter(
            Q(theme_id=theme_id) | Q(measure__theme_id=theme_id)
        )
    if missing_only:
        indicators = indicators.exclude(
            Exists(
                _city_round_observations(
                    round=round, city=city, indicator=OuterRef("pk")
                )
            )
        )
    return indicators


def _city_round_observations(*, round: ReportingRound, city: Organisation, **lookups):
    return Observation.objects.filter(city=city, period=round.period, **lookups)


def city_round_values(
    *,
    round: ReportingRound,
    city: Organisation,
    indicators: Iterable[Indicator] | None = None,
) -> list[CityRoundValue]:
    """Return the city's value of each of the indicators, with edit tokens.

    The indicators are the round's (all of them unless given, in the given order).
    Two queries however many indicators: the edit token is read with each value.
    """
    indicators = (
        round_indicators(round=round) if indicators is None else list(indicators)
    )
    observations = {
        observation.indicator_id: observation
        for observation in _city_round_observations(
            round=round,
            city=city,
            indicator__in=[indicator.pk for indicator in indicators],
        )
        .select_related("entered_by")
        .annotate(token=edit_token_subquery(Observation))
    }
    values = []
    for indicator in indicators:
        observation = observations.get(indicator.pk)
        if observation is not None:
            observation.indicator = indicator
            observation.city = city
        values.append(
            CityRoundValue(
                indicator=indicator,
                observation=observation,
                token=str(observation.token or 0) if observation else "0",
            )
        )
    return values


def observation_versions(*, tokens) -> dict[str, tuple]:
    """Return the value and note each edit token (digits) stood for (one query).

    A token is the id of a value's history entry; a page that showed the value sends
    it back, so this is what the person saw, whatever was saved since.
    """
    ids = {int(token) for token in tokens} - {0}
    return {
        str(history_id): (value, note)
        for history_id, value, note in Observation.history.filter(
            history_id__in=ids
        ).values_list("history_id", "value", "note")
    }


def city_round_missing_count(
    *, round: ReportingRound, city: Organisation
) -> tuple[int, int]:
    """Return how many of the round's values the city has not reported, and of how many.

    In one query.
    """
    counts = round.indicators.annotate(
        reported=Exists(
            _city_round_observations(round=round, city=city, indicator=OuterRef("pk"))
        )
    ).aggregate(total=Count("pk"), missing=Count("pk", filter=Q(reported=False)))
    return counts["missing"], counts["total"]


def city_round_missing(*, round: ReportingRound, city: Organisation) -> list[Indicator]:
    """Return the round's indicators for which the city has no value yet."""
    return list(city_round_indicators(round=round, city=city, missing_only=True))


def city_report_get(*, round: ReportingRound, city: Organisation) -> CityReport | None:
    return (
        CityReport.objects.filter(round=round, city=city)
        .select_related("completed_by")
        .first()
    )


@dataclass(frozen=True)
class CityRoundDebt:
    """What a city still owes for an open round: shown on its people's dashboard."""

    round: ReportingRound
    city: Organisation
    missing_count: int
    is_late: bool


def rounds_owed(*, cities, today: datetime.date) -> list[CityRoundDebt]:
    """Return, for each open round and each of `cities`, what the city still owes.

    A city whose report is complete owes nothing (it may have confirmed that some
    values cannot be reported) and is left out. Four queries however many rounds and
    cities.
    """
    cities = list(cities)
    rounds = list(
        ReportingRound.objects.filter(status=ReportingRound.Status.OPEN).order_by(
            "due_date", "pk"
        )
    )
    if not rounds or not cities:
        return []
    covered = {}
    for (
        round_id,
        indicator_id,
        period,
    ) in ReportingRound.indicators.through.objects.filter(
        reportinground__in=rounds
    ).values_list("reportinground_id", "indicator_id", "reportinground__period"):
        covered.setdefault(round_id, set()).add((indicator_id, period))
    recorded = set(
        Observation.objects.filter(
            indicator__in={
                indicator_id
                for pairs in covered.values()
                for indicator_id, _period in pairs
            },
            period__in={round.period for round in rounds},
            city__in=[city.pk for city in cities],
        ).values_list("indicator_id", "period", "city_id")
    )
    completed = set(
        CityReport.objects.filter(
            round__in=rounds, city__in=cities, completed_at__isnull=False
        ).values_list("round_id", "city_id")
    )
    debts = []
    for round in rounds:
        for city in cities:
            missing = sum(
                1
                for indicator_id, period in covered.get(round.pk, ())
                if (indicator_id, period, city.pk) not in recorded
            )
            if (round.pk, city.pk) in completed:
                continue
            debts.append(
                CityRoundDebt(
                    round=round,
                    city=city,
                    missing_count=missing,
                    is_late=round_is_late(round=round, today=today),
                )
            )
    return debts


def rounds_owed_by_user(*, user, today: datetime.date) -> list[CityRoundDebt]:
    """Return what the cities the user acts for still owe for the open rounds."""
    return rounds_owed(
        cities=organisations_acted_for(user).filter(kind=Organisation.Kind.CITY),
        today=today,
    )


def city_representatives(*, cities) -> dict[int, list[User]]:
    """Return the active users with an address in each city's group, by city id."""
    by_group = {city_group_name(city): city.pk for city in cities}
    representatives: dict[int, list[User]] = {pk: [] for pk in by_group.values()}
    users = (
        User.objects.filter(is_active=True, groups__name__in=list(by_group))
        .exclude(email="")
        .annotate(group_name=F("groups__name"))
        .order_by("last_name", "first_name", "pk")
    )
    for user in users:
        representatives[by_group[user.group_name]].append(user)
    return representatives


# Importing values and the import templates


def observation_edit_tokens(*, ids) -> dict[int, str]:
    """Return each value's edit token (its latest history id), in one query.

    A value without history has the token "0", as alliance.history.edit_token says.
    """
    ids = list(ids)
    latest = (
        Observation.history.model.objects.filter(id__in=ids)
        .values("id")
        .annotate(latest=Max("history_id"))
        .values_list("id", "latest")
    )
    tokens = dict.fromkeys(ids, "0")
    tokens.update({pk: str(history_id) for pk, history_id in latest})
    return tokens


def template_indicators(
    *, theme: Theme | None = None, round: ReportingRound | None = None
) -> list[Indicator]:
    """Return the indicators of a template: a round's, a theme's (its measures' too)
    or all; with both, the round's indicators of the theme."""
    indicators = Indicator.objects.select_related("theme", "measure__theme")
    if round is not None:
        indicators = indicators.filter(reporting_rounds=round)
    if theme is not None:
        indicators = indicators.filter(Q(theme=theme) | Q(measure__theme=theme))
    return list(
        indicators.order_by(
            Coalesce("theme__order", "measure__theme__order"),
            Coalesce("theme_id", "measure__theme_id"),
            F("measure__order").asc(nulls_first=True),
            "order",
            "pk",
        )
    )


def import_template_rows(
    *, user, indicators: Iterable[Indicator], period: tuple[str, str] | None = None
) -> list[TemplateRow]:
    """Return the template's rows: each value of `indicators` the user may record.

    `period` is a (frequency, label) pair written on the rows of the indicators of
    that frequency; the others are left for the person to fill in.
    """
    indicators = list(indicators)
    # The cities are the same for every indicator reported per city: read them once.
    per_city = next((i for i in indicators if i.reported_per_city), None)
    cities = list(recordable_cities(user, per_city)) if per_city else []
    rows = []
    for indicator in indicators:
        label = period[1] if period and period[0] == indicator.frequency else ""
        national = can_record_national(user, indicator)
        units = ([None] if national else []) + (
            cities if indicator.reported_per_city else []
        )
        rows += [
            TemplateRow(
                indicator_id=indicator.pk,
                name=indicator.name,
                unit=indicator.unit,
                period=label,
                city=city.name if city else "",
            )
            for city in units
        ]
    return rows
