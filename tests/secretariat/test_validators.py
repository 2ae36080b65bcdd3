import pytest
from django.core.exceptions import ValidationError

from secretariat.validators import validate_diary_number


@pytest.mark.parametrize(
    "value", ["TEM077:00/2023", "VM123:01/2024", "OKM4567:12/1999"]
)
def test_valid_diary_numbers(value):
    validate_diary_number(value)


@pytest.mark.parametrize(
    "value",
    ["", "TEM077/2023", "tem077:00/2023", "TEM077:0/2023", "TEM77:00/2023",
     "TEM077:00/23", "TEM077:00/2023 ", "VN/1234/2023"],
)  # fmt: skip
def test_invalid_diary_numbers_are_refused_with_a_code(value):
    with pytest.raises(ValidationError) as error:
        validate_diary_number(value)
    assert error.value.code == "invalid_diary_number"
