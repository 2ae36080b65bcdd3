"""The schedule: themes as rows over a window of months, bars spanning the months
a measure is under way, milestones marked in their month.

A theme's measures are laid out only when asked for: at the alliance's size every
measure of every theme would make a page of megabytes. Each row is a few cells that
span runs of months, so the page grows with the rows and milestones shown, not with
rows times months.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from themes.models import Measure, Milestone, Theme
from themes.selectors import (
    measure_is_late,
    milestone_is_late,
    schedule_measure_milestones,
    schedule_measures,
    schedule_theme_milestones,
    schedule_themes,
)

WINDOW_MONTHS = 36
MONTHS_BEFORE_TODAY = 12
# How far the window moves with the earlier and later links.
WINDOW_STEP = 12
FIRST_WINDOW_START = date(2000, 1, 1)
LAST_WINDOW_START = date(2099, 12, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class ScheduleWindow:
    """The months shown, from `start` on."""

    start: date

    @classmethod
    def around(cls, today: date) -> "ScheduleWindow":
        return cls(start=add_months(today.replace(day=1), -MONTHS_BEFORE_TODAY))

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, n) for n in range(WINDOW_MONTHS)]

    @property
    def end(self) -> date:
        """The last day of the window."""
        return date.fromordinal(add_months(self.start, WINDOW_MONTHS).toordinal() - 1)

    @property
    def last_month(self) -> date:
        return add_months(self.start, WINDOW_MONTHS - 1)

    @property
    def earlier(self) -> date | None:
        start = add_months(self.start, -WINDOW_STEP)
        return start if start >= FIRST_WINDOW_START else None

    @property
    def later(self) -> date | None:
        start = add_months(self.start, WINDOW_STEP)
        return start if start <= LAST_WINDOW_START else None

    def column(self, day: date) -> int:
        """The month's column counted from the window's first (may fall outside)."""
        return _month_index(day) - _month_index(self.start)


@dataclass
class ScheduleCell:
    """A run of months: one month when it holds milestones, today or the deadline."""

    span: int
    in_bar: bool
    is_today: bool = False
    is_deadline: bool = False
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class ScheduleRow:
    subject: Theme | Measure
    is_late: bool
    cells: list[ScheduleCell]


@dataclass
class ScheduleTheme:
    row: ScheduleRow
    # None while the theme's measures are not asked for.
    measures: list[ScheduleRow] | None


@dataclass
class Schedule:
    window: ScheduleWindow
    themes: list[ScheduleTheme]
    deadline: date | None
    today_column: int | None
    deadline_column: int | None


@dataclass(frozen=True)
class _Marks:
    """The columns every row sets apart: the current month and the deadline's."""

    window: ScheduleWindow
    today: date
    deadline: date | None

    def column(self, day: date | None) -> int | None:
        if day is None:
            return None
        column = self.window.column(day)
        return column if 0 <= column < WINDOW_MONTHS else None

    @property
    def today_column(self) -> int | None:
        return self.column(self.today)

    @property
    def deadline_column(self) -> int | None:
        return self.column(self.deadline)


def _cells(
    marks: _Marks,
    *,
    bar: tuple[date | None, date | None] | None,
    milestones: dict[int, list[Milestone]],
) -> list[ScheduleCell]:
    """Cut the row into runs of months, inside or outside the bar."""
    first_in_bar = last_in_bar = None
    if bar is not None and any(bar):
        begin, end = bar
        first_in_bar = 0 if begin is None else max(0, marks.window.column(begin))
        last_in_bar = (
            WINDOW_MONTHS - 1
            if end is None
            else min(WINDOW_MONTHS - 1, marks.window.column(end))
        )
    today, deadline = marks.today_column, marks.deadline_column
    cells: list[ScheduleCell] = []
    previous_alone = False
    for column in range(WINDOW_MONTHS):
        in_bar = first_in_bar is not None and first_in_bar <= column <= last_in_bar
        alone = column in milestones or column in (today, deadline)
        if cells and not alone and not previous_alone and cells[-1].in_bar == in_bar:
            cells[-1].span += 1
        else:
            cells.append(
                ScheduleCell(
                    span=1,
                    in_bar=in_bar,
                    is_today=column == today,
                    is_deadline=column == deadline,
                    milestones=milestones.get(column, []),
                )
            )
        previous_alone = alone
    return cells


