"""Synthetic themes, measures and milestones for benchmarks."""

from datetime import timedelta

from alliance.scale import (
    SYNTHETIC,
    TERM_START,
    ScaleContext,
    created_with_history,
    edits_written,
)
from members.models import Organisation
from themes.models import Measure, Milestone, Theme

THEMES = 60
MEASURES = 600
MILESTONES = 2000
WORDS = [
    "employment",
    "housing",
    "integration",
    "education",
    "skills",
    "growth",
    "innovation",
    "safety",
    "transport",
    "wellbeing",
    "climate",
    "youth",
]


def _text(context: ScaleContext, sentences: int) -> str:
    words = context.rng.choices(WORDS, k=6 * sentences)
    return " ".join(
        f"{SYNTHETIC} " + " ".join(words[6 * i : 6 * i + 6]).capitalize() + "."
        for i in range(sentences)
    )


def themes_generate(
    *, context: ScaleContext
) -> tuple[dict[str, int], list[Theme], list[Measure]]:
    """Add themes, their measures and milestones; return the counts by kind, the
    themes and the measures."""
    organisations = list(Organisation.objects.order_by("slug"))
    rng = context.rng
    theme_total = context.count(THEMES)
    order_base = (
        Theme.objects.order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1
    created_at = context.moment(TERM_START)
    themes = created_with_history(
        Theme,
        [
            Theme(
                title=f"{SYNTHETIC} Theme {n + 1}: {rng.choice(WORDS)}",
                description=_text(context, 3),
                goals=_text(context, 2),
                status=rng.choice(Theme.Status.values),
                lead_organisation=rng.choice(organisations),
                order=order_base + n,
            )
            for n in range(theme_total)
        ],
        context=context,
        at=created_at,
    )
    measure_total = context.count(MEASURES)
    measures = []
    for n in range(measure_total):
        start = context.day(rng.randrange(0, 100), 200)
        measures.append(
            Measure(
                theme=themes[n % len(themes)],
                title=f"{SYNTHETIC} Measure {n + 1}: {rng.choice(WORDS)}",
                description=_text(context, 4),
                lead_organisation=rng.choice(organisations),
                start_date=start,
                end_date=start + timedelta(days=rng.randrange(90, 900)),
                status=rng.choice(Measure.Status.values),
                progress=rng.randrange(0, 101),
                order=n // len(themes),
            )
        )
    measures = created_with_history(Measure, measures, context=context, at=created_at)
    milestone_total = context.count(MILESTONES)
    milestones = []
    for n in range(milestone_total):
        on_theme = n % 5 == 0
        measure = measures[n % len(measures)]
        # A measure's milestones fall within its dates, as its form requires.
        if on_theme:
            due = context.day(rng.randrange(0, 1000), 1000)
        else:
            span = (measure.end_date - measure.start_date).days
            due = measure.start_date + timedelta(days=rng.randrange(0, span + 1))
        milestones.append(
            Milestone(
                title=f"{SYNTHETIC} Milestone {n + 1}",
                kind=rng.choice(Milestone.Kind.values),
                due_date=due,
                done_on=due if rng.random() < 0.4 else None,
                theme=themes[n % len(themes)] if on_theme else None,
                measure=None if on_theme else measure,
            )
        )
    milestones = created_with_history(
        Milestone, milestones, context=context, at=created_at
    )
    edited_since = created_at + timedelta(days=1)
    edits = edits_written(
        Theme,
        context.edited(themes),
        context=context,
        field="goals",
        values=lambda theme, k: f"{SYNTHETIC} Goals, revision {k}.",
        since=edited_since,
    )
    edits += edits_written(
        Measure,
        context.edited(measures),
        context=context,
        field="progress",
        values=lambda measure, k: min(100, k * 2),
        since=edited_since,
    )
    edits += edits_written(
        Milestone,
        context.edited(milestones),
        context=context,
        field="title",
        values=lambda milestone, k: f"{milestone.title}, revision {k}",
        since=edited_since,
    )
    counts = {
        "themes": len(themes),
        "measures": len(measures),
        "milestones": len(milestones),
        "theme, measure and milestone edits": edits,
    }
    return counts, themes, measures
