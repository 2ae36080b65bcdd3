"""The cities' theme proposals; their workflow is the table in `workflow.py`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation
from themes.models import Theme


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
        return reverse("theme_proposals:proposal_detail", args=[self.pk])


# What each status allows besides its moves (those are the table in `workflow.py`).
# Statuses in which the city edits the proposal and adds or removes attachments.
EDITABLE_STATUSES = frozenset(
    {ThemeProposal.Status.DRAFT, ThemeProposal.Status.RETURNED}
)
# Statuses seen only by the proposing city (and, for a returned one, the secretariat).
PRIVATE_STATUSES = frozenset(
    {ThemeProposal.Status.DRAFT, ThemeProposal.Status.RETURNED}
)
# Statuses in which the proposal waits for the secretariat.
OPEN_STATUSES = frozenset(
    {ThemeProposal.Status.SUBMITTED, ThemeProposal.Status.UNDER_REVIEW}
)


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
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theme_proposal_transitions",
        help_text=_("Empty for a step that the system made."),
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
        return reverse("theme_proposals:proposal_list")
