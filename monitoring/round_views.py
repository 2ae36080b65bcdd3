"""The reporting rounds' pages: the list, opening and closing a round, the round's
table of cities × indicators, and each city's page of the round.

Who may do what is decided in monitoring.permissions; the writes are the services'.
A round that does not exist is 404; a city page of another city is 403, as is every
write the user may not make. (A module of its own so that the indicator views stay
readable; it moves to views/rounds.py when views.py becomes a package.)
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliance.history import history_entries
from alliance.paging import page_of
from members.models import Organisation
from members.permissions import organisations_acted_for
from monitoring import forms, permissions, selectors, services
from monitoring.models import ReportingRound


def _visible_round(request, pk) -> ReportingRound:
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    try:
        round = selectors.round_get(pk=pk)
    except ReportingRound.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_round(request.user, round):
        raise Http404
    return round


def _city(slug: str) -> Organisation:
    city = Organisation.objects.filter(kind=Organisation.Kind.CITY, slug=slug).first()
    if city is None:
        raise Http404
    return city


@login_required
def round_list(request):
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "monitoring/round_list.html",
        {
            "rounds": selectors.rounds_list(),
            "owed": selectors.rounds_owed_by_user(user=request.user, today=today),
            "today": today,
            "may_manage": permissions.can_manage_rounds(request.user),
        },
    )


@login_required
def round_open(request):
    if not permissions.can_view_monitoring(request.user):
        raise PermissionDenied
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    form = forms.RoundOpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        period, frequency = form.cleaned_data["period"]
        try:
            round = services.round_open(
                period=period,
                frequency=frequency,
                due_date=form.cleaned_data["due_date"],
                indicators=form.cleaned_data["indicators"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The round for %(period)s was opened.")
                % {"period": round.period_label},
            )
            return redirect(round.get_absolute_url())
    return render(
        request,
        "monitoring/round_open.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def round_detail(request, pk):
    round = _visible_round(request, pk)
    table = selectors.round_table(round=round, today=timezone.localdate())
    acted_for = set(organisations_acted_for(request.user).values_list("pk", flat=True))
    may_edit_content = permissions.can_manage_rounds(request.user)
    return render(
        request,
        "monitoring/round_detail.html",
        {
            "round": round,
            "table": table,
            "rows": [
                (row, may_edit_content or row.city.pk in acted_for)
                for row in table.rows
            ],
            "may_manage": permissions.can_manage_rounds(request.user),
            "history": history_entries(round),
        },
    )


@login_required
@require_POST
def round_close(request, pk):
    round = _visible_round(request, pk)
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    try:
        services.round_close(round=round, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The round for %(period)s was closed.") % {"period": round.period_label},
        )
    return redirect(round.get_absolute_url())


def _city_round(request, pk, city_slug) -> tuple[ReportingRound, Organisation]:
    round = _visible_round(request, pk)
    city = _city(city_slug)
    if not permissions.can_report_for_city(request.user, city):
        raise PermissionDenied
    return round, city


def _conflict_message(conflict) -> str:
    who = ", ".join(
        f"{entry.who} "
        + date_format(timezone.localtime(entry.when), "SHORT_DATETIME_FORMAT")
        for entry in conflict.entries
    )
    if who:
        return _(
            "Someone else saved this value after you opened the page (%(who)s). "
            "The value shown now is theirs with your entry kept; check it and save "
            "again."
        ) % {"who": who}
    return _(
        "Someone else saved this value after you opened the page. Check it and save "
        "again."
    )


def _posted_rows(request, round, city):
    """Return the rows of the posted page, each the indicator the form says it is.

    None when the post is not the page's form or names an indicator outside the
    round.
    """
    pks = forms.city_round_posted_indicators(request.POST)
    if pks is None:
        return None
    found = {
        indicator.pk: indicator
        for indicator in selectors.city_round_indicators(round=round, city=city).filter(
            pk__in=pks
        )
    }
    if len(found) != len(pks):
        return None
    return selectors.city_round_values(
        round=round, city=city, indicators=[found[pk] for pk in pks]
    )


@login_required
def city_round(request, pk, city):
    """A city's page of the round: what is missing, and a form for a page of values.

    The filters (a theme, only the missing values) and the page are in the query
    string, which the form posts back to, so that saving returns to the same rows.
    """
    round, city = _city_round(request, pk, city)
    # _city_round let in only those who report for the city (can_report_for_city):
    # of can_enter_round_values and can_complete_city_report, what is left to ask is
    # the round's half, without the queries of asking the city's half again.
    may_enter = may_complete = permissions.round_takes_reports(round)
    posted = request.method == "POST"
    if posted and not may_enter:
        raise PermissionDenied
    filters = forms.CityRoundFilterForm(request.GET or None)
    theme_id, missing_only = None, False
    if filters.is_valid():
        theme_id = filters.cleaned_data["theme"] or None
        missing_only = filters.cleaned_data["missing"]
    paged = page_of(
        request,
        selectors.city_round_indicators(
            round=round, city=city, theme_id=theme_id, missing_only=missing_only
        ),
    )
    if posted:
        items = _posted_rows(request, round, city)
        if items is None:
            return HttpResponseBadRequest(
                _("The form does not match the round. Reload the page.")
            )
    else:
        items = selectors.city_round_values(
            round=round, city=city, indicators=paged.page.object_list
        )
    # A closed round's page only reads: fifty forms would be built for nothing.
    formset = (
        forms.CityRoundFormSet(request.POST if posted else None, items=items)
        if may_enter
        else None
    )
    status = 200
    if posted and formset.is_valid():
        changed = [form for form in formset.forms if form.wants_saving]
        try:
            services.city_round_values_save(
                round=round,
                city=city,
                entries=[
                    services.RoundValueEntry(
                        indicator=form.item.indicator,
                        value=form.cleaned_data["value"],
                        note=form.cleaned_data["note"],
                        token=form.cleaned_data["edit_token"] or "0",
                    )
                    for form in changed
                ],
                by=request.user,
            )
        except services.ObservationBatchError as failure:
            for position, error in failure.errors.items():
                changed[position].add_error("value", ValidationError(error.messages))
            status = 400
        except services.RoundValuesConflict as failure:
            # Show the current tokens, so that a second save overwrites knowingly.
            current = {
                item.indicator.pk: item
                for item in selectors.city_round_values(
                    round=round,
                    city=city,
                    indicators=[form.item.indicator for form in changed],
                )
            }
            formset.data = formset.data.copy()
            for form in formset.forms:
                form.data = formset.data
            for form in changed:
                conflict = failure.conflicts.get(form.item.indicator.pk)
                if conflict is None:
                    continue
                form.add_error("value", _conflict_message(conflict))
                formset.data[form.add_prefix("edit_token")] = current[
                    form.item.indicator.pk
                ].token
            status = 409
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.get_full_path())
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s value for %(period)s was saved.",
                    "%(count)s values for %(period)s were saved.",
                    len(changed),
                )
                % {"count": len(changed), "period": round.period_label},
            )
            return redirect(request.get_full_path())
    elif posted:
        status = 400
    missing_count, total_count = selectors.city_round_missing_count(
        round=round, city=city
    )
    return render(
        request,
        "monitoring/city_round.html",
        {
            "round": round,
            "city": city,
            "rows": list(
                zip(
                    items,
                    formset.forms if formset else [None] * len(items),
                    strict=True,
                )
            ),
            "formset": formset,
            "filters": filters,
            "theme_id": theme_id,
            "filtered": bool(theme_id or missing_only),
            "page": paged.page,
            "query": paged.query,
            "missing_count": missing_count,
            "total_count": total_count,
            "report": selectors.city_report_get(round=round, city=city),
            "is_late": selectors.round_is_late(round=round, today=timezone.localdate()),
            "may_enter": may_enter,
            "may_complete": may_complete,
            "complete_form": forms.CityReportCompleteForm(),
        },
        status=status,
    )


@login_required
@require_POST
def city_report_complete(request, pk, city):
    round, city = _city_round(request, pk, city)
    if not permissions.can_complete_city_report(request.user, round, city):
        raise PermissionDenied
    form = forms.CityReportCompleteForm(request.POST)
    confirm = form.is_valid() and form.cleaned_data["confirm_missing"]
    try:
        services.city_report_complete(
            round=round, city=city, by=request.user, confirm_missing=confirm
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(city)s's report for %(period)s is marked complete.")
            % {"city": city.name, "period": round.period_label},
        )
    return redirect("monitoring:city_round", round.pk, city.slug)
