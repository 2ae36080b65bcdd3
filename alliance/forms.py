"""The base forms of every form in the project.

Each text field refuses control characters (`alliance.validators`) with a message at
the field, before any service or query sees the text.
"""

from django import forms

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
