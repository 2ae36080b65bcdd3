from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.editing import TrackedForm
from members.models import Membership, Organisation
from secretariat import progress_report
from secretariat.models import Appointment, AppointmentTask
from secretariat.progress_report import Scope
from themes.models import Theme


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


class ProgressReportForm(forms.Form):
    """What a progress report covers: a scope, a period and an optional foreword."""

    scope = forms.ChoiceField(
        label=_("Report scope"),
        choices=[
            (Scope.ALL, _("All themes")),
            (Scope.THEME, _("One theme")),
            (Scope.CITY, _("One city")),
        ],
        initial=Scope.ALL,
        widget=forms.RadioSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("order", "title", "pk"),
        required=False,
        help_text=_("For a report of one theme."),
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CITY),
        required=False,
        help_text=_("For a report of one city."),
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("A year (2024), a quarter (2024-Q1) or a month (2024-03)."),
    )
    foreword = forms.CharField(
        label=_("Foreword"),
        required=False,
        max_length=progress_report.FOREWORD_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional: printed after the cover."),
    )

    def clean_period(self):
        return progress_report.report_period(self.cleaned_data["period"])

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == Scope.THEME and not cleaned.get("theme"):
            self.add_error(
                "theme", ValidationError(_("Choose the theme."), code="required")
            )
        if scope == Scope.CITY and not cleaned.get("city"):
            self.add_error(
                "city", ValidationError(_("Choose the city."), code="required")
            )
        # Only the scope's own choice is kept.
        if scope != Scope.THEME:
            cleaned["theme"] = None
        if scope != Scope.CITY:
            cleaned["city"] = None
        return cleaned
