import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.editing import TrackedForm
from alliance.forms import Form, ModelForm
from alliance.models import AccessibilityFeedback
from members.models import Membership, Organisation
from secretariat import progress_report, schedule
from secretariat.models import (
    PROPOSAL_TEXT_MAX_LENGTH,
    Appointment,
    AppointmentTask,
    ModelProposal,
    ModelProposalVersion,
    ProposalSection,
)
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
        fields = ["text", "text_sv", "status", "responsible"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Membership.objects.filter(
            body_id=self.instance.appointment.body_id, person__isnull=False
        ).select_related("person", "body")


class ProposalForm(TrackedForm):
    class Meta:
        model = ModelProposal
        fields = ["title", "summary", "summary_sv"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary", "summary_sv"):
            self.fields[name].max_length = PROPOSAL_TEXT_MAX_LENGTH
            self.fields[name].validators.append(
                MaxLengthValidator(PROPOSAL_TEXT_MAX_LENGTH)
            )
            self.fields[name].widget.attrs["maxlength"] = PROPOSAL_TEXT_MAX_LENGTH


class ProposalSectionForm(TrackedForm):
    """A section's title and its Markdown text, previewed beside the editor."""

    class Meta:
        model = ProposalSection
        fields = ["title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.max_length = PROPOSAL_TEXT_MAX_LENGTH
        body.validators.append(MaxLengthValidator(PROPOSAL_TEXT_MAX_LENGTH))
        # The preview follows the typing: htmx posts the form a moment after the
        # last keystroke and puts the returned HTML beside the editor.
        body.widget.attrs.update(
            {
                "maxlength": PROPOSAL_TEXT_MAX_LENGTH,
                "rows": 24,
                "class": "markdown-editor__text",
                "hx-post": reverse("secretariat:proposal_preview"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#markdown-preview",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )


CURRENT = "current"


class ProposalCompareForm(Form):
    """The two sides of a comparison, from the query string: version numbers or
    "current", the proposal as it is now. Missing sides default to the latest
    version and the current text."""

    def __init__(self, data, *, versions: list[ModelProposalVersion]):
        choices = [(CURRENT, _("Current text (not a version)"))] + [
            (str(version.number), _version_label(version)) for version in versions
        ]
        latest = str(versions[0].number) if versions else CURRENT
        data = {
            "from": data.get("from") or latest,
            "to": data.get("to") or CURRENT,
        }
        super().__init__(data)
        for name, label in (
            ("from", pgettext_lazy("proposal comparison", "Compare")),
            ("to", pgettext_lazy("proposal comparison", "with")),
        ):
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                error_messages={
                    "invalid_choice": _(
                        "There is no version %(value)s: choose one from the list."
                    )
                },
            )

    def sides(self) -> tuple[int | None, int | None]:
        """The version numbers compared, None for the current text."""
        return tuple(
            None if self.cleaned_data[name] == CURRENT else int(self.cleaned_data[name])
            for name in ("from", "to")
        )


def _version_label(version: ModelProposalVersion) -> str:
    return _("Version %(number)s, %(date)s, %(author)s") % {
        "number": version.number,
        "date": date_format(
            timezone.localtime(version.created_at), "SHORT_DATE_FORMAT"
        ),
        "author": version.created_by.get_full_name()
        or version.created_by.get_username(),
    }


class ProgressReportForm(Form):
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


class AccessibilityFeedbackForm(ModelForm):
    """What a person cannot use, and where; an address only if they want an answer."""

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}


class MonthInput(forms.TextInput):
    """The browser's month picker; the value travels as 2024-01."""

    input_type = "month"


class ScheduleWindowForm(Form):
    """The schedule's window as the query string gives it: the first month shown and
    the theme whose measures are open. Every field may be left out."""

    start = forms.CharField(
        label=_("From month"),
        required=False,
        max_length=7,
        widget=MonthInput(
            attrs={
                "min": schedule.FIRST_WINDOW_START.strftime("%Y-%m"),
                "max": schedule.LAST_WINDOW_START.strftime("%Y-%m"),
            }
        ),
        help_text=_("Year and month, for example 2024-01."),
    )
    theme = forms.IntegerField(
        required=False,
        min_value=1,
        # A larger number would overflow the database's key before it found nothing.
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
    )

    def clean_start(self) -> date | None:
        text = self.cleaned_data["start"]
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text, flags=re.ASCII)
        first, last = schedule.FIRST_WINDOW_START, schedule.LAST_WINDOW_START
        if match is None or not (
            first.year <= int(match[1]) <= last.year and 1 <= int(match[2]) <= 12
        ):
            raise ValidationError(
                _("Enter a month from %(first)s to %(last)s, for example 2024-01."),
                params={
                    "first": first.strftime("%Y-%m"),
                    "last": last.strftime("%Y-%m"),
                },
            )
        return date(int(match[1]), int(match[2]), 1)

    def window(self, *, today: date) -> schedule.ScheduleWindow:
        """The window asked for, or the one around `today` (also when the form is
        not valid)."""
        start = self.is_valid() and self.cleaned_data["start"]
        if start:
            return schedule.ScheduleWindow(start=start)
        return schedule.ScheduleWindow.around(today)
