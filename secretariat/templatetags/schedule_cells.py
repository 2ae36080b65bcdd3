"""`{% schedule_cells cells %}`: the cells of one row of the schedule.

Built in Python rather than in a template: at the alliance's size the page holds
hundreds of cells and milestone marks, and the template engine spent most of the
page's time on them.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


def _mark(milestone, *, late: str) -> SafeString:
    label = f"{date_format(milestone.due_date, 'SHORT_DATE_FORMAT')} {milestone.title}"
    if milestone.is_late:
        state, note = " milestone-mark--late", f" ({late})"
    else:
        state, note = (" milestone-mark--done" if milestone.done_on else ""), ""
    return format_html(
        '<a class="milestone-mark{}" href="{}" title="{}">◆'
        '<span class="visually-hidden"> {}{}</span></a>',
        state,
        milestone.get_absolute_url(),
        label,
        label,
        note,
    )


def _attributes(cell) -> SafeString:
    classes = " ".join(
        name
        for name, applies in (
            ("timeline__bar", cell.in_bar),
            ("timeline__deadline", cell.is_deadline),
            ("timeline__today", cell.is_today),
        )
        if applies
    )
    return format_html(
        "{}{}",
        format_html(' colspan="{}"', cell.span) if cell.span > 1 else "",
        format_html(' class="{}"', classes) if classes else "",
    )


@register.simple_tag
def schedule_cells(cells) -> SafeString:
    late = gettext("late")
    return format_html_join(
        "",
        "<td{}>{}</td>",
        (
            (
                _attributes(cell),
                format_html_join(
                    "", "{}", ((_mark(m, late=late),) for m in cell.milestones)
                ),
            )
            for cell in cells
        ),
    )
