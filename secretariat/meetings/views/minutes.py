"""The minutes: attendance, decisions, approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.editing import TrackedUpdateView, redirect_next
from secretariat.meetings import forms as meeting_forms
from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings import workflow
from secretariat.meetings.models import AgendaItem
from secretariat.meetings.views.base import meeting_or_404, refused


@login_required
def minutes_edit(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_edit_minutes(request.user, meeting):
        raise PermissionDenied
    form = meeting_forms.AttendanceForm(
        request.POST or None,
        memberships=meeting_selectors.meeting_invitees(meeting=meeting),
        attendances=meeting_selectors.meeting_attendance(meeting=meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.attendance_save(
                meeting=meeting, rows=form.attendance_rows(), by=request.user
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect_next(request, "meetings:minutes_edit", meeting.pk)
    today = timezone.localdate()
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "form": form,
            "items": meeting_selectors.agenda_items(meeting=meeting),
            "action_items": meeting_selectors.action_items_of_meeting(
                meeting=meeting, today=today
            ),
            "may_decide": rules.can_decide(request.user),
            "may_edit_minutes": True,
        },
        status=400 if form.errors else 200,
    )


class DecisionUpdateView(TrackedUpdateView):
    model = AgendaItem
    form_class = meeting_forms.DecisionForm
    form_title = gettext_lazy("Record the decision")
    inline_template_name = "meetings/minutes_item.html"
    save_service = staticmethod(meeting_services.agenda_item_decide)
    object_argument = "item"

    def may_view(self, obj) -> bool:
        return rules.can_view_meetings(self.request.user)

    def may_change(self, obj) -> bool:
        return rules.can_edit_minutes(self.request.user, obj.meeting)

    def get_success_url(self):
        return self.next_url() or reverse(
            "meetings:minutes_edit", args=[self.object.meeting_id]
        )

    def get_inline_context(self):
        return {
            **super().get_inline_context(),
            "item": self.object,
            "may_edit_minutes": True,
        }


@login_required
def minutes_approve(request, pk):
    meeting = meeting_or_404(request, pk)
    if not rules.can_approve_minutes(request.user, meeting):
        raise PermissionDenied
    form = meeting_forms.MinutesApprovalForm(
        request.POST or None,
        meeting=meeting,
        initial={"approved_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.minutes_approve(
                meeting=meeting,
                method=form.cleaned_data["method"],
                approved_on=form.cleaned_data["approved_on"],
                approved_at=form.cleaned_data["approved_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, workflow.MINUTES_APPROVE.done)
            return redirect_next(request, meeting)
    return render(
        request,
        "meetings/minutes_approve.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )
