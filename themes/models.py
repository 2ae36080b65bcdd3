import uuid

from django.conf import settings
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

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:milestone_detail", args=[self.pk])

    @property
    def is_done(self):
        return self.done_on is not None


# The cities' theme proposals (issue 6). The workflow itself is in themes/workflow.py.


class ThemeProposal(models.Model):
    """A city's proposal for a theme or for measures within one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    city = models.ForeignKey(
        Organisation,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="theme_proposals",
        limit_choices_to={"kind": Organisation.Kind.CITY},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="theme_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(
        _("rationale"), help_text=_("Why the alliance should take this up.")
    )
    proposed_measures = models.TextField(
        _("proposed measures"),
        blank=True,
        help_text=_(
            "One measure per line. The secretariat may turn them into measures of "
            "the cooperation model when it accepts the proposal."
        ),
    )
    expected_impact = models.TextField(
        _("expected impact"),
        blank=True,
        help_text=_("What would change, for whom, and how it could be followed up."),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("Leave empty to propose a new theme."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        help_text=_("Changed only through the review workflow."),
    )
    decision_note = models.TextField(
        _("decision note"),
        blank=True,
        editable=False,
        help_text=_(
            "The secretariat's reason for the latest return, acceptance or rejection."
        ),
    )
    resulting_theme = models.ForeignKey(
        Theme,
        verbose_name=_("resulting theme"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="accepted_proposals",
        help_text=_("The theme that the accepted proposal became part of."),
    )
    submitted_at = models.DateTimeField(
        _("submitted"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the proposal was last submitted; the age in the review "
            "queue counts from here."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not a real proposal of a city."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme proposal")
        verbose_name_plural = _("theme proposals")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["city", "status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("themes:proposal_detail", args=[self.pk])


class ProposalTransition(models.Model):
    """One step of a proposal through the workflow: who, when, from where to where."""

    proposal = models.ForeignKey(
        ThemeProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=ThemeProposal.Status.choices
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=ThemeProposal.Status.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="theme_proposal_transitions",
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(
        _("notified"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the e-mails about this step were sent, if any were due."),
    )

    class Meta:
        verbose_name = _("proposal transition")
        verbose_name_plural = _("proposal transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.proposal}: {self.from_status} → {self.to_status}"


class ProposalComment(models.Model):
    """A comment of the secretariat or of the proposing city on a proposal."""

    class Side(models.TextChoices):
        CITY = "city", _("City")
        SECRETARIAT = "secretariat", _("Secretariat")

    proposal = models.ForeignKey(
        ThemeProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="theme_proposal_comments",
    )
    side = models.CharField(
        _("written for"),
        max_length=12,
        choices=Side.choices,
        help_text=_("Decides who is told about the comment: the other side."),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    notified_at = models.DateTimeField(
        _("notified"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("proposal comment")
        verbose_name_plural = _("proposal comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.proposal}: {self.author}"


def proposal_attachment_path(instance, filename: str) -> str:
    """Return a random path, so that a stored file's address cannot be guessed."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"theme-proposals/{uuid.uuid4().hex}.{extension}"


class ProposalAttachment(models.Model):
    """A supporting file of a proposal, served only through the download view."""

    proposal = models.ForeignKey(
        ThemeProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), upload_to=proposal_attachment_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(
        _("content type"),
        max_length=100,
        help_text=_("Detected from the file's content, not from its name."),
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="theme_proposal_attachments",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ProposalRound(models.Model):
    """The submission settings, one row: the closing date and the reopening."""

    SINGLETON_PK = 1

    closing_date = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_(
            "The last day on which cities may submit proposals. Leave empty for no "
            "closing date."
        ),
    )
    reopened = models.BooleanField(
        _("reopened by the chair"),
        default=False,
        help_text=_("While set, proposals may be submitted after the closing date."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal round")
        verbose_name_plural = _("proposal rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="proposal_round_single_row",
                violation_error_code="single_row",
                violation_error_message=_("There is only one proposal round."),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def get_absolute_url(self):
        return reverse("themes:proposal_list")
