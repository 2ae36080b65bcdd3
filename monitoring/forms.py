import datetime
from decimal import Decimal

from django import forms

from monitoring.parsing import parse_number, parse_period
from monitoring.periods import Frequency, period_label
from monitoring.validators import validate_period_fits


class PeriodField(forms.Field):
    """A period typed as 2024, 2024-Q1 or 2024-03; cleaned to its first day.

    A form that knows the indicator sets `frequency` in its __init__, so that a
    period of the wrong length is refused.
    """

    widget = forms.TextInput

    def __init__(self, *, frequency: str | None = None, **kwargs):
        self.frequency = frequency
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        return parse_period(str(value), frequency=self.frequency)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            # Without a frequency a month is shown: it reads back as the same day.
            return period_label(value, self.frequency or Frequency.MONTHLY)
        return value

    def validate(self, value):
        super().validate(value)
        # A date given as such (an initial value, an import) has not been parsed.
        if value is not None and self.frequency is not None:
            validate_period_fits(value, self.frequency)


class FinnishDecimalField(forms.DecimalField):
    """A number typed in Finnish (1 234,5) or plain (1234.5) notation.

    The limits of forms.DecimalField (max_digits, decimal_places, min_value,
    max_value) apply to the parsed number.
    """

    # A number input would refuse the decimal comma and the thousands spaces.
    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int):
            return Decimal(value)
        return parse_number(str(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        return attrs
