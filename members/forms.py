from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.editing import DateInput, TrackedForm
from alliance.forms import DateRangeFilterForm, Form
from alliance.models import AuditEvent
from members.models import (
    Body,
    Membership,
    NominationRequest,
    Organisation,
    Person,
    User,
)
from members.selectors import role_labels


class OrganisationForm(TrackedForm):
    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name_fi",
            "name_sv",
            "official_name_fi",
            "official_name_sv",
            "official_name_en",
            "abbreviation",
            "slug",
        ]


class PersonForm(TrackedForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "gender", "user"]


class BodyForm(TrackedForm):
    error_fields = {"term_end_before_start": "term_end"}

    class Meta:
        model = Body
        fields = [
            "name_fi",
            "name_sv",
            "name_fi_inessive",
            "serves",
            "term_start",
            "term_end",
            "equality_exception_reason",
        ]


class MembershipForm(TrackedForm):
    confirm_equality = forms.BooleanField(
        label=_("Save even though the gender balance rule would no longer be met"),
        required=False,
        widget=forms.HiddenInput,
    )
    error_fields = {
        "end_before_start": "end",
        "no_person_or_position": "person",
        "deputy_principal": "deputy_of",
    }

    class Meta:
        model = Membership
        fields = [
            "person",
            "position",
            "position_sv",
            "organisation",
            "title",
            "title_sv",
            "role",
            "deputy_of",
            "start",
            "end",
            "nomination_reference",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body_id = self.instance.body_id
        self.fields["deputy_of"].queryset = (
            Membership.objects.filter(body_id=body_id)
            .exclude(role=Membership.Role.DEPUTY)
            .select_related("person", "body")
        )
        self.fields["person"].queryset = Person.objects.order_by(
            "last_name", "first_name"
        )

    def ask_to_confirm_equality(self):
        self.fields["confirm_equality"].widget = forms.CheckboxInput()


class InviteForm(Form):
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("e-mail address"))
    username = forms.SlugField(
        label=_("user name"),
        max_length=150,
        help_text=_("Letters, numbers, hyphens and underscores, as in 'palonen'."),
    )
    language = forms.ChoiceField(
        label=_("language"), choices=User._meta.get_field("language").choices
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("roles"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person = forms.ModelChoiceField(
        label=_("person"),
        queryset=Person.objects.filter(user__isnull=True),
        required=False,
        help_text=_("Link the account to a member's record."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_roles_in_words(self.fields["roles"])

    def clean_username(self):
        username = self.cleaned_data["username"].lower()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("This user name is taken."), code="username_taken"
            )
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address."), code="email_taken"
            )
        return email


class RolesForm(Form):
    roles = forms.ModelMultipleChoiceField(
        label=_("roles"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_roles_in_words(self.fields["roles"])


def _label_roles_in_words(field: forms.ModelMultipleChoiceField) -> None:
    labels = role_labels()
    field.label_from_instance = lambda group: labels.get(group.name, group.name)


class AuditFilterForm(DateRangeFilterForm):
    """The audit trail's filters; every one may be left empty."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.order_by("last_name", "first_name", "username"),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *AuditEvent.Kind.choices],
        required=False,
    )


class NominationRequestForm(TrackedForm):
    error_fields = {"reply_due_before_sent": "reply_due"}

    class Meta:
        model = NominationRequest
        fields = ["body", "organisation", "role", "sent_on", "reply_due", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("kind", "name_fi")
        self.fields["organisation"].queryset = Organisation.objects.order_by(
            "kind", "name_fi"
        )


def _people():
    return Person.objects.order_by("last_name", "first_name")


class NominationRecordForm(Form):
    """The organisation's answer: whom it named, by which decision, when."""

    nominee = forms.ModelChoiceField(label=_("person nominated"), queryset=_people())
    decision_reference = forms.CharField(
        label=_("nomination decision"),
        max_length=200,
        help_text=_("The organisation's own decision, for example HEL-2023-010779."),
    )
    decision_date = forms.DateField(
        label=_("date of the nomination decision"), widget=DateInput()
    )


class NominationAppointForm(Form):
    """The seat made from a nomination: from when, and for a deputy, whose."""

    start = forms.DateField(label=_("start"), widget=DateInput())
    title = forms.CharField(
        label=pgettext_lazy("person", "title"), max_length=200, required=False
    )
    deputy_of = forms.ModelChoiceField(
        label=_("deputy of"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Only for a deputy member: the member they stand in for."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_of"].queryset = (
            Membership.objects.filter(body=body)
            .exclude(role=Membership.Role.DEPUTY)
            .select_related("person", "body")
        )


class ReplacementForm(Form):
    """Who comes in the leaver's place and from when; sent twice, the second time
    after the gender balance check of that day has been shown."""

    successor = forms.ModelChoiceField(label=_("successor"), queryset=_people())
    on = forms.DateField(
        label=_("from"),
        widget=DateInput(),
        help_text=_(
            "The day the seat passes to the successor: the leaver's membership ends "
            "and the successor's starts."
        ),
    )
    title = forms.CharField(
        label=_("successor's title"), max_length=200, required=False
    )
    nomination_reference = forms.CharField(
        label=_("nomination decision"),
        max_length=200,
        required=False,
        help_text=_("The nominating organisation's decision, for example its number."),
    )
    edit_token = forms.RegexField(
        regex=r"^[0-9]{1,18}$", widget=forms.HiddenInput, required=False
    )
    # The successor and day whose check was shown; a change shows the check again.
    checked = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def check_key(self) -> str:
        return f"{self.cleaned_data['successor'].pk}:{self.cleaned_data['on']}"

    def check_was_shown(self) -> bool:
        return self.cleaned_data.get("checked") == self.check_key()
