"""Forms of meetings, agenda items, minutes and action items."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.editing import DateInput, TrackedForm
from alliance.forms import DateRangeFilterForm, Form
from alliance.uploads import AttachmentField
from members.models import Body, Membership
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import standard_items, workflow
from secretariat.meetings.models import ActionItem, AgendaItem, Attendance, Meeting
from themes.models import Measure, Theme
from themes.proposals.models import ThemeProposal

# The long texts are printed through alliance.markdown, on the pages and in the PDFs.
FORMATTING_HELP = _(
    "Formatting: an empty line between paragraphs, - at the start of a line for a "
    "list, **bold**, *italic*, and a table as lines | A | B | with a line "
    "| --- | --- | under the first."
)


def formatting_help_add(form: forms.BaseForm, *names: str) -> None:
    """Tell under each named text field how its text is formatted."""
    for name in names:
        field = form.fields[name]
        field.help_text = (
            format_lazy("{} {}", field.help_text, FORMATTING_HELP)
            if field.help_text
            else FORMATTING_HELP
        )


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; the value travels as ISO 8601."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class HttpsURLField(forms.URLField):
    """A link typed without a scheme is taken as https://."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


def _seat_label(membership: Membership) -> str:
    organisation = membership.organisation
    return (
        membership.holder_name
        + (f", {organisation.short_name}" if organisation else "")
        + f" ({membership.body})"
    )


