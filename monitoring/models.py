from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation
from monitoring import periods
from monitoring.validators import validate_observation_city, validate_period_fits
from themes.models import Measure, Theme

# Wide enough for counts in the millions with four decimals, and for percentages.
VALUE_MAX_DIGITS = 16
VALUE_DECIMAL_PLACES = 4


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


class Indicator(models.Model):
    """A measurable sign of progress of a theme or of a measure."""

    class ValueType(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("Higher is better")
        LOWER_IS_BETTER = "lower", _("Lower is better")

    Frequency = periods.Frequency

    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Fill in either the theme or the measure, not both."),
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Fill in either the theme or the measure, not both."),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("What exactly is counted, and how."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_("For example 'persons', 'days' or '%'."),
    )
    value_type = models.CharField(
        _("type of value"),
        max_length=10,
        choices=ValueType.choices,
        default=ValueType.NUMBER,
    )
    direction = models.CharField(
        _("direction"),
        max_length=6,
        choices=Direction.choices,
        default=Direction.HIGHER_IS_BETTER,
        help_text=_("Whether a rising or a falling value means progress."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        help_text=_(
            "The value progress is measured from. For an indicator reported per city "
            "the same baseline and target apply to every city."
        ),
    )
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(
        _("target value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
    )
    target_date = models.DateField(_("target date"))
    data_source = models.CharField(
        _("data source"),
        max_length=200,
        blank=True,
        help_text=_("Where the values come from, for example a statistics series."),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
        help_text=_("How often a value is recorded."),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("The organisation that records the national values."),
    )
    reported_per_city = models.BooleanField(
        _("reported per city"),
        default=False,
        help_text=_(
            "Each city records its own value besides the national one. Suits rates "
            "and shares, which can be compared between cities."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not decided by the cooperation group."),
    )
    latest_status = models.CharField(
        _("latest status"),
        max_length=10,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NO_DATA,
        editable=False,
        db_index=True,
        help_text=_(
            "The status of the latest national value, stored whenever something it "
            "depends on changes, so that lists can filter by it."
        ),
    )
    # The stored status is derived from the values and the thresholds, whose own
    # history tells what changed; an entry of its own would only repeat them.
    history = HistoricalRecords(excluded_fields=["latest_status"])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False, measure__isnull=True)
                | Q(theme__isnull=True, measure__isnull=False),
                name="indicator_theme_xor_measure",
                violation_error_code="theme_xor_measure",
                violation_error_message=_(
                    "An indicator belongs either to a theme or to a measure, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="indicator_target_after_baseline",
                violation_error_code="target_not_after_baseline",
                violation_error_message=_(
                    "The target date must come after the baseline date."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring:indicator_detail", args=[self.pk])


class Observation(models.Model):
    """The value of an indicator for one period, nationally or for one city."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    period = models.DateField(
        _("period"),
        help_text=_(
            "The first day of the period: 1 January for a year, the first day of a "
            "quarter or of a month."
        ),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
    )
    city = models.ForeignKey(
        Organisation,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        limit_choices_to={"kind": Organisation.Kind.CITY},
        help_text=_("Leave empty for the national value."),
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations_entered",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not recorded by anyone."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator_id", "period", "city_id", "pk"]
        # NULLs are distinct in a unique index, so the national value (no city)
        # needs a constraint of its own.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "city"],
                condition=Q(city__isnull=False),
                name="observation_one_value_per_city_and_period",
                violation_error_code="duplicate_city_value",
                violation_error_message=_(
                    "The city already has a value for this indicator and period."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(city__isnull=True),
                name="observation_one_national_value_per_period",
                violation_error_code="duplicate_national_value",
                violation_error_message=_(
                    "There is already a national value for this indicator and period."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_label}: {self.value}"

    def get_absolute_url(self):
        return reverse("monitoring:indicator_detail", args=[self.indicator_id])

    def clean(self):
        errors = {}
        if self.indicator_id is not None:
            if self.period is not None:
                try:
                    validate_period_fits(self.period, self.indicator.frequency)
                except ValidationError as error:
                    errors["period"] = error
            try:
                validate_observation_city(
                    city=self.city,
                    reported_per_city=self.indicator.reported_per_city,
                )
            except ValidationError as error:
                errors["city"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def period_label(self):
        return periods.period_label(self.period, self.indicator.frequency)


class StatusThresholds(models.Model):
    """The secretariat's thresholds between on track, at risk and off track.

    One row at most; without it the defaults in settings apply.
    """

    on_track = models.DecimalField(
        _("on track from"),
        max_digits=4,
        decimal_places=2,
        help_text=_(
            "Share of the expected progress (0–1) from which an indicator is on track."
        ),
    )
    at_risk = models.DecimalField(
        _("at risk from"),
        max_digits=4,
        decimal_places=2,
        help_text=_(
            "Share of the expected progress (0–1) from which an indicator is at risk; "
            "below it, off track."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status thresholds")
        verbose_name_plural = _("status thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(at_risk__gte=0)
                & Q(on_track__lte=1)
                & Q(at_risk__lte=F("on_track")),
                name="thresholds_ordered_within_0_1",
                violation_error_message=_(
                    "The thresholds must be between 0 and 1, the at-risk one not above "
                    "the on-track one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.on_track} / {self.at_risk}"

    def get_absolute_url(self):
        return reverse("monitoring:indicator_list")


class ReportingRound(models.Model):
    """The secretariat's call to the cities to report their values for one period.

    A round covers indicators reported per city whose frequency is the round's: a
    city reports its value of each of them for the round's period. The round is open
    until the secretariat closes it; a value still missing after the due date is late.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    Frequency = periods.Frequency

    period = models.DateField(
        _("period"),
        help_text=_("The first day of the period the cities report values for."),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=Frequency.choices,
        help_text=_("The length of the period: a year, a quarter or a month."),
    )
    due_date = models.DateField(
        _("due date"),
        help_text=_("The day by which the cities should have reported their values."),
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("indicators"),
        related_name="reporting_rounds",
        limit_choices_to={"reported_per_city": True},
        help_text=_(
            "Indicators reported per city, recorded as often as the round's period."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_rounds_opened",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_rounds_closed",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not opened by the secretariat."),
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period", "frequency", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "frequency"],
                name="reporting_round_one_per_period",
                violation_error_code="duplicate_round",
                violation_error_message=_("There is already a round for this period."),
            ),
        ]

    def __str__(self):
        return self.period_label

    def get_absolute_url(self):
        return reverse("monitoring:round_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return periods.period_label(self.period, self.frequency)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CityReport(models.Model):
    """A city's report for a reporting round, marked complete by its representative."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="city_reports",
    )
    city = models.ForeignKey(
        Organisation,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="city_reports",
        limit_choices_to={"kind": Organisation.Kind.CITY},
    )
    completed_at = models.DateTimeField(
        _("completed"),
        null=True,
        blank=True,
        help_text=_("Empty while the city has not marked its report complete."),
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="city_reports_completed",
    )
    missing_at_completion = models.PositiveIntegerField(
        _("values missing when completed"),
        default=0,
        help_text=_("How many of the round's values were missing when completed."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city report")
        verbose_name_plural = _("city reports")
        ordering = ["round_id", "city_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "city"],
                name="city_report_one_per_round_and_city",
                violation_error_code="duplicate_city_report",
                violation_error_message=_(
                    "The city already has a report for this round."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.round} {self.city}"

    def get_absolute_url(self):
        return reverse("monitoring:city_round", args=[self.round_id, self.city.slug])

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
