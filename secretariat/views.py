from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.editing import TrackedUpdateView
from alliance.history import history_entries
from members.models import User
from members.permissions import ContentAccessMixin, require_reader
from members.services import user_calendar_token_renew
from secretariat import forms, meeting_selectors, permissions, selectors
from secretariat.ical import (
    calendar_bytes,
    day_event,
    meeting_event,
    milestone_event,
)
from secretariat.models import Appointment, AppointmentTask
from secretariat.schedule import schedule_build
from secretariat.search import search
from themes import selectors as theme_selectors
from themes.proposal_selectors import proposal_dashboard_summary, proposal_round_current


@login_required
def dashboard(request):
    appointment = selectors.current_appointment()
    today = timezone.localdate()
    context = {"appointment": appointment, "today": today}
    if not permissions.can_view_appointment(request.user):
        # Signed in but given no role yet: say so instead of showing nothing.
        return render(request, "secretariat/dashboard_no_role.html", status=403)
    if appointment is not None:
        context.update(
            tasks=selectors.appointment_tasks(appointment=appointment),
            deadline=selectors.proposal_deadline(appointment=appointment, today=today),
        )
    context.update(
        milestones=theme_selectors.milestones_upcoming(today=today),
        overdue_milestones=theme_selectors.milestones_overdue(today=today)[:10],
        late_measures=theme_selectors.measures_late(today=today)[:10],
        off_track=selectors.indicators_off_track(today=today)[:10],
        upcoming_meetings=meeting_selectors.meetings_upcoming(today=today),
        meetings_awaiting_minutes=meeting_selectors.meetings_awaiting_minutes(),
        open_action_items=meeting_selectors.action_items_for_dashboard(today=today),
        proposal_summary=proposal_dashboard_summary(user=request.user, today=today),
    )
    return render(request, "secretariat/dashboard.html", context)


@login_required
def appointment_detail(request, pk):
    require_reader(request.user)
    appointment = get_object_or_404(
        Appointment.objects.select_related("issuer", "body"), pk=pk
    )
    return render(
        request,
        "secretariat/appointment_detail.html",
        {
            "appointment": appointment,
            "tasks": selectors.appointment_tasks(appointment=appointment),
            "signatories": appointment.signatories.all(),
            "deadline": selectors.proposal_deadline(
                appointment=appointment, today=timezone.localdate()
            ),
            "history": history_entries(appointment),
            "may_edit": permissions.can_edit_appointment(request.user),
        },
    )


class AppointmentUpdateView(ContentAccessMixin, TrackedUpdateView):
    model = Appointment
    form_class = forms.AppointmentForm
    form_title = gettext_lazy("Edit the appointment decision")


class AppointmentTaskUpdateView(ContentAccessMixin, TrackedUpdateView):
    model = AppointmentTask
    form_class = forms.AppointmentTaskForm
    form_title = gettext_lazy("Edit the task")
    inline_template_name = "secretariat/appointment_task_row.html"

    def get_success_url(self):
        return self.next_url() or self.get_cancel_url()

    def get_cancel_url(self):
        return self.next_url() or (
            reverse("secretariat:appointment_detail", args=[self.object.appointment_id])
            + f"#task-{self.object.number}"
        )

    def get_inline_context(self):
        return {
            **super().get_inline_context(),
            "task": self.object,
            "may_edit": True,
        }


@login_required
def schedule(request):
    require_reader(request.user)
    appointment = selectors.current_appointment()
    today = timezone.localdate()
    return render(
        request,
        "secretariat/schedule.html",
        {
            "schedule": schedule_build(
                today=today,
                deadline=appointment.proposal_deadline if appointment else None,
                start=appointment.body.term_start if appointment else None,
            ),
            "today": today,
        },
    )


@login_required
def search_view(request):
    require_reader(request.user)
    text = request.GET.get("q", "")[:200]
    return render(
        request,
        "secretariat/search.html",
        {"text": text, "hits": search(text=text, user=request.user)},
    )


@login_required
def appointment_current(request):
    require_reader(request.user)
    appointment = selectors.current_appointment()
    if appointment is None:
        raise Http404
    return redirect(appointment)


@login_required
def calendar_subscription(request):
    """Show the user's secret calendar address, and let them replace it."""
    require_reader(request.user)
    if request.method == "POST":
        user_calendar_token_renew(user=request.user)
        messages.success(
            request,
            _("Your calendar address was replaced; the old one stops working."),
        )
        return redirect("secretariat:calendar_subscription")
    feed = request.build_absolute_uri(
        reverse("secretariat:calendar_feed", args=[request.user.calendar_token])
    )
    return render(request, "secretariat/calendar_subscription.html", {"feed_url": feed})


def calendar_feed(request, token):
    """The milestones and meetings as iCalendar, for calendar programs to subscribe to.

    Calendar programs cannot sign in, so the secret address is the key; it belongs to
    one user and stops working when the user or their role is gone.
    """
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or not permissions.can_view_appointment(user):
        raise Http404
    with translation.override(user.language):
        body = calendar_bytes(
            events=[
                *(
                    milestone_event(milestone=milestone)
                    for milestone in theme_selectors.milestones_for_calendar()
                ),
                *(
                    meeting_event(meeting=meeting)
                    for meeting in meeting_selectors.meeting_list()
                ),
                *_proposal_closing_events(),
            ],
            name=_("Allianssi"),
        )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _proposal_closing_events():
    closing = proposal_round_current().closing_date
    if closing is None:
        return []
    return [
        day_event(
            key="proposal-closing",
            day=closing,
            summary=_("Closing date of the cities' theme proposals"),
        )
    ]
