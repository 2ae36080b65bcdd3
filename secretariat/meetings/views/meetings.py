"""Meetings: the list, planning, the page, the calendar file, marking one held.

Each view signs the user in, checks the rule in `permissions`, calls one service or
selector and responds: anonymous → sign-in, no role → 403, an object the user may not
see → 404, may see but not do → 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.editing import TrackedCreateView, TrackedUpdateView, redirect_next
from alliance.history import history_entries
from alliance.paging import page_of
from alliance.uploads import download_headers
from members.permissions import require_reader
from secretariat.meetings import forms as meeting_forms
from secretariat.meetings import ical, workflow
from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import Meeting
from secretariat.meetings.views.base import meeting_or_404, refused


@login_required
def meeting_list(request):
    require_reader(request.user)
    paged = page_of(request, meeting_selectors.meeting_list())
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": paged.page.object_list,
            "page": paged.page,
            "query": paged.query,
            "may_prepare": rules.can_prepare_meetings(request.user),
        },
    )


class MeetingAccessMixin:
    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return rules.can_change_meeting(self.request.user, obj)

    def may_add(self, parent) -> bool:
        return rules.can_prepare_meetings(self.request.user)


class MeetingCreateView(MeetingAccessMixin, TrackedCreateView):
    model = Meeting
    form_class = meeting_forms.MeetingForm
    form_title = gettext_lazy("Plan a meeting")

    save_service = staticmethod(meeting_services.meeting_save)

    def get_initial(self):
        return {"body": self.request.GET.get("body")}


class MeetingUpdateView(MeetingAccessMixin, TrackedUpdateView):
    model = Meeting
    form_class = meeting_forms.MeetingForm
    form_title = gettext_lazy("Edit the meeting")
    save_service = staticmethod(meeting_services.meeting_save)


@login_required
def meeting_detail(request, pk):
    meeting = meeting_or_404(request, pk)
    user = request.user
    may_prepare = rules.can_prepare_meetings(user)
    latest = meeting_selectors.agenda_latest_version(meeting=meeting)
    context = {
        "meeting": meeting,
        "may_prepare": may_prepare,
        "may_change_meeting": rules.can_change_meeting(user, meeting),
        "may_publish_revision": (
            meeting.status == Meeting.Status.AGENDA_PUBLISHED
            and rules.can_publish_agenda(user, meeting)
        ),
        "moves": [
            {
                "transition": transition,
                "url": reverse(f"meetings:{transition.name}", args=[meeting.pk]),
            }
            for transition in workflow.TRANSITIONS.allowed(user=user, obj=meeting)
        ],
        "may_edit_agenda": rules.can_edit_agenda(user, meeting),
        "may_edit_minutes": rules.can_edit_minutes(user, meeting),
        "may_see_minutes": rules.can_see_minutes(user, meeting),
        "latest_version": latest,
        "versions": meeting_selectors.agenda_versions(meeting=meeting),
        "status_changes": meeting_selectors.meeting_status_changes(meeting=meeting),
        "cancellation": meeting_selectors.meeting_cancellation(meeting=meeting),
        "today": timezone.localdate(),
        "items": meeting_selectors.agenda_items_visible_to(user=user, meeting=meeting),
    }
    if may_prepare:
        context["distribution"] = meeting_selectors.meeting_distribution(
            meeting=meeting
        )
        context["distribution_reached"] = sum(
            recipient.has_address for recipient in context["distribution"]
        )
        context["history"] = history_entries(meeting)
    else:
        context["invitees"] = meeting_selectors.meeting_invitees(meeting=meeting)
    if context["may_see_minutes"] and meeting.status in {
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_APPROVED,
    }:
        context["attendance"] = meeting_selectors.meeting_attendance(meeting=meeting)
        context["decided_items"] = meeting_selectors.agenda_items(meeting=meeting)
        context["action_items"] = meeting_selectors.action_items_of_meeting(
            meeting=meeting, today=context["today"]
        )
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_ical(request, pk):
    meeting = meeting_or_404(request, pk)
    body = ical.calendar_bytes(
        events=[ical.meeting_event(meeting=meeting, domain=ical.uid_domain())],
        name=str(meeting),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return download_headers(response, filename=ical.meeting_file_name(meeting))


@login_required
@require_POST
def meeting_mark_held(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_mark_held(request.user, meeting):
        raise PermissionDenied
    try:
        meeting_services.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, workflow.MEETING_MARK_HELD.done)
    return redirect_next(request, meeting)


@login_required
def meeting_cancel(request, pk):
    """Ask for the reason and a confirmation (GET), then call the meeting off (POST)."""
    meeting = meeting_or_404(request, pk)
    if not rules.can_cancel_meeting(request.user, meeting):
        raise PermissionDenied
    form = meeting_forms.MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, workflow.MEETING_CANCEL_PLANNED.done)
            return redirect_next(request, meeting)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {
            "meeting": meeting,
            "form": form,
            "sends_mail": meeting_selectors.agenda_latest_version(meeting=meeting)
            is not None,
        },
        status=400 if form.errors else 200,
    )
