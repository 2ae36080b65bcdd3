import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from alliance.editing import DateInput, TrackedForm
from alliance.forms import (
    Form,
    InlineHiddenInput,
    InlineRenderedInput,
    InlineTextInput,
)
from alliance.paging import PAGE_SIZE
from members.models import Organisation
from monitoring import selectors
from monitoring.models import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    Indicator,
    Observation,
    ReportingRound,
    StatusThresholds,
)
from monitoring.parsing import parse_number, parse_period
from monitoring.periods import Frequency, period_label
from monitoring.selectors import ProgressStatus
from monitoring.services import observation_check, round_check
from monitoring.validators import validate_period_fits
from themes.models import Theme


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


# The model forms of the monitoring pages.


class FinnishNumberInput(InlineRenderedInput, forms.TextInput):
    """Show a stored number as people type it: 1 234,5 on Finnish pages.

    Trailing zeros of the stored decimal places are dropped, thousands are grouped
    with spaces (which the parser accepts in every language) and the decimal mark is
    the page's own, so the shown text reads back as the same number.
    """

    def format_value(self, value):
        if isinstance(value, Decimal):
            return number_for_input(value)
        return super().format_value(value)


def number_for_input(value: Decimal) -> str:
    """Return `value` without trailing zeros, grouped with spaces, in the locale."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    integer, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + " ".join(groups)
    if fraction:
        result += get_format("DECIMAL_SEPARATOR") + fraction
    return result


def _value_field(**kwargs) -> FinnishDecimalField:
    return FinnishDecimalField(
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        widget=FinnishNumberInput,
        **kwargs,
    )


class IndicatorForm(TrackedForm):
    """An indicator's definition; its theme or measure comes from the address."""

    error_fields = {"target_not_after_baseline": "target_date"}

    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "unit",
            "value_type",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "data_source",
            "frequency",
            "responsible_organisation",
            "reported_per_city",
        ]
        field_classes = {
            "baseline_value": FinnishDecimalField,
            "target_value": FinnishDecimalField,
        }
        widgets = {
            "baseline_value": FinnishNumberInput,
            "target_value": FinnishNumberInput,
            "definition": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "baseline_value": _(
                "For example 1 234,5 or -3,5. The same baseline and target apply to "
                "every city of an indicator reported per city."
            ),
            "target_value": _("For example 1 234,5 or -3,5."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.observations.exists():
            # Recorded values are periods of the old frequency; changing it would
            # leave them unreadable.
            self.fields["frequency"].disabled = True
            self.fields["frequency"].help_text = _(
                "The frequency cannot be changed once values have been recorded."
            )

    def clean(self):
        cleaned_data = super().clean()
        baseline_date = cleaned_data.get("baseline_date")
        target_date = cleaned_data.get("target_date")
        if (
            "reported_per_city" in self.changed_data
            and not cleaned_data.get("reported_per_city")
            and self.instance.pk is not None
            and self.instance.observations.filter(city__isnull=False).exists()
        ):
            self.add_error(
                "reported_per_city",
                ValidationError(
                    _(
                        "Cities have recorded values of this indicator, so it stays "
                        "reported per city."
                    ),
                    code="city_values_exist",
                ),
            )
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error(
                "target_date",
                ValidationError(
                    _("The target date must come after the baseline date."),
                    code="target_not_after_baseline",
                ),
            )
        return cleaned_data


class IndicatorFilterForm(Form):
    """The filters of the indicator list, read from the query string."""

    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ProgressStatus.choices],
    )


