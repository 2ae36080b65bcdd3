from django import forms

from alliance.editing import TrackedForm
from alliance.models import AccessibilityFeedback
from members.models import Membership
from secretariat.models import Appointment, AppointmentTask


class AppointmentForm(TrackedForm):
    class Meta:
        model = Appointment
        fields = [
            "diary_number",
            "date",
            "document_type",
            "title_fi",
            "title_sv",
            "distribution",
            "background",
            "objective",
            "model_proposal_due",
            "experts",
            "cost_provisions",
        ]


class AppointmentTaskForm(TrackedForm):
    class Meta:
        model = AppointmentTask
        fields = ["text", "status", "responsible"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Membership.objects.filter(
            body_id=self.instance.appointment.body_id, person__isnull=False
        ).select_related("person", "body")


class AccessibilityFeedbackForm(forms.ModelForm):
    """What a person cannot use, and where; an address only if they want an answer."""

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
