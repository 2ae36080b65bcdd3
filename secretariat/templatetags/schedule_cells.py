"""`{% schedule_cells cells %}`: the cells of one row of the schedule.

Built in Python, as plain strings, rather than in a template or with format_html: at
the alliance's size the page holds hundreds of cells and milestone marks, and the
template engine, then format_html and reverse() per mark, spent most of the page's
time on them. Only the milestones' titles and the translated note come from outside
and are escaped; everything else is numbers and fixed class names.
"""

from django import template
from django.utils.dateformat import format as format_day
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from alliance.reversing import id_url

register = template.Library()


def _mark(milestone, *, late: str, url_of, day_format: str) -> str:
    label = escape(f"{format_day(milestone.due_date, day_format)} {milestone.title}")
    if milestone.is_late:
        state, note = " milestone-mark--late", f" ({late})"
    else:
        state, note = (" milestone-mark--done" if milestone.done_on else ""), ""
    return (
        f'<a class="milestone-mark{state}" href="{escape(url_of(milestone.pk))}" '
        f'title="{label}">◆<span class="visually-hidden"> {label}{note}</span></a>'
    )


def _opening(cell) -> str:
    classes = " ".join(
        name
        for name, applies in (
            ("timeline__bar", cell.in_bar),
            ("timeline__deadline", cell.is_deadline),
            ("timeline__today", cell.is_today),
        )
        if applies
    )
    span = f' colspan="{int(cell.span)}"' if cell.span > 1 else ""
    return f'<td{span} class="{classes}">' if classes else f"<td{span}>"


@register.simple_tag
def schedule_cells(cells) -> SafeString:
    late = escape(gettext("late"))
    url_of = id_url("themes:milestone_detail")
    day_format = get_format("SHORT_DATE_FORMAT")
    parts = []
    for cell in cells:
        parts.append(_opening(cell))
        parts.extend(
            _mark(milestone, late=late, url_of=url_of, day_format=day_format)
            for milestone in cell.milestones
        )
        parts.append("</td>")
    return mark_safe("".join(parts))
