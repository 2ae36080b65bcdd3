"""The monitoring pages: indicators, their values, and the status thresholds.

Anonymous users are sent to sign in; a signed-in user without a role gets 403
everywhere, as does a user who may read but not change for every write; an indicator
or value that does not exist is 404. Who may do what is decided in
monitoring.permissions only.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alliance import spreadsheets
from alliance.editing import TrackedCreateView, TrackedUpdateView, safe_next
from alliance.history import ConcurrentEdit, edit_token, history_entries
from alliance.ordering import move_and_respond
from alliance.paging import page_of
from alliance.uploads import download_headers
from members.models import Organisation
from monitoring import exports, forms, permissions, selectors, services
from monitoring.models import Indicator, Observation, StatusThresholds
from monitoring.periods import period_label
from monitoring.templatetags.monitoring_tags import indicator_panel_context
from themes.models import Measure, Theme


def _next_url(request, default: str) -> str:
    """Return the `next` the form carried if it stays on this site, else `default`."""
    return safe_next(request) or default


def _url_of(subject) -> str:
    """Return a theme's or a measure's page, or the indicator list until it has one."""
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url is not None else reverse("monitoring:indicator_list")


def _visible_indicator(request, pk) -> Indicator:
    # Without a role nothing of the app is shown, whether the indicator exists or not.
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    try:
        indicator = selectors.indicator_get(pk=pk)
    except Indicator.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_indicator(request.user, indicator):
        raise Http404
    return indicator


# Indicators


@login_required
def indicator_list(request):
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    filters = forms.IndicatorFilterForm(request.GET or None)
    theme = status = None
    if filters.is_valid():
        theme = filters.cleaned_data["theme"]
        status = filters.cleaned_data["status"] or None
    may_edit = permissions.can_edit_indicators(request.user)
    paged = page_of(
        request,
        selectors.indicator_list(user=request.user, theme=theme, status=status),
    )
    return render(
        request,
        "monitoring/indicator_list.html",
        {
            "filters": filters,
            "items": selectors.indicator_progress_list(
                indicators=paged.page.object_list
            ),
            "page": paged.page,
            "query": paged.query,
            "theme": theme,
            "may_edit": may_edit,
            "may_edit_thresholds": permissions.can_edit_thresholds(request.user),
            "may_import": permissions.can_import_observations(request.user),
        },
    )


@login_required
def indicator_detail(request, pk):
    indicator = _visible_indicator(request, pk)
    overview = selectors.indicator_overview(indicator=indicator)
    recordable = {
        city.pk
        for city in permissions.recordable_cities(request.user, indicator).only("pk")
    }
    may_record_national = permissions.can_record_national(request.user, indicator)
    editable = [
        may_record_national if city is None else city.pk in recordable
        for city in overview.columns
    ]
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "indicator": indicator,
            "subject": indicator.theme or indicator.measure,
            "overview": overview,
            "columns": list(zip(overview.columns, editable, strict=True)),
            "rows": [
                (
                    row.period,
                    list(zip(overview.columns, row.cells, editable, strict=True)),
                )
                for row in overview.rows
            ],
            "may_edit": permissions.can_edit_indicators(request.user),
            "may_record": may_record_national or bool(recordable),
            "history": history_entries(indicator),
        },
    )


class IndicatorEditMixin:
    """The secretariat adds and changes indicators; every role reads them."""

    model = Indicator
    form_class = forms.IndicatorForm
    template_name = "monitoring/indicator_form.html"
    save_service = staticmethod(services.indicator_save)

    def may_enter(self) -> bool:
        return permissions.can_view_monitoring(self.request.user)

    def may_view(self, obj) -> bool:
        return permissions.can_view_monitoring(self.request.user)

    def may_change(self, obj) -> bool:
        return permissions.can_edit_indicators(self.request.user)

    def may_add(self, parent) -> bool:
        return permissions.can_edit_indicators(self.request.user)


class IndicatorCreateMixin(IndicatorEditMixin):
    form_title = gettext_lazy("Add an indicator")
    parent_field = None

    def get_initial(self):
        # The lead organisation of the theme or measure usually records the values.
        return {
            **super().get_initial(),
            "responsible_organisation": self.parent.lead_organisation_id,
        }


class IndicatorCreateForThemeView(IndicatorCreateMixin, TrackedCreateView):
    parent_model = Theme
    parent_field = "theme"


class IndicatorCreateForMeasureView(IndicatorCreateMixin, TrackedCreateView):
    parent_model = Measure
    parent_field = "measure"


class IndicatorUpdateView(IndicatorEditMixin, TrackedUpdateView):
    form_title = gettext_lazy("Edit the indicator")

    def get_queryset(self):
        return Indicator.objects.select_related("theme", "measure")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if permissions.can_relocate_indicator(self.request.user):
            context["relocate_url"] = reverse(
                "monitoring:indicator_relocate", args=[self.object.pk]
            )
        return context


@login_required
@require_POST
def indicator_move(request, pk, direction):
    indicator = _visible_indicator(request, pk)
    if not permissions.can_edit_indicators(request.user):
        raise PermissionDenied
    subject = indicator.theme or indicator.measure
    next_url = _next_url(request, _url_of(subject))
    return move_and_respond(
        request,
        direction=direction,
        move=lambda **kw: services.indicator_move(indicator=indicator, **kw),
        list_template="monitoring/indicator_panel.html",
        list_context=lambda: indicator_panel_context(
            subject, request.user, next_url=next_url
        ),
        fallback_url=next_url,
    )


# Values


def _refuse_foreign_city(request, indicator: Indicator, raw_city: str | None) -> None:
    """Answer 403 to a value posted for a city (or nationally) out of the user's scope.

    A city that does not exist is left for the form to refuse.
    """
    if not indicator.reported_per_city:
        return
    if not raw_city:
        if not permissions.can_record_national(request.user, indicator):
            raise PermissionDenied
        return
    city = None
    if raw_city.isdigit():
        city = Organisation.objects.filter(pk=raw_city).first()
    if city is not None and not permissions.can_record_for(
        request.user, indicator, city
    ):
        raise PermissionDenied


def _require_recorder(request, indicator: Indicator):
    """Return the cities the user records for and whether they record the national."""
    cities = permissions.recordable_cities(request.user, indicator)
    national = permissions.can_record_national(request.user, indicator)
    if not national and not cities.exists():
        raise PermissionDenied
    return cities, national


@login_required
def observation_add(request, pk):
    indicator = _visible_indicator(request, pk)
    cities, national = _require_recorder(request, indicator)
    if request.method == "POST":
        _refuse_foreign_city(request, indicator, request.POST.get("city"))
    elif request.GET.get("city"):
        _refuse_foreign_city(request, indicator, request.GET["city"])
    form = forms.ObservationForm(
        request.POST or None,
        indicator=indicator,
        cities=cities,
        national=national,
        initial={
            "period": request.GET.get("period", ""),
            "city": request.GET.get("city") or None,
        },
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.observation_add(
                indicator=indicator,
                period=data["period"],
                value=data["value"],
                city=data.get("city"),
                note=data["note"],
                by=request.user,
            )
        except services.ObservationExists as duplicate:
            # Shown next to the period, with a link to change the existing value.
            existing = duplicate.observation
            form.add_error("period", duplicate)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The value for %(period)s was saved.")
                % {"period": period_label(observation.period, indicator.frequency)},
            )
            return redirect(_next_url(request, indicator.get_absolute_url()))
    return render(
        request,
        "monitoring/observation_form.html",
        {
            "indicator": indicator,
            "form": form,
            "existing": existing,
            "may_change_existing": existing is not None
            and permissions.can_change_observation(request.user, existing),
        },
        status=400 if form.errors else 200,
    )


class ObservationUpdateView(TrackedUpdateView):
    """Change a recorded value: the secretariat any, a city only its own."""

    model = Observation
    form_class = forms.ObservationValueForm
    form_title = gettext_lazy("Change the value")
    template_name = "monitoring/observation_edit.html"
    save_service = staticmethod(services.observation_update)

    def get_queryset(self):
        return Observation.objects.select_related(
            "indicator__theme", "indicator__measure", "city", "entered_by"
        )

    def may_enter(self) -> bool:
        return permissions.can_view_monitoring(self.request.user)

    def may_view(self, obj) -> bool:
        return permissions.can_view_indicator(self.request.user, obj.indicator)

    def may_change(self, obj) -> bool:
        return permissions.can_change_observation(self.request.user, obj)

    def save_arguments(self, form):
        return {
            **super().save_arguments(form),
            "value": form.cleaned_data["value"],
            "note": form.cleaned_data["note"],
        }

    def get_context_data(self, **kwargs):
        observation = self.object
        context = super().get_context_data(**kwargs)
        context["heading_detail"] = ", ".join(
            [
                observation.indicator.name,
                observation.city.name if observation.city else _("national"),
                observation.period_label,
            ]
        )
        context["history"] = history_entries(observation)
        return context


@login_required
def observation_delete(request, pk):
    """Confirm, then delete a value; whoever may change it may delete it."""
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    try:
        observation = Observation.objects.select_related(
            "indicator", "city", "entered_by"
        ).get(pk=pk)
    except Observation.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_indicator(request.user, observation.indicator):
        raise Http404
    if not permissions.can_delete_observation(request.user, observation):
        raise PermissionDenied
    indicator = observation.indicator
    form = forms.ObservationDeleteForm(
        request.POST if request.method == "POST" else None,
        initial={"edit_token": edit_token(observation)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_delete(
                observation=observation,
                by=request.user,
                token=form.cleaned_data["edit_token"] or None,
            )
        except ConcurrentEdit:
            # The page is shown again on the value as it is now.
            form = forms.ObservationDeleteForm({"edit_token": edit_token(observation)})
            form.is_valid()
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Someone changed this value after you opened the page, so it "
                        "was not deleted. Check it, then delete it again."
                    ),
                    code="concurrent_edit",
                ),
            )
            observation.refresh_from_db()
            status = 409
        else:
            messages.success(
                request,
                _("The value for %(period)s was deleted.")
                % {"period": period_label(observation.period, indicator.frequency)},
            )
            return redirect(_next_url(request, indicator.get_absolute_url()))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "monitoring/observation_delete.html",
        {"observation": observation, "indicator": indicator, "form": form},
        status=status,
    )


class IndicatorRelocateView(IndicatorEditMixin, TrackedUpdateView):
    """The secretariat moves an indicator to another theme or measure."""

    form_class = forms.IndicatorRelocateForm
    form_title = gettext_lazy("Move the indicator to another theme or measure")
    save_service = staticmethod(services.indicator_relocate)

    def get_queryset(self):
        return Indicator.objects.select_related("theme", "measure")

    def may_change(self, obj) -> bool:
        return permissions.can_relocate_indicator(self.request.user)


# Row prefixes on the bulk page: "national" or "city-<slug>".
_BULK_FIELD = re.compile(r"(?P<prefix>national|city-[-\w]+)-(?:value|note)")


def _bulk_prefix(city: Organisation | None) -> str:
    return "national" if city is None else f"city-{city.slug}"


@login_required
def observation_bulk(request, pk):
    """Enter one period's values at once: a city its own, the secretariat all."""
    indicator = _visible_indicator(request, pk)
    cities, national = _require_recorder(request, indicator)
    units = ([None] if national else []) + list(cities)
    period_form = forms.BulkPeriodForm(
        request.GET if "period" in request.GET else None,
        frequency=indicator.frequency,
    )
    period = period_form.cleaned_data["period"] if period_form.is_valid() else None
    posted = request.method == "POST"
    if posted:
        allowed = {_bulk_prefix(unit) for unit in units}
        for key, value in request.POST.items():
            match = _BULK_FIELD.fullmatch(key)
            if match and value.strip() and match["prefix"] not in allowed:
                raise PermissionDenied
    rows = []
    if period is not None:
        existing = selectors.observations_of_period(indicator=indicator, period=period)
        for unit in units:
            recorded = existing.get(None if unit is None else unit.pk)
            rows.append(
                forms.BulkRowForm(
                    request.POST if posted else None,
                    prefix=_bulk_prefix(unit),
                    city=unit,
                    initial=(
                        {"value": recorded.value, "note": recorded.note}
                        if recorded
                        else {}
                    ),
                )
            )
    # Every row is validated, so that each bad one shows its error.
    valid = [row.is_valid() for row in rows]
    if posted and period is not None and all(valid):
        filled = [row for row in rows if row.cleaned_data["value"] is not None]
        try:
            services.observation_record_many(
                indicator=indicator,
                period=period,
                entries=[
                    services.ObservationEntry(
                        city=row.city,
                        value=row.cleaned_data["value"],
                        note=row.cleaned_data["note"],
                    )
                    for row in filled
                ],
                by=request.user,
            )
        except services.ObservationBatchError as failure:
            for position, error in failure.errors.items():
                filled[position].add_error("value", ValidationError(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s value for %(period)s was saved.",
                    "%(count)s values for %(period)s were saved.",
                    len(filled),
                )
                % {
                    "count": len(filled),
                    "period": period_label(period, indicator.frequency),
                },
            )
            return redirect(_next_url(request, indicator.get_absolute_url()))
    has_errors = any(row.errors for row in rows)
    return render(
        request,
        "monitoring/observation_bulk.html",
        {
            "indicator": indicator,
            "period_form": period_form,
            "period": period,
            "rows": rows,
            "has_errors": has_errors,
        },
        # A post without a valid period saves nothing, and says so.
        status=400 if has_errors or (posted and period is None) else 200,
    )


