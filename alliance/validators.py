"""Checks of text that arrives from outside: form fields, query parameters, paths."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# NUL and the other C0 control characters except TAB, LF and CR: no one types them,
# PostgreSQL refuses NUL in text, and the others break the documents and feeds made
# from the text.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    """Return whether `text` holds a control character that no field accepts."""
    return _CONTROL_CHARACTERS.search(text) is not None


def validate_no_control_characters(value) -> None:
    """Refuse text with NUL or another control character other than TAB, LF or CR."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _(
                "The text contains control characters that cannot be saved. Remove "
                "them, for example by typing the text again."
            ),
            code="control_characters",
        )
