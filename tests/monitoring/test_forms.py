import datetime
from decimal import Decimal

from django import forms

from monitoring.forms import FinnishDecimalField, PeriodField
from monitoring.periods import Frequency


class ValueForm(forms.Form):
    period = PeriodField()
    value = FinnishDecimalField(max_digits=8, decimal_places=2)
    note = forms.CharField(required=False)

    def __init__(self, *args, frequency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].frequency = frequency


def test_form_reads_finnish_input():
    form = ValueForm(
        {"period": "Q2/2024", "value": "1 234,5"}, frequency=Frequency.QUARTERLY
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"] == datetime.date(2024, 4, 1)
    assert form.cleaned_data["value"] == Decimal("1234.5")


def test_form_errors_carry_the_parsers_codes():
    form = ValueForm(
        {"period": "2024-05", "value": "1,234.5"}, frequency=Frequency.QUARTERLY
    )
    assert not form.is_valid()
    assert form.errors.as_data()["period"][0].code == "period_frequency_mismatch"
    assert form.errors.as_data()["value"][0].code == "ambiguous_number"


def test_decimal_limits_apply_to_the_parsed_number():
    form = ValueForm({"period": "2024", "value": "1 234 567,891"})
    assert not form.is_valid()
    codes = {error.code for error in form.errors.as_data()["value"]}
    assert codes & {"max_digits", "max_decimal_places"}


def test_empty_fields_are_required_or_none():
    form = ValueForm({"period": "", "value": " "})
    assert not form.is_valid()
    assert form.errors.as_data()["period"][0].code == "required"
    assert form.errors.as_data()["value"][0].code == "required"

    optional = PeriodField(required=False)
    assert optional.clean("") is None
    assert FinnishDecimalField(required=False).clean("") is None


def test_widgets_are_text_inputs_that_take_a_decimal_comma():
    form = ValueForm()
    assert 'inputmode="decimal"' in str(form["value"])
    assert 'type="text"' in str(form["value"])
    assert 'type="text"' in str(form["period"])


def test_a_period_is_shown_as_it_is_typed():
    form = ValueForm(
        initial={"period": datetime.date(2024, 7, 1)}, frequency=Frequency.QUARTERLY
    )
    assert 'value="2024-Q3"' in str(form["period"])

    field = PeriodField()
    shown = field.prepare_value(datetime.date(2024, 7, 1))
    assert shown == "2024-07"
    assert field.clean(shown) == datetime.date(2024, 7, 1)


def test_a_date_given_as_such_must_still_fit():
    field = PeriodField(frequency=Frequency.YEARLY)
    assert field.clean(datetime.date(2024, 1, 1)) == datetime.date(2024, 1, 1)
    try:
        field.clean(datetime.date(2024, 4, 1))
    except forms.ValidationError as error:
        assert error.code == "period_frequency_mismatch"
    else:  # pragma: no cover
        raise AssertionError("a date that does not start a year was accepted")
