"""The base forms of every form in the project.

Each text field refuses control characters (`alliance.validators`) with a message at
the field, before any service or query sees the text.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.validators import validate_no_control_characters


class ControlCharactersRefusedMixin:
    """Add the control-character check to every text field of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields are the form's own copies, so the class's fields stay as declared.
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_no_control_characters)


class Form(ControlCharactersRefusedMixin, forms.Form):
    """A form whose text fields refuse control characters."""


class ModelForm(ControlCharactersRefusedMixin, forms.ModelForm):
    """A model form whose text fields refuse control characters."""


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateRangeFilterForm(Form):
    """A list's filters that include a period; every field may be left empty."""

    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Inherited fields come first; the period reads best after the list's own.
        for name in ("since", "until"):
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until",
                ValidationError(
                    _("The last day comes before the first."), code="date_order"
                ),
            )
        return cleaned
