"""Writes of the themes app: themes, measures and milestones, and their examples."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.history import save_tracked
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from themes.models import Measure, Milestone, Theme
from themes.permissions import can_edit_theme_content

# Editing in the browser: one write function per object, each recording who and when.


def milestone_check(milestone: Milestone) -> None:
    """Refuse a measure's milestone dated outside the measure's own dates."""
    measure = milestone.measure
    if measure is None or milestone.due_date is None:
        return
    too_early = measure.start_date and milestone.due_date < measure.start_date
    too_late = measure.end_date and milestone.due_date > measure.end_date
    if too_early or too_late:
        raise ValidationError(
            {
                "due_date": ValidationError(
                    _(
                        "The due date must fall within the measure's dates "
                        "(%(start)s–%(end)s)."
                    ),
                    code="outside_measure",
                    params={
                        "start": date_format(measure.start_date, "SHORT_DATE_FORMAT")
                        if measure.start_date
                        else "…",
                        "end": date_format(measure.end_date, "SHORT_DATE_FORMAT")
                        if measure.end_date
                        else "…",
                    },
                )
            }
        )


def milestone_save(*, milestone: Milestone, by, token: str | None = None) -> Milestone:
    require_rule(by, can_edit_theme_content)
    with transaction.atomic():
        milestone.full_clean()
        milestone_check(milestone)
        return save_tracked(milestone, by=by, token=token)


def measure_save(
    *, measure: Measure, by, token: str | None = None, participants=None
) -> Measure:
    """Save a measure; its milestones must still fall within its dates."""
    require_rule(by, can_edit_theme_content)
    with transaction.atomic():
        if measure.pk is None:
            measure.order = next_position(measure.theme.measures.all())
        measure.full_clean()
        outside = Q()
        if measure.start_date:
            outside |= Q(due_date__lt=measure.start_date)
        if measure.end_date:
            outside |= Q(due_date__gt=measure.end_date)
        if measure.pk is not None and outside:
            titles = list(
                measure.milestones.filter(outside).values_list("title", flat=True)
            )
            if titles:
                raise ValidationError(
                    _(
                        "Milestones of this measure fall outside the new dates: "
                        "%(titles)s. Move them first."
                    ),
                    code="milestones_outside",
                    params={"titles": ", ".join(titles)},
                )
        m2m = (
            {}
            if participants is None
            else {"participating_organisations": participants}
        )
        return save_tracked(measure, by=by, token=token, m2m=m2m)


def theme_save(*, theme: Theme, by, token: str | None = None) -> Theme:
    require_rule(by, can_edit_theme_content)
    with transaction.atomic():
        if theme.pk is None:
            theme.order = next_position(Theme.objects.all())
        theme.full_clean()
        return save_tracked(theme, by=by, token=token)


def theme_move(*, theme: Theme, direction: str, by) -> None:
    require_rule(by, can_edit_theme_content)
    move_in_order(theme, siblings=Theme.objects.all(), direction=direction, by=by)


def measure_move(*, measure: Measure, direction: str, by) -> None:
    require_rule(by, can_edit_theme_content)
    move_in_order(
        measure,
        siblings=Measure.objects.filter(theme_id=measure.theme_id),
        direction=direction,
        by=by,
    )
