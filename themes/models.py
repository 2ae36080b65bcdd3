from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation


class Theme(models.Model):
    """A theme of the cooperation model, for example employment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(
        _("goals"),
        blank=True,
        help_text=_("What the state and the cities aim to achieve within the theme."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_themes",
        help_text=_("The ministry or city that is responsible for the theme."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Themes are listed in ascending order.")
    )
    title_sv = models.CharField(
        _("title in Swedish"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the Swedish public page; optional."),
    )
    summary_sv = models.TextField(
        _("summary in Swedish"),
        blank=True,
        help_text=_("Shown on the Swedish public page; optional."),
    )
    is_public = models.BooleanField(
        _("shown on the public page"),
        default=False,
        help_text=_(
            "Publish this on the alliance's public page. Example content is never "
            "shown there."
        ),
    )
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not decided by the cooperation group."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:theme_detail", args=[self.pk])


class Measure(models.Model):
    """A measure carried out within a theme, led by one organisation."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_measures",
    )
    participating_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="measures_participated",
        help_text=_("Organisations taking part besides the lead organisation."),
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the start has not been decided."),
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the end has not been decided."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "The lead organisation's estimate of how far the measure has been carried "
            "out, from 0 to 100 per cent."
        ),
    )
    order = models.PositiveIntegerField(
        _("order"),
        default=0,
        help_text=_("Measures are listed in ascending order within their theme."),
    )
    title_sv = models.CharField(
        _("title in Swedish"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the Swedish public page; optional."),
    )
    summary_sv = models.TextField(
        _("summary in Swedish"),
        blank=True,
        help_text=_("Shown on the Swedish public page; optional."),
    )
    is_public = models.BooleanField(
        _("shown on the public page"),
        default=False,
        help_text=_(
            "Publish this on the alliance's public page. Example content is never "
            "shown there."
        ),
    )
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not decided by the cooperation group."),
    )
    # The participants are part of what was agreed, so their changes are kept too.
    history = HistoricalRecords(m2m_fields=[participating_organisations])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["theme__order", "theme_id", "order", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="measure_end_not_before_start",
                violation_error_code="end_before_start",
                violation_error_message=_("A measure cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="measure_progress_between_0_and_100",
                violation_error_code="progress_out_of_range",
                violation_error_message=_(
                    "The progress must be between 0 and 100 per cent."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:measure_detail", args=[self.pk])


class Milestone(models.Model):
    """A dated step of a theme or of a measure (one of them, never both)."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch")
        IMPLEMENTATION = "implementation", _("Implementation")
        REPORTING = "reporting", _("Reporting")
        DECISION = "decision", _("Decision")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(
        _("done on"),
        null=True,
        blank=True,
        help_text=_("Leave empty until the milestone has been reached."),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
        help_text=_("Fill in either the theme or the measure, not both."),
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
        help_text=_("Fill in either the theme or the measure, not both."),
    )
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not decided by the cooperation group."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False, measure__isnull=True)
                | Q(theme__isnull=True, measure__isnull=False),
                name="milestone_theme_xor_measure",
                violation_error_code="theme_xor_measure",
                violation_error_message=_(
                    "A milestone belongs either to a theme or to a measure, not both."
                ),
            ),
        ]
        indexes = [
            # The dashboard's first open milestones, upcoming and overdue, read in
            # order from the index instead of sorting every open milestone.
            models.Index(
                fields=["due_date", "id"],
                condition=Q(done_on__isnull=True),
                name="milestone_open_by_due_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:milestone_detail", args=[self.pk])
