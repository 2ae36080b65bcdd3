"""Reads of the themes app: themes, measures, milestones and the schedule."""

from datetime import date

from django.db.models import (
    Count,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from themes.models import Measure, Milestone, Theme
from themes.permissions import can_view_theme_content

# What a person may see: the rule of permissions.can_view_theme_content.


def theme_visible(*, user) -> QuerySet[Theme]:
    """Return the themes `user` may see."""
    if not can_view_theme_content(user):
        return Theme.objects.none()
    return Theme.objects.all()


def measure_visible(*, user) -> QuerySet[Measure]:
    """Return the measures `user` may see: those of the themes they may see."""
    return Measure.objects.filter(theme__in=theme_visible(user=user))


def milestone_visible(*, user) -> QuerySet[Milestone]:
    """Return the milestones of the themes and measures `user` may see."""
    themes = theme_visible(user=user)
    return Milestone.objects.filter(Q(theme__in=themes) | Q(measure__theme__in=themes))


def theme_list() -> QuerySet[Theme]:
    # Explicitly: Django leaves Meta.ordering out of a query that counts measures.
    return (
        Theme.objects.select_related("lead_organisation")
        .annotate(measure_count=Count("measures", distinct=True))
        .order_by("order", "title", "pk")
    )


def measures_of_theme(*, theme: Theme) -> QuerySet[Measure]:
    return (
        theme.measures.select_related("lead_organisation", "theme")
        .prefetch_related("participating_organisations")
        .order_by("order", "pk")
    )


def milestones_of_theme(*, theme: Theme) -> QuerySet[Milestone]:
    """The theme's own milestones and those of its measures, by due date."""
    return (
        Milestone.objects.filter(Q(theme=theme) | Q(measure__theme=theme))
        .select_related("measure", "theme")
        .order_by("due_date", "pk")
    )


def milestones_of_measure(*, measure: Measure) -> QuerySet[Milestone]:
    return measure.milestones.order_by("due_date", "pk")


def measure_is_late(measure: Measure, *, today: date) -> bool:
    """A measure not done by its end date is late."""
    return (
        measure.end_date is not None
        and measure.end_date < today
        and measure.status not in {Measure.Status.DONE, Measure.Status.CANCELLED}
    )


def milestone_is_late(milestone: Milestone, *, today: date) -> bool:
    return milestone.done_on is None and milestone.due_date < today


def measures_late(*, today: date) -> QuerySet[Measure]:
    """Measures past their end date that are not done or cancelled."""
    return (
        Measure.objects.filter(end_date__lt=today)
        .exclude(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])
        .select_related("theme", "lead_organisation")
        .order_by("end_date", "pk")
    )


def milestones_upcoming(*, today: date, limit: int = 8) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(done_on__isnull=True, due_date__gte=today)
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")[:limit]
    )


def milestones_overdue(*, today: date) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(done_on__isnull=True, due_date__lt=today)
        .select_related("theme", "measure__theme")
        .order_by("due_date", "pk")
    )


def schedule_themes(*, user, today: date) -> QuerySet[Theme]:
    """The themes `user` may see, each with its measures' count, first start,
    last end and how many of them are late, for the schedule's collapsed rows."""
    late = Q(measures__end_date__lt=today) & ~Q(
        measures__status__in=[Measure.Status.DONE, Measure.Status.CANCELLED]
    )
    return (
        theme_visible(user=user)
        .annotate(
            measure_count=Count("measures"),
            late_measure_count=Count("measures", filter=late),
            first_start=Min("measures__start_date"),
            last_end=Max("measures__end_date"),
        )
        .order_by("order", "pk")
    )


def schedule_theme_milestones(*, user, first: date, last: date) -> QuerySet[Milestone]:
    """The themes' own milestones due between `first` and `last`."""
    return milestone_visible(user=user).filter(
        theme__isnull=False, due_date__range=(first, last)
    )


def schedule_measures(*, user, theme: Theme) -> QuerySet[Measure]:
    return measure_visible(user=user).filter(theme=theme).order_by("order", "pk")


def schedule_measure_milestones(
    *, user, theme: Theme, first: date, last: date
) -> QuerySet[Milestone]:
    """The milestones of `theme`'s measures due between `first` and `last`."""
    return milestone_visible(user=user).filter(
        measure__theme=theme, due_date__range=(first, last)
    )


def milestones_for_calendar(*, first_day: date, last_day: date) -> QuerySet[Milestone]:
    """The milestones due from `first_day` to `last_day` (both included) by due date,
    with `last_changed` from their history (or None)."""
    latest_change = (
        Milestone.history.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        Milestone.objects.select_related("theme", "measure__theme")
        .filter(due_date__range=(first_day, last_day))
        .annotate(last_changed=Subquery(latest_change))
        .order_by("due_date")
    )
