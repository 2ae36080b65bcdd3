"""The decision register: every decision of the minutes, across meetings and bodies."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance.paging import page_of
from members.permissions import require_reader
from secretariat.meetings import forms as meeting_forms
from secretariat.meetings import selectors as meeting_selectors

DECISIONS_PAGE_SIZE = 50


@login_required
@require_safe
def decision_list(request):
    require_reader(request.user)
    form = meeting_forms.DecisionFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        decisions = meeting_selectors.decisions_visible_to(user=request.user).none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        decisions = meeting_selectors.decisions_visible_to(
            user=request.user,
            body=filters.get("body"),
            meeting=filters.get("meeting"),
            theme=filters.get("theme"),
            measure=filters.get("measure"),
            outcome=filters.get("outcome", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        )
    paged = page_of(request, decisions, size=DECISIONS_PAGE_SIZE)
    page = paged.page
    for decision in page.object_list:
        decision.recommendation_shown = meeting_selectors.recommendation_shown(
            user=request.user, decision=decision
        )
    return render(
        request,
        "meetings/decision_list.html",
        {"form": form, "page": page, "query": paged.query},
        status=400 if form.errors else 200,
    )