class MeetingForm(TrackedForm):
    error_fields = {"ends_before_start": "ends_at", "no_place": "place"}

    class Meta:
        model = Meeting
        fields = [
            "body",
            "number",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "minutes_taker",
        ]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        field_classes = {"online_link": HttpsURLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("kind", "name_fi")
        self.fields["number"].required = False
        self.fields["number"].help_text = _(
            "Leave empty to give the next number of the body."
        )
        if self.instance.pk:
            # The body of an existing meeting does not change; its number may.
            self.fields["body"].disabled = True
        self.fields["minutes_taker"].queryset = meeting_selectors.minutes_taker_seats(
            meeting=self.instance if self.instance.pk else None
        )
        self.fields["minutes_taker"].label_from_instance = _seat_label

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link"):
            raise ValidationError(
                _("Give the place or the online link."), code="no_place"
            )
        return cleaned

    def validate_unique(self):
        # An empty number is filled in by the service, after this check.
        if self.cleaned_data.get("number"):
            super().validate_unique()


class AgendaItemForm(TrackedForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "presenter",
            "description",
            "decision_proposal",
            "theme",
            "measure",
            "theme_proposal",
            "recommended_in",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "decision_proposal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.select_related(
            "theme"
        ).order_by("theme__order", "order", "pk")
        self.fields["measure"].label_from_instance = lambda measure: (
            f"{measure.theme} – {measure.title}"
        )
        # Drafts are the cities' own; the secretariat brings what was sent.
        self.fields["theme_proposal"].queryset = ThemeProposal.objects.exclude(
            status=ThemeProposal.Status.DRAFT
        ).select_related("city")
        self.fields["theme_proposal"].label_from_instance = lambda proposal: (
            f"{proposal.city.name}: {proposal.title}"
        )
        recommendations = meeting_selectors.recommendations_for(
            meeting=self.instance.meeting
        )
        if recommendations.exists():
            self.fields["recommended_in"].queryset = recommendations
            self.fields["recommended_in"].label_from_instance = lambda item: (
                f"{item.meeting}: {item.title}"
            )
        else:
            # Only a body that another prepares for decides on recommendations.
            del self.fields["recommended_in"]
        formatting_help_add(self, "description", "decision_proposal")


class AttachmentForm(Form):
    title = forms.CharField(
        label=pgettext_lazy("text", "Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file's name."),
    )
    file = AttachmentField()


class DecisionForm(TrackedForm):
    class Meta:
        model = AgendaItem
        fields = ["outcome", "decision"]
        widgets = {"decision": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        if standard_items.is_standard(item.kind) and not self.is_bound:
            # A standard item starts from what usually happens, in the minutes'
            # language, for the secretariat to correct.
            meeting = item.meeting
            with translation.override("fi"):
                self.initial["decision"] = standard_items.decision_text(
                    kind=item.kind,
                    decision=item.decision,
                    meeting=meeting,
                    next_meeting=meeting_selectors.meeting_next(meeting=meeting),
                    language="fi",
                ).text
            self.initial["outcome"] = standard_items.decision_outcome(
                kind=item.kind, outcome=item.outcome
            )
        formatting_help_add(self, "decision")


class AttendanceForm(Form):
    """One status (and, for a deputy, who attended) per invited seat."""

    def __init__(self, *args, memberships, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        current = {a.membership_id: a for a in attendances}
        self.rows = []
        for membership in memberships:
            attendance = current.get(membership.pk)
            status_name, substitute_name = (
                f"status_{membership.pk}",
                f"substitute_{membership.pk}",
            )
            self.fields[status_name] = forms.ChoiceField(
                label=membership.holder_name,
                choices=Attendance.Status.choices,
                initial=(
                    attendance.status if attendance else Attendance.Status.PRESENT
                ),
            )
            self.fields[substitute_name] = forms.CharField(
                label=_("Attending instead"),
                required=False,
                max_length=200,
                initial=attendance.substitute if attendance else "",
            )
            self.rows.append((membership, self[status_name], self[substitute_name]))

    def clean(self):
        cleaned = super().clean()
        for _membership, status, substitute in self.rows:
            if cleaned.get(status.name) == Attendance.Status.DEPUTY and not cleaned.get(
                substitute.name
            ):
                self.add_error(
                    substitute.name,
                    ValidationError(
                        _("Name who attended instead."), code="substitute_missing"
                    ),
                )
        return cleaned

    def attendance_rows(self) -> dict[int, tuple[str, str]]:
        return {
            membership.pk: (
                self.cleaned_data[status.name],
                self.cleaned_data[substitute.name],
            )
            for membership, status, substitute in self.rows
        }


class MinutesApprovalForm(Form):
    method = forms.ChoiceField(
        label=_("Approved"), choices=Meeting.MinutesApproval.choices
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())
    approved_at = forms.ModelChoiceField(
        label=_("At the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("The later meeting that approved the minutes."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "approved_at"
        ].queryset = meeting_selectors.meetings_for_minutes_approval(meeting=meeting)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(
            "method"
        ) == Meeting.MinutesApproval.NEXT_MEETING and not cleaned.get("approved_at"):
            self.add_error(
                "approved_at",
                ValidationError(
                    _("Choose the meeting that approved the minutes."),
                    code="approval_meeting_missing",
                ),
            )
        return cleaned


class ActionItemForm(TrackedForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "agenda_item", "owner", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        day = meeting_selectors.meeting_day(meeting)
        bodies = [meeting.body_id]
        # The secretariat prepares what its group decides, so its seats may own tasks.
        bodies += list(
            Body.objects.filter(serves_id=meeting.body_id).values_list("pk", flat=True)
        )
        self.fields["owner"].queryset = (
            Membership.objects.filter(body_id__in=bodies)
            .active_on(day)
            .select_related("person", "body", "organisation")
            .order_by("body__kind", "order")
        )
        self.fields["owner"].label_from_instance = _seat_label
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order")


class DecisionFilterForm(DateRangeFilterForm):
    """The decision register's filters; every one may be left empty."""

    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.order_by("kind", "name_fi"),
        required=False,
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.select_related("body").order_by("-starts_at", "-pk"),
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("order", "pk"), required=False
    )
    measure = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=Measure.objects.select_related("theme").order_by(
            "theme__order", "order", "pk"
        ),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("All outcomes")), *AgendaItem.Outcome.choices],
        required=False,
    )


class MeetingCancelForm(Form):
    """The reason for calling a meeting off, and the confirmation that it is meant."""

    note = forms.CharField(
        label=workflow.MEETING_CANCEL_PLANNED.note_label,
        required=workflow.MEETING_CANCEL_PLANNED.note_required,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Shown on the meeting's page and sent to those who were sent the agenda."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel this meeting. This cannot be undone."),
        error_messages={"required": _("Confirm that the meeting is cancelled.")},
    )
