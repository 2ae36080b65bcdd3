"""Synthetic indicators, their values, reporting rounds and city reports."""

from datetime import date, timedelta
from decimal import Decimal

from alliance.scale import (
    BATCH_SIZE,
    SYNTHETIC,
    TERM_START,
    ScaleContext,
    created_with_history,
    edits_written,
)
from members.models import Organisation
from monitoring.models import CityReport, Indicator, Observation, ReportingRound
from monitoring.services import indicator_status_refresh
from themes.models import Measure, Theme

INDICATORS = 1000
PERIODS = 24
ROUNDS = 24
# The quarters the values cover: six years up to the end of the appointment's term.
FIRST_PERIOD = date(2021, 10, 1)


def _quarters(count: int) -> list[date]:
    return [
        date(
            FIRST_PERIOD.year + (FIRST_PERIOD.month - 1 + 3 * n) // 12,
            (FIRST_PERIOD.month - 1 + 3 * n) % 12 + 1,
            1,
        )
        for n in range(count)
    ]


def monitoring_generate(
    *, context: ScaleContext, themes: list[Theme], measures: list[Measure]
) -> dict[str, int]:
    """Add indicators with the national value and each city's for 24 quarters."""
    rng = context.rng
    cities = list(
        Organisation.objects.filter(kind=Organisation.Kind.CITY).order_by("slug")
    )
    organisations = list(Organisation.objects.order_by("slug"))
    created_at = context.moment(TERM_START)
    indicators = []
    for n in range(context.count(INDICATORS)):
        on_theme = n % 4 == 0
        baseline = Decimal(rng.randrange(100, 100000)) / 10
        indicators.append(
            Indicator(
                theme=themes[n % len(themes)] if on_theme else None,
                measure=None if on_theme else measures[n % len(measures)],
                name=f"{SYNTHETIC} Indicator {n + 1}",
                definition=f"{SYNTHETIC} A generated indicator for benchmarks.",
                unit="persons",
                baseline_value=baseline,
                baseline_date=FIRST_PERIOD,
                target_value=baseline * Decimal("1.2"),
                target_date=date(2027, 12, 31),
                responsible_organisation=rng.choice(organisations),
                reported_per_city=True,
                order=n,
            )
        )
    indicators = created_with_history(
        Indicator, indicators, context=context, at=created_at
    )
    quarters = _quarters(PERIODS)
    series = [None, *cities]
    observations = 0
    batch = []
    for indicator in indicators:
        level = float(indicator.baseline_value)
        for period in quarters:
            level *= 1 + rng.uniform(-0.03, 0.05)
            for city in series:
                share = 1 if city is None else rng.uniform(0.05, 0.3)
                batch.append(
                    Observation(
                        indicator=indicator,
                        period=period,
                        city=city,
                        value=Decimal(f"{level * share:.2f}"),
                        entered_by=context.user,
                    )
                )
        if len(batch) >= BATCH_SIZE * 5:
            observations += len(
                created_with_history(Observation, batch, context=context, at=created_at)
            )
            batch = []
    if batch:
        observations += len(
            created_with_history(Observation, batch, context=context, at=created_at)
        )
    # In bulk, as the values were written: the lists filter by the stored status.
    indicator_status_refresh(indicators=indicators)
    edits = edits_written(
        Indicator,
        context.edited(indicators),
        context=context,
        field="definition",
        values=lambda indicator, k: f"{SYNTHETIC} Definition, revision {k}.",
        since=created_at + timedelta(days=1),
    )
    taken = set(
        ReportingRound.objects.filter(
            frequency=Indicator.Frequency.QUARTERLY
        ).values_list("period", flat=True)
    )
    free = [period for period in quarters if period not in taken]
    rounds = []
    for period in free[: min(len(free), context.count(ROUNDS))]:
        due = period + timedelta(days=120)
        rounds.append(
            ReportingRound(
                period=period,
                frequency=Indicator.Frequency.QUARTERLY,
                due_date=due,
                status=ReportingRound.Status.CLOSED,
                opened_by=context.user,
                closed_by=context.user,
                closed_at=context.moment(due + timedelta(days=14)),
            )
        )
    rounds = created_with_history(
        ReportingRound, rounds, context=context, at=created_at
    )
    linked = ReportingRound.indicators.through
    linked.objects.bulk_create(
        [
            linked(reportinground_id=round_.pk, indicator_id=indicator.pk)
            for round_ in rounds
            for indicator in indicators
        ],
        batch_size=BATCH_SIZE,
    )
    reports = created_with_history(
        CityReport,
        [
            CityReport(
                round=round_,
                city=city,
                completed_at=context.moment(round_.due_date - timedelta(days=3)),
                completed_by=context.user,
            )
            for round_ in rounds
            for city in cities
        ],
        context=context,
        at=created_at,
    )
    return {
        "indicators": len(indicators),
        "observations": observations,
        "indicator edits": edits,
        "reporting rounds": len(rounds),
        "city reports": len(reports),
    }