# Status thresholds


class ThresholdsUpdateView(TrackedUpdateView):
    """The secretariat's thresholds; the row is created on the first save."""

    model = StatusThresholds
    form_class = forms.StatusThresholdsForm
    form_title = gettext_lazy("Status thresholds")
    template_name = "monitoring/thresholds_form.html"
    success_message = gettext_lazy("The status thresholds were saved.")
    # The page explains the thresholds around the form, so it is never swapped alone.
    partial_template_name = None
    save_service = staticmethod(services.status_thresholds_save)
    object_argument = "thresholds"

    def may_enter(self) -> bool:
        return permissions.can_view_monitoring(self.request.user)

    def get_object(self, queryset=None):
        thresholds = StatusThresholds.objects.first()
        if thresholds is None:
            thresholds = StatusThresholds(**selectors.progress_thresholds())
        return self.checked_object(thresholds)

    def may_view(self, obj) -> bool:
        return permissions.can_view_monitoring(self.request.user)

    def may_change(self, obj) -> bool:
        return permissions.can_edit_thresholds(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_saved"] = self.object.pk is not None
        context["history"] = (
            history_entries(self.object) if self.object.pk is not None else []
        )
        return context


# Exports

# The exports the indicator list offers, by (table, format).
_EXPORTS = {
    ("indicators", "csv"),
    ("values", "csv"),
    ("indicators", "xlsx"),
    ("indicators", "json"),
}
_CSV_DELIMITERS = {"": ";", "semicolon": ";", "comma": ","}


@login_required
def indicator_export(request, table, fmt):
    """Download what the indicator list shows the user, filtered alike.

    An unknown export is 404; a filter or a delimiter that does not parse is 400.
    """
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    if (table, fmt) not in _EXPORTS:
        raise Http404
    filters = forms.IndicatorFilterForm(request.GET or None)
    if request.GET and not filters.is_valid():
        return HttpResponseBadRequest(_("The filters are not valid."))
    delimiter = _CSV_DELIMITERS.get(request.GET.get("delimiter", ""))
    if delimiter is None:
        return HttpResponseBadRequest(_("Unknown CSV delimiter."))
    cleaned = filters.cleaned_data if request.GET else {}
    export = exports.indicator_export(
        user=request.user,
        theme=cleaned.get("theme"),
        status=cleaned.get("status") or None,
    )
    if fmt == "json":
        response = JsonResponse(
            exports.indicator_json(export), json_dumps_params={"ensure_ascii": False}
        )
        return download_headers(response, filename="indicators.json")
    if fmt == "xlsx":
        return spreadsheets.xlsx_response(
            sheets=exports.indicator_sheets(export), filename="indicators.xlsx"
        )
    if table == "values":
        headers, rows = (
            exports.VALUE_COLUMNS,
            [exports.value_row(value) for value in export.values],
        )
    else:
        headers, rows = (
            exports.INDICATOR_COLUMNS,
            [exports.indicator_row(item) for item in export.items],
        )
    return spreadsheets.csv_response(
        headers=headers, rows=rows, filename=f"{table}.csv", delimiter=delimiter
    )
