from django.core.validators import MaxLengthValidator
from django.urls import reverse

from alliance.editing import TrackedForm
from members.models import Membership
from secretariat.models import (
    PROPOSAL_TEXT_MAX_LENGTH,
    Appointment,
    AppointmentTask,
    ModelProposal,
    ProposalSection,
)


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
