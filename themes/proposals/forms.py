"""Forms of the cities' theme proposals. No form sets a status: the workflow does."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.editing import TrackedForm
from alliance.forms import Form
from alliance.uploads import AttachmentField
from members.models import Organisation
from themes.models import Theme
from themes.proposals import selectors as selectors
from themes.proposals.models import ProposalRound, ThemeProposal
from themes.proposals.services import MeasureDraft

Status = ThemeProposal.Status


class ProposalForm(TrackedForm):
    """The city's own text of a proposal; the city field only for several cities."""

    city = forms.ModelChoiceField(
        label=_("City"), queryset=Organisation.objects.none(), required=True
    )

    class Meta:
        model = ThemeProposal
        fields = [
            "city",
            "title",
            "rationale",
            "proposed_measures",
            "expected_impact",
            "theme",
        ]

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.order_by("order", "title", "pk")
        self.fields["theme"].empty_label = _("A new theme")
        if cities is not None and len(cities) > 1 and self.instance.pk is None:
            self.fields["city"].queryset = Organisation.objects.filter(
                pk__in=[city.pk for city in cities]
            )
        else:
            # The city of an existing proposal never changes; one city needs no choice.
            del self.fields["city"]

    def proposal_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "rationale",
                "proposed_measures",
                "expected_impact",
                "theme",
            )
        }


class ProposalAttachmentForm(Form):
    file = AttachmentField()


class ProposalCommentForm(Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ProposalTransitionForm(Form):
    """The note of a step; required where the workflow table says so."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args, transition, proposal, **kwargs):
        self.transition = transition
        self.proposal = proposal
        super().__init__(*args, **kwargs)
        self.fields["note"].required = transition.note_required
        self.fields["note"].label = transition.note_label
        if transition.note_required:
            self.fields["note"].help_text = _(
                "Shown to the city and kept in the record."
            )

    def decision(self) -> dict:
        return {}


class MeasureDraftForm(Form):
    create = forms.BooleanField(label=_("Create this measure"), required=False)
    title = forms.CharField(
        label=_("Title of the measure"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("create") and not (cleaned.get("title") or "").strip():
            self.add_error(
                "title",
                ValidationError(
                    _("Give the measure a title, or leave it out."), code="required"
                ),
            )
        return cleaned


MeasureDraftFormSet = forms.formset_factory(MeasureDraftForm, extra=1, max_num=50)


class ProposalAcceptForm(ProposalTransitionForm):
    """Accept into an existing theme or a new one, and pick the measures to create."""

    field_order = ["theme", "new_theme_title", "new_theme_lead", "note"]

    theme = forms.ModelChoiceField(
        label=_("Existing theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("— a new theme —"),
    )
    new_theme_title = forms.CharField(
        label=_("Title of the new theme"), max_length=200, required=False
    )
    new_theme_lead = forms.ModelChoiceField(
        label=_("Lead organisation of the new theme"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The proposing city, if left empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposal = self.proposal
        self.fields["theme"].queryset = Theme.objects.order_by("order", "title", "pk")
        self.fields["new_theme_lead"].queryset = Organisation.objects.order_by(
            "kind", "name_fi"
        )
        if not self.is_bound:
            self.initial.setdefault("theme", proposal.theme_id)
            if proposal.theme_id is None:
                self.initial.setdefault("new_theme_title", proposal.title)
        data = args[0] if args else kwargs.get("data")
        self.measures = MeasureDraftFormSet(
            data,
            prefix="measures",
            initial=[
                {"title": title[:200]}
                for title in selectors.proposal_measure_suggestions(proposal=proposal)
            ],
        )

    def clean(self):
        cleaned = super().clean()
        theme = cleaned.get("theme")
        title = (cleaned.get("new_theme_title") or "").strip()
        if theme is None and not title:
            raise ValidationError(
                _("Choose an existing theme or give the title of a new theme."),
                code="theme_missing",
            )
        if theme is not None and title:
            raise ValidationError(
                _("Choose either an existing theme or a new theme, not both."),
                code="theme_choice",
            )
        return cleaned

    def is_valid(self):
        # Both, so that every error is shown at once.
        return all([super().is_valid(), self.measures.is_valid()])

    def decision(self) -> dict:
        return {
            "theme": self.cleaned_data["theme"],
            "new_theme_title": self.cleaned_data["new_theme_title"],
            "new_theme_lead": self.cleaned_data["new_theme_lead"],
            "measures": [
                MeasureDraft(
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data.get("description", ""),
                )
                for form in self.measures
                if form.cleaned_data.get("create")
            ],
        }


def transition_form_class(transition) -> type[ProposalTransitionForm]:
    return ProposalAcceptForm if transition.needs_form else ProposalTransitionForm


class ProposalRoundForm(TrackedForm):
    class Meta:
        model = ProposalRound
        fields = ["closing_date"]


AGE_CHOICES = [
    ("", _("Any age")),
    ("7", _("Waiting a week or more")),
    ("14", _("Waiting two weeks or more")),
    ("30", _("Waiting a month or more")),
]


class ReviewQueueFilterForm(Form):
    """The review queue's filters; a value that does not fit is ignored."""

    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All cities"),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = selectors.proposal_cities()
        self.fields["theme"].choices = [
            ("", _("All themes")),
            (selectors.QUEUE_NEW_THEME, _("A new theme")),
            *[
                (str(pk), title)
                for pk, title in Theme.objects.order_by(
                    "order", "title", "pk"
                ).values_list("pk", "title")
            ],
        ]
        self.fields["status"].choices = [
            (selectors.QUEUE_OPEN, _("Awaiting a decision")),
            (selectors.QUEUE_ALL, _("All sent")),
            *[
                (value, label)
                for value, label in Status.choices
                if value != Status.DRAFT
            ],
        ]

    def filters(self) -> selectors.QueueFilter:
        if not self.is_bound:
            return selectors.QueueFilter()
        # Fields whose value does not fit are left out of cleaned_data: no filter.
        self.is_valid()
        data = self.cleaned_data
        theme = data.get("theme") or None
        if theme not in (None, selectors.QUEUE_NEW_THEME):
            theme = int(theme)
        return selectors.QueueFilter(
            city=data.get("city"),
            theme=theme,
            status=data.get("status") or selectors.QUEUE_OPEN,
            min_age_days=int(data["age"]) if data.get("age") else None,
        )
