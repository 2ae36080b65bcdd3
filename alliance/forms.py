"""The base forms of every form in the project.

Each text field refuses control characters (`alliance.validators`) with a message at
the field, before any service or query sees the text.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


class InlineRenderedInput:
    """An input written out in Python instead of through the widget templates.

    For forms repeated on every row of a long page: the HTML is that of Django's
    input.html, at a fraction of its cost.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        if widget["value"] is not None:
            html += format_html(' value="{}"', widget["value"])
        for key, setting in widget["attrs"].items():
            if setting is True:
                html += format_html(" {}", key)
            elif setting is not False and setting is not None:
                html += format_html(' {}="{}"', key, setting)
        return html + mark_safe(">")


class InlineTextInput(InlineRenderedInput, forms.TextInput):
    pass


class InlineHiddenInput(InlineRenderedInput, forms.HiddenInput):
    pass


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
