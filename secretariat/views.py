from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from alliance.editing import TrackedUpdateView
from alliance.history import history_entries
from secretariat import forms, permissions, selectors
from secretariat.models import Appointment, AppointmentTask


def _require_reader(request):
    if not permissions.can_view_appointment(request.user):
        raise PermissionDenied


@login_required
def dashboard(request):
    appointment = selectors.current_appointment()
    today = timezone.localdate()
    context = {"appointment": appointment, "today": today}
    if appointment is not None and permissions.can_view_appointment(request.user):
        context.update(
            tasks=selectors.appointment_tasks(appointment=appointment),
            deadline=selectors.proposal_deadline(appointment=appointment, today=today),
        )
    return render(request, "secretariat/dashboard.html", context)


@login_required
def appointment_detail(request, pk):
    _require_reader(request)
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


class SecretariatEditMixin:
    def may_view(self, obj) -> bool:
        return permissions.can_view_appointment(self.request.user)

    def may_change(self, obj) -> bool:
        return permissions.can_edit_appointment(self.request.user)


class AppointmentUpdateView(SecretariatEditMixin, TrackedUpdateView):
    model = Appointment
    form_class = forms.AppointmentForm
    form_title = gettext_lazy("Edit the appointment decision")


class AppointmentTaskUpdateView(SecretariatEditMixin, TrackedUpdateView):
    model = AppointmentTask
    form_class = forms.AppointmentTaskForm
    form_title = gettext_lazy("Edit the task")
    inline_template_name = "secretariat/appointment_task_row.html"

    def get_inline_context(self):
        return {
            **super().get_inline_context(),
            "task": self.object,
            "may_edit": True,
        }