def _by_owner_and_column(
    milestones, *, owner: str, marks: _Marks
) -> dict[int, dict[int, list[Milestone]]]:
    """Group the milestones once: by their theme or measure, then by month column."""
    grouped: dict[int, dict[int, list[Milestone]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for milestone in milestones:
        milestone.is_late = milestone_is_late(milestone, today=marks.today)
        grouped[getattr(milestone, owner)][
            marks.window.column(milestone.due_date)
        ].append(milestone)
    return grouped


def _theme_row(theme: Theme, *, marks: _Marks, milestones) -> ScheduleRow:
    return ScheduleRow(
        subject=theme,
        is_late=theme.late_measure_count > 0,
        cells=_cells(
            marks,
            bar=(theme.first_start, theme.last_end) if theme.measure_count else None,
            milestones=milestones,
        ),
    )


def _measure_rows(theme: Theme, *, user, marks: _Marks) -> list[ScheduleRow]:
    milestones = _by_owner_and_column(
        schedule_measure_milestones(
            user=user, theme=theme, first=marks.window.start, last=marks.window.end
        ),
        owner="measure_id",
        marks=marks,
    )
    return [
        ScheduleRow(
            subject=measure,
            is_late=measure_is_late(measure, today=marks.today),
            cells=_cells(
                marks,
                bar=(measure.start_date, measure.end_date),
                milestones=milestones.get(measure.pk, {}),
            ),
        )
        for measure in schedule_measures(user=user, theme=theme)
    ]


def _schedule_theme(
    theme: Theme, *, user, marks: _Marks, milestones, measures_shown: bool
) -> ScheduleTheme:
    return ScheduleTheme(
        row=_theme_row(theme, marks=marks, milestones=milestones.get(theme.pk, {})),
        measures=_measure_rows(theme, user=user, marks=marks)
        if measures_shown
        else None,
    )


def schedule_build(
    *,
    user,
    today: date,
    deadline: date | None,
    window: ScheduleWindow,
    open_theme_id: int | None = None,
) -> Schedule:
    """Lay out the themes `user` may see, with the measures of the open theme, in
    a fixed number of queries."""
    marks = _Marks(window=window, today=today, deadline=deadline)
    milestones = _by_owner_and_column(
        schedule_theme_milestones(user=user, first=window.start, last=window.end),
        owner="theme_id",
        marks=marks,
    )
    return Schedule(
        window=window,
        themes=[
            _schedule_theme(
                theme,
                user=user,
                marks=marks,
                milestones=milestones,
                measures_shown=theme.pk == open_theme_id,
            )
            for theme in schedule_themes(user=user, today=today)
        ],
        deadline=deadline,
        today_column=marks.today_column,
        deadline_column=marks.deadline_column,
    )


def schedule_theme_build(
    theme: Theme,
    *,
    user,
    today: date,
    deadline: date | None,
    window: ScheduleWindow,
    measures_shown: bool,
) -> ScheduleTheme:
    """One theme's rows, `theme` as `schedule_themes` gives it."""
    marks = _Marks(window=window, today=today, deadline=deadline)
    milestones = _by_owner_and_column(
        schedule_theme_milestones(
            user=user, first=window.start, last=window.end
        ).filter(theme=theme),
        owner="theme_id",
        marks=marks,
    )
    return _schedule_theme(
        theme,
        user=user,
        marks=marks,
        milestones=milestones,
        measures_shown=measures_shown,
    )
