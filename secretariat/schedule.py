"""The schedule: themes as rows, months across, measures as bars, milestones marked."""

from dataclasses import dataclass, field
from datetime import date

from themes.models import Measure, Milestone, Theme
from themes.selectors import measure_is_late, milestone_is_late, schedule_themes

MAX_MONTHS = 60


def _month(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class ScheduleCell:
    month: date
    in_bar: bool = False
    is_deadline: bool = False
    is_current: bool = False
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class ScheduleRow:
    subject: Theme | Measure
    is_theme: bool
    is_late: bool
    cells: list[ScheduleCell]


@dataclass
class Schedule:
    months: list[date]
    rows: list[ScheduleRow]
    deadline: date | None


def _dates(themes) -> list[date]:
    days = []
    for theme in themes:
        days += [m.due_date for m in theme.milestones.all()]
        for measure in theme.measures.all():
            days += [d for d in (measure.start_date, measure.end_date) if d]
            days += [m.due_date for m in measure.milestones.all()]
    return days


def schedule_build(
    *, today: date, deadline: date | None, start: date | None
) -> Schedule:
    """Lay the themes out month by month (a fixed number of queries)."""
    themes = list(schedule_themes())
    days = _dates(themes) + [d for d in (deadline, start) if d]
    if not days:
        return Schedule(months=[], rows=[], deadline=deadline)
    first, last = _month(min(days)), _month(max(days))
    months = [first]
    while months[-1] < last and len(months) < MAX_MONTHS:
        months.append(_add_months(months[-1], 1))

    def cells(milestones, bar: tuple[date | None, date | None] | None):
        row = []
        for month in months:
            cell = ScheduleCell(
                month=month,
                is_deadline=deadline is not None and _month(deadline) == month,
                is_current=_month(today) == month,
            )
            if bar is not None:
                begin, end = bar
                cell.in_bar = (begin is None or _month(begin) <= month) and (
                    end is None or month <= _month(end)
                )
            for milestone in milestones:
                if _month(milestone.due_date) == month:
                    milestone.is_late = milestone_is_late(milestone, today=today)
                    cell.milestones.append(milestone)
            row.append(cell)
        return row

    rows = []
    for theme in themes:
        rows.append(
            ScheduleRow(
                subject=theme,
                is_theme=True,
                is_late=False,
                cells=cells(theme.milestones.all(), None),
            )
        )
        for measure in theme.measures.all():
            has_dates = measure.start_date or measure.end_date
            rows.append(
                ScheduleRow(
                    subject=measure,
                    is_theme=False,
                    is_late=measure_is_late(measure, today=today),
                    cells=cells(
                        measure.milestones.all(),
                        (measure.start_date, measure.end_date) if has_dates else None,
                    ),
                )
            )
    return Schedule(months=months, rows=rows, deadline=deadline)
