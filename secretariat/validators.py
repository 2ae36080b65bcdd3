import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The ministries' diary numbers: the case management prefix and running number, the
# sub-number and the year, as in TEM077:00/2023.
DIARY_NUMBER = re.compile(r"^[A-Z]{2,5}\d{3,6}:\d{2}/(19|20)\d{2}$")


def validate_diary_number(value: str) -> None:
    if not DIARY_NUMBER.match(value or ""):
        raise ValidationError(
            _("Write the diary number in the form TEM077:00/2023."),
            code="invalid_diary_number",
            params={"value": value},
        )
