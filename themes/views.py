from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance import spreadsheets
from alliance.editing import TrackedCreateView, TrackedUpdateView
from alliance.history import history_entries
from alliance.ordering import move_and_respond
from members.permissions import ContentAccessMixin, require_reader
from themes import exports, forms, permissions, selectors, services
from themes.models import Measure, Milestone, Theme

# Themes


@login_required
def theme_list(request):
    require_reader(request.user)
    return render(
        request,
        "themes/theme_list.html",
        {
            "themes": selectors.theme_list(),
            "may_edit": permissions.can_edit_theme_content(request.user),
        },
    )


@login_required
def theme_detail(request, pk):
    require_reader(request.user)
    theme = get_object_or_404(Theme.objects.select_related("lead_organisation"), pk=pk)
    today = timezone.localdate()
    measures = list(selectors.measures_of_theme(theme=theme))
    for measure in measures:
        measure.is_late = selectors.measure_is_late(measure, today=today)
    milestones = list(selectors.milestones_of_theme(theme=theme))
    for milestone in milestones:
        milestone.is_late = selectors.milestone_is_late(milestone, today=today)
    return render(
        request,
        "themes/theme_detail.html",
        {
            "theme": theme,
            "measures": measures,
            "milestones": milestones,
            "history": history_entries(theme),
            "may_edit": permissions.can_edit_theme_content(request.user),
        },
    )


class ThemeCreateView(ContentAccessMixin, TrackedCreateView):
    model = Theme
    form_class = forms.ThemeForm
    form_title = gettext_lazy("Add a theme")
    save_service = staticmethod(services.theme_save)


class ThemeUpdateView(ContentAccessMixin, TrackedUpdateView):
    model = Theme
    form_class = forms.ThemeForm
    form_title = gettext_lazy("Edit the theme")
    save_service = staticmethod(services.theme_save)


# Measures


@login_required
def measure_detail(request, pk):
    require_reader(request.user)
    measure = get_object_or_404(
        Measure.objects.select_related("theme", "lead_organisation").prefetch_related(
            "participating_organisations"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    measure.is_late = selectors.measure_is_late(measure, today=today)
    milestones = list(selectors.milestones_of_measure(measure=measure))
    for milestone in milestones:
        milestone.is_late = selectors.milestone_is_late(milestone, today=today)
    return render(
        request,
        "themes/measure_detail.html",
        {
            "measure": measure,
            "milestones": milestones,
            "history": history_entries(measure),
            "may_edit": permissions.can_edit_theme_content(request.user),
        },
    )


class MeasureSaveMixin(ContentAccessMixin):
    model = Measure
    form_class = forms.MeasureForm
    save_service = staticmethod(services.measure_save)

    def save_arguments(self, form):
        return {
            **super().save_arguments(form),
            "participants": form.cleaned_data["participating_organisations"],
        }


class MeasureCreateView(MeasureSaveMixin, TrackedCreateView):
    parent_model = Theme
    parent_field = "theme"
    form_title = gettext_lazy("Add a measure")


class MeasureUpdateView(MeasureSaveMixin, TrackedUpdateView):
    form_title = gettext_lazy("Edit the measure")


# Milestones


class MilestoneSaveMixin(ContentAccessMixin):
    model = Milestone
    form_class = forms.MilestoneForm
    save_service = staticmethod(services.milestone_save)


class ThemeMilestoneCreateView(MilestoneSaveMixin, TrackedCreateView):
    parent_model = Theme
    parent_field = "theme"
    form_title = gettext_lazy("Add a milestone")


class MeasureMilestoneCreateView(MilestoneSaveMixin, TrackedCreateView):
    parent_model = Measure
    parent_field = "measure"
    form_title = gettext_lazy("Add a milestone")


class MilestoneUpdateView(MilestoneSaveMixin, TrackedUpdateView):
    form_title = gettext_lazy("Edit the milestone")


@login_required
def milestone_detail(request, pk):
    require_reader(request.user)
    milestone = get_object_or_404(
        Milestone.objects.select_related("theme", "measure__theme"), pk=pk
    )
    milestone.is_late = selectors.milestone_is_late(
        milestone, today=timezone.localdate()
    )
    return render(
        request,
        "themes/milestone_detail.html",
        {
            "milestone": milestone,
            "history": history_entries(milestone),
            "may_edit": permissions.can_edit_theme_content(request.user),
        },
    )


# Reordering


def _require_reorder(request) -> None:
    require_reader(request.user)
    if not permissions.can_edit_theme_content(request.user):
        raise PermissionDenied


@login_required
@require_POST
def theme_move(request, pk, direction):
    _require_reorder(request)
    theme = get_object_or_404(Theme, pk=pk)
    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: services.theme_move(theme=theme, **kw),
        list_template="themes/theme_table.html",
        list_context=lambda: {"themes": selectors.theme_list(), "may_edit": True},
        fallback_url=reverse("themes:theme_list"),
    )


@login_required
@require_POST
def measure_move(request, pk, direction):
    _require_reorder(request)
    measure = get_object_or_404(Measure.objects.select_related("theme"), pk=pk)
    theme = measure.theme

    def list_context():
        today = timezone.localdate()
        measures = list(selectors.measures_of_theme(theme=theme))
        for item in measures:
            item.is_late = selectors.measure_is_late(item, today=today)
        return {"theme": theme, "measures": measures, "may_edit": True}

    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: services.measure_move(measure=measure, **kw),
        list_template="themes/measure_table.html",
        list_context=list_context,
        fallback_url=reverse("themes:theme_detail", args=[theme.pk]),
    )


# Export


@login_required
def theme_export(request):
    """Download the themes, measures and milestones the user may see, as XLSX."""
    require_reader(request.user)
    return spreadsheets.xlsx_response(
        sheets=exports.theme_sheets(user=request.user), filename="themes.xlsx"
    )