class ObservationForm(Form):
    """One value of one indicator: the period, the value, the city and a note.

    The city field offers only the cities whose values the user may record; the
    national value is offered only to those who may record it.
    """

    period = PeriodField(
        label=_("Period"),
        help_text=_("For example 2024 (a year), 2024-Q1 (a quarter) or 2024-03."),
    )
    value = _value_field(label=_("Value"), help_text=_("For example 1 234,5 or -3,5."))
    city = forms.ModelChoiceField(
        label=_("City"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a change in how the value is counted."),
    )

    def __init__(self, *args, indicator: Indicator, cities, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].frequency = indicator.frequency
        self.fields["period"].help_text = _PERIOD_HELP[Frequency(indicator.frequency)]
        if indicator.reported_per_city:
            city = self.fields["city"]
            city.queryset = cities
            city.required = not national
            city.empty_label = _("National value") if national else None
        else:
            del self.fields["city"]

    def clean(self):
        cleaned_data = super().clean()
        period, value = cleaned_data.get("period"), cleaned_data.get("value")
        if period is not None and value is not None:
            try:
                observation_check(
                    indicator=self.indicator,
                    period=period,
                    value=value,
                    city=cleaned_data.get("city"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


_PERIOD_HELP = {
    Frequency.YEARLY: _("A year, for example 2024."),
    Frequency.QUARTERLY: _("A quarter, for example 2024-Q1."),
    Frequency.MONTHLY: _("A month, for example 2024-03."),
}


class ObservationValueForm(TrackedForm):
    """Change a recorded value and its note; its period and city stay."""

    class Meta:
        model = Observation
        fields = ["value", "note"]
        field_classes = {"value": FinnishDecimalField}
        widgets = {
            "value": FinnishNumberInput,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"value": _("For example 1 234,5 or -3,5.")}


class BulkPeriodForm(Form):
    """The period whose values the bulk entry page shows and records."""

    period = PeriodField(label=_("Period"))

    def __init__(self, *args, frequency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].frequency = frequency
        self.fields["period"].help_text = _PERIOD_HELP[Frequency(frequency)]


class BulkRowForm(Form):
    """One row of the bulk entry page: the national value or one city's."""

    value = _value_field(label=_("Value"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, city: Organisation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city

    def clean(self):
        cleaned_data = super().clean()
        value_missing = "value" not in self.errors and cleaned_data.get("value") is None
        if value_missing and cleaned_data.get("note"):
            self.add_error(
                "value",
                ValidationError(
                    _("Enter the value the note belongs to."), code="note_without_value"
                ),
            )
        return cleaned_data


class StatusThresholdsForm(TrackedForm):
    """The secretariat's thresholds, typed as shares such as 0,7."""

    class Meta:
        model = StatusThresholds
        fields = ["on_track", "at_risk"]
        field_classes = {
            "on_track": FinnishDecimalField,
            "at_risk": FinnishDecimalField,
        }
        widgets = {"on_track": FinnishNumberInput, "at_risk": FinnishNumberInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("on_track", "at_risk"):
            self.fields[name].validators += [
                MinValueValidator(Decimal(0)),
                MaxValueValidator(Decimal(1)),
            ]

    def clean(self):
        cleaned_data = super().clean()
        on_track, at_risk = cleaned_data.get("on_track"), cleaned_data.get("at_risk")
        if on_track is not None and at_risk is not None and at_risk > on_track:
            self.add_error(
                "at_risk",
                ValidationError(
                    _("The at-risk threshold cannot be above the on-track threshold."),
                    code="thresholds_not_ordered",
                ),
            )
        return cleaned_data


# Reporting rounds


class IndicatorChoicesField(forms.ModelMultipleChoiceField):
    """Indicators chosen by id; an id that is no integer of the database is refused
    as a choice that does not exist, before the database sees it."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            text = str(pk)
            if not text.isdecimal() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


class RoundOpenForm(Form):
    """The secretariat opens a round: the period, the due date and the indicators."""

    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("For example 2024-Q1 (a quarter), 2024 (a year) or 2024-03."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        help_text=_("The day by which the cities should report their values."),
    )
    indicators = IndicatorChoicesField(
        label=_("Indicators"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only indicators reported per city are offered. Choose those recorded as "
            "often as the period: quarterly indicators for a quarter."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = self.fields["indicators"]
        indicators.queryset = Indicator.objects.filter(reported_per_city=True).order_by(
            "order", "name", "pk"
        )
        if not self.is_bound:
            # Most rounds are a quarter's: its indicators are offered chosen.
            self.initial.setdefault(
                "indicators",
                [
                    indicator.pk
                    for indicator in indicators.queryset
                    if indicator.frequency == Frequency.QUARTERLY
                ],
            )
        indicators.label_from_instance = lambda indicator: (
            f"{indicator.name} ({indicator.get_frequency_display()})"
        )

    def clean_period(self) -> tuple[datetime.date, str]:
        """Return the period's first day and its frequency."""
        text = self.cleaned_data["period"]
        day = parse_period(text)
        for frequency in Frequency:
            try:
                parse_period(text, frequency=frequency)
            except ValidationError:
                continue
            return day, frequency.value
        raise ValidationError(  # pragma: no cover - parse_period found one
            _("Enter a period as a year, a quarter or a month."), code="invalid_period"
        )

    def clean(self):
        cleaned_data = super().clean()
        period, due_date = cleaned_data.get("period"), cleaned_data.get("due_date")
        indicators = cleaned_data.get("indicators")
        if period is not None and due_date is not None and indicators is not None:
            try:
                round_check(
                    period=period[0],
                    frequency=period[1],
                    due_date=due_date,
                    indicators=list(indicators),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


# An id as a page sends it back (an indicator's, or a history entry's as an edit
# token): digits that fit a database integer.
POSTED_ID = re.compile(r"\A[0-9]{1,18}\Z")


class CityRoundValueForm(Form):
    """One of the round's indicators on a city's page: its value, note and token."""

    value = _value_field(label=_("Value"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=InlineTextInput
    )
    edit_token = forms.RegexField(
        regex=POSTED_ID, widget=InlineHiddenInput, required=False
    )
    # Which indicator the row is, read by city_round_posted_indicators: the rows a
    # page shows can change before it is saved (a value entered elsewhere leaves
    # the missing ones).
    indicator = forms.IntegerField(widget=InlineHiddenInput, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        # A selectors.CityRoundValue: the indicator, its value (or None), its token.
        self.item = item
        self.fields["indicator"].initial = item.indicator.pk

    def clean(self):
        cleaned_data = super().clean()
        if "value" in self.errors:
            return cleaned_data
        value = cleaned_data.get("value")
        # What the person was shown (see BaseCityRoundFormSet): a row shown empty
        # and left so is not emptying a value someone entered since.
        if value is None and self.initial.get("value") is not None:
            self.add_error(
                "value",
                ValidationError(
                    _(
                        "A recorded value cannot be emptied here; change it, or "
                        "delete it on the indicator's page."
                    ),
                    code="value_emptied",
                ),
            )
        elif value is None and cleaned_data.get("note"):
            self.add_error(
                "value",
                ValidationError(
                    _("Enter the value the note belongs to."), code="note_without_value"
                ),
            )
        return cleaned_data

    @property
    def wants_saving(self) -> bool:
        """Whether the person typed a value or changed the value or note shown."""
        return self.cleaned_data.get("value") is not None and bool(
            {"value", "note"} & set(self.changed_data)
        )


class BaseCityRoundFormSet(forms.BaseFormSet):
    """A row per indicator of the round, in the order of `items`."""

    def __init__(self, *args, items, **kwargs):
        self.items = list(items)
        kwargs.setdefault(
            "initial",
            [
                {
                    "value": item.observation.value if item.observation else None,
                    "note": item.observation.note if item.observation else "",
                    "edit_token": item.token,
                }
                for item in self.items
            ],
        )
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self._initial_as_shown()

    def _initial_as_shown(self) -> None:
        # A row counts as changed when it differs from what the person was shown,
        # not from what someone else saved since: otherwise a row left as it was
        # would be sent as a change and refused as a conflict, together with the
        # row the person did change.
        posted = {
            index: self.data.get(f"{self.add_prefix(index)}-edit_token", "")
            for index, item in enumerate(self.items)
        }
        stale = {
            index: token
            for index, token in posted.items()
            if token != self.items[index].token and POSTED_ID.match(token)
        }
        if not stale:
            return
        versions = selectors.observation_versions(tokens=stale.values())
        for index, token in stale.items():
            value, note = versions.get(token, (None, ""))
            self.initial[index] = self.initial[index] | {"value": value, "note": note}

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.items):
            kwargs["item"] = self.items[index]
        return kwargs

    def total_form_count(self):
        # The rows are the round's indicators, whatever the posted count says.
        return len(self.items)


CityRoundFormSet = forms.formset_factory(
    CityRoundValueForm, formset=BaseCityRoundFormSet, extra=0
)


def city_round_posted_indicators(data) -> list[int] | None:
    """Return the indicator of each row of a city's round page as posted, in order.

    None when the post is not such a page: no row count, more rows than a page has,
    a row without its indicator, or an indicator twice.
    """
    prefix = CityRoundFormSet.get_default_prefix()
    count = data.get(f"{prefix}-{TOTAL_FORM_COUNT}", "")
    if not POSTED_ID.match(count) or int(count) > PAGE_SIZE:
        return None
    posted = [
        data.get(f"{prefix}-{index}-indicator", "") for index in range(int(count))
    ]
    if not all(POSTED_ID.match(pk) for pk in posted):
        return None
    pks = [int(pk) for pk in posted]
    return pks if len(set(pks)) == len(pks) else None


class CityRoundFilterForm(Form):
    """The filters of a city's round page, read from the query string."""

    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False)
    missing = forms.BooleanField(label=_("Only the missing values"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain pairs in one query: a model choice field would read the themes
        # through a server-side cursor, and again to check the choice.
        self.fields["theme"].choices = [
            ("", _("All themes")),
            *Theme.objects.values_list("pk", "title"),
        ]


class CityReportCompleteForm(Form):
    """Mark a city's report complete, confirming any value still missing."""

    confirm_missing = forms.BooleanField(
        label=_("Mark the report complete although values are missing"),
        required=False,
    )


# Deleting a value, moving an indicator, and importing values.


class ObservationDeleteForm(Form):
    """The confirmation of a deletion, with the version of the value it was shown."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)


class IndicatorRelocateForm(TrackedForm):
    """Move an indicator to another theme or to a measure: exactly one of the two.

    The model's theme-xor-measure constraint, checked when the form is validated,
    refuses both or neither.
    """

    class Meta:
        model = Indicator
        fields = ["theme", "measure"]
        help_texts = {
            "theme": _("Choose a theme, or leave it empty and choose a measure."),
            "measure": _("Choose a measure, or leave it empty and choose a theme."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = self.fields[
            "measure"
        ].queryset.select_related("theme")


class ImportUploadForm(Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file (separated by semicolons or commas) or an Excel workbook "
            "(.xlsx) with the columns indicator, period, city and value."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


class ImportTemplateForm(Form):
    """Which template to download: a round's indicators, a theme's or all, and a
    period (a round's own period when a round is chosen)."""

    round = forms.ModelChoiceField(
        label=_("Reporting round"),
        queryset=ReportingRound.objects.all(),
        required=False,
        empty_label=_("No round"),
        help_text=_("The round's indicators, with its period filled in."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All the indicators I record"),
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=20,
        help_text=_(
            "Optional: filled in on every row for the indicators recorded at that "
            "frequency, for example 2024-Q1."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The open round is the one people report for.
        self.fields["round"].initial = (
            ReportingRound.objects.filter(status=ReportingRound.Status.OPEN)
            .values_list("pk", flat=True)
            .first()
        )

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        parse_period(text)  # refuses what is no period at all
        for frequency in Frequency:
            try:
                period = parse_period(text, frequency=frequency)
                return frequency, period_label(period, frequency)
            except ValidationError:
                continue
        return None  # pragma: no cover - a period has one of the frequencies
