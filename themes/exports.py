"""The themes, their measures and milestones as a workbook of three sheets.

The column names are part of the published format (docs/data.md) and do not change
with the language. Every sheet reads through the visibility selectors, in a fixed
number of queries however many rows there are.
"""

from alliance.spreadsheets import Sheet
from themes import selectors
from themes.models import Measure, Milestone, Theme

THEME_COLUMNS = (
    "theme_id",
    "title",
    "status",
    "lead_organisation",
    "order",
    "measure_count",
    "description",
    "goals",
)

MEASURE_COLUMNS = (
    "measure_id",
    "theme_id",
    "theme",
    "title",
    "status",
    "lead_organisation",
    "participating_organisations",
    "start_date",
    "end_date",
    "progress_percent",
    "description",
)

MILESTONE_COLUMNS = (
    "milestone_id",
    "title",
    "kind",
    "due_date",
    "done_on",
    "theme_id",
    "theme",
    "measure_id",
    "measure",
)


def theme_row(theme: Theme, measure_count: int) -> list:
    return [
        theme.pk,
        theme.title,
        theme.status,
        theme.lead_organisation.slug,
        theme.order,
        measure_count,
        theme.description,
        theme.goals,
    ]


def measure_row(measure: Measure) -> list:
    return [
        measure.pk,
        measure.theme_id,
        measure.theme.title,
        measure.title,
        measure.status,
        measure.lead_organisation.slug,
        ", ".join(
            sorted(
                organisation.slug
                for organisation in measure.participating_organisations.all()
            )
        ),
        measure.start_date,
        measure.end_date,
        measure.progress,
        measure.description,
    ]


def milestone_row(milestone: Milestone) -> list:
    theme = milestone.theme or milestone.measure.theme
    measure = milestone.measure
    return [
        milestone.pk,
        milestone.title,
        milestone.kind,
        milestone.due_date,
        milestone.done_on,
        theme.pk,
        theme.title,
        measure.pk if measure else None,
        measure.title if measure else None,
    ]


def theme_sheets(*, user) -> list[Sheet]:
    """Return the sheets of the themes, measures and milestones `user` may see.

    Four queries, however many rows.
    """
    themes = list(
        selectors.theme_visible(user=user)
        .select_related("lead_organisation")
        .order_by("order", "title", "pk")
    )
    measures = list(
        selectors.measure_visible(user=user)
        .select_related("theme", "lead_organisation")
        .prefetch_related("participating_organisations")
        .order_by("theme__order", "theme_id", "order", "title", "pk")
    )
    milestones = (
        selectors.milestone_visible(user=user)
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")
    )
    counts: dict[int, int] = {}
    for measure in measures:
        counts[measure.theme_id] = counts.get(measure.theme_id, 0) + 1
    return [
        Sheet(
            title="themes",
            headers=THEME_COLUMNS,
            rows=[theme_row(theme, counts.get(theme.pk, 0)) for theme in themes],
        ),
        Sheet(
            title="measures",
            headers=MEASURE_COLUMNS,
            rows=[measure_row(measure) for measure in measures],
        ),
        Sheet(
            title="milestones",
            headers=MILESTONE_COLUMNS,
            rows=[milestone_row(milestone) for milestone in milestones],
        ),
    ]
