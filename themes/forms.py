from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.editing import TrackedForm
from members.models import Organisation
from themes.models import Measure, Milestone, Theme


class ThemeForm(TrackedForm):
    class Meta:
        model = Theme
        fields = [
            "title",
            "description",
            "goals",
            "status",
            "lead_organisation",
            "title_sv",
            "summary_sv",
            "is_public",
        ]


class MeasureForm(TrackedForm):
    error_fields = {"end_before_start": "end_date"}

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "lead_organisation",
            "participating_organisations",
            "start_date",
            "end_date",
            "status",
            "progress",
            "title_sv",
            "summary_sv",
            "is_public",
        ]
        widgets = {"participating_organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "participating_organisations"
        ].queryset = Organisation.objects.order_by("kind", "name_fi")

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_organisation")
        participants = cleaned.get("participating_organisations") or []
        if lead is not None and lead in participants:
            self.add_error(
                "participating_organisations",
                forms.ValidationError(
                    _("The lead organisation is already responsible for the measure."),
                    code="lead_also_participant",
                ),
            )
        return cleaned


class MilestoneForm(TrackedForm):
    class Meta:
        model = Milestone
        fields = ["title", "kind", "due_date", "done_on"]
