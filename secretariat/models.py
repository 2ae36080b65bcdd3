from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.frozen import FrozenModel
from members.models import Body, Membership, Organisation
from secretariat.validators import validate_diary_number


class Appointment(models.Model):
    """The decision that appoints a body, with the tasks it gives."""

    diary_number = models.CharField(
        _("diary number"),
        max_length=40,
        unique=True,
        validators=[validate_diary_number],
        help_text=_("For example TEM077:00/2023."),
    )
    date = models.DateField(_("date of decision"))
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    document_type = models.CharField(
        _("document type"), max_length=100, default="Asettamispäätös"
    )
    title_fi = models.CharField(_("title in Finnish"), max_length=300)
    title_sv = models.CharField(_("title in Swedish"), max_length=300)
    distribution = models.CharField(_("distribution"), max_length=300, blank=True)
    background = models.TextField(_("background"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    body = models.OneToOneField(
        Body,
        verbose_name=_("appointed body"),
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    model_proposal_due = models.DateField(
        _("proposal deadline"),
        null=True,
        blank=True,
        help_text=_("When the proposal for the cooperation model must be ready."),
    )
    experts = models.TextField(_("experts"), blank=True)
    cost_provisions = models.TextField(_("costs"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment decision")
        verbose_name_plural = _("appointment decisions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.document_type} {self.diary_number}"

    def get_absolute_url(self):
        return reverse("secretariat:appointment_detail", args=[self.pk])


class Signatory(models.Model):
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment decision"),
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["appointment", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "order"], name="signatory_order_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.name}"


class AppointmentTask(models.Model):
    """One of the numbered tasks that the decision gives the body."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CONTINUOUS = "continuous", _("Continuous")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment decision"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("task"))
    text_sv = models.TextField(
        _("task in Swedish"),
        blank=True,
        help_text=_(
            "The decision gives its tasks in Finnish only; this translation is shown "
            "on Swedish pages, the Finnish text when it is empty."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    responsible = models.ForeignKey(
        Membership,
        verbose_name=_("responsible member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_tasks",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task of the decision")
        verbose_name_plural = _("tasks of the decision")
        ordering = ["appointment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "number"], name="appointment_task_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="appointment_task_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.display_text}"

    def get_absolute_url(self):
        return (
            reverse("secretariat:appointment_detail", args=[self.appointment_id])
            + f"#task-{self.number}"
        )

    @property
    def display_text(self):
        """Return the task in the active language (Swedish, otherwise Finnish)."""
        return self.text_in(get_language())

    def text_in(self, language: str) -> str:
        """Return the task in `language`: the Swedish translation where there is
        one, otherwise the decision's Finnish."""
        return (language == "sv" and self.text_sv) or self.text


DEFAULT_PROPOSAL_TITLE = "Esitys valtion ja suurten kaupunkien yhteistyömallista"
# The longest text of a section or summary, in characters: some forty pages, far more
# than a section of a proposal needs, and little enough to preview as one types.
PROPOSAL_TEXT_MAX_LENGTH = 100_000


class ModelProposal(models.Model):
    """The secretariat's proposal for the cooperation model: its own text.

    The document adds the live model (themes, measures, milestones, indicators) to
    this text; `ModelProposalVersion` freezes both.
    """

    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("appointment decision"),
        on_delete=models.PROTECT,
        related_name="model_proposal",
    )
    title = models.CharField(_("title"), max_length=300, default=DEFAULT_PROPOSAL_TITLE)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The summary (tiivistelmä) at the start of the proposal."),
    )
    summary_sv = models.TextField(
        _("summary in Swedish"),
        blank=True,
        help_text=_("Optional: the Swedish summary (sammandrag)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal for the cooperation model")
        verbose_name_plural = _("proposals for the cooperation model")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("secretariat:proposal")


class ProposalSection(models.Model):
    """A section of the proposal's text, in Markdown, in the order staff set.

    The sections that the decision's tasks ask for exist once each and cannot be
    removed; the document adds the live model after the text of some of them.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation and goals")
        OPERATING_MODEL = "operating_model", _("Themes, measures and operating model")
        SCHEDULE = "schedule", _("Schedule for launch and implementation")
        MONITORING = "monitoring", _("Monitoring of implementation")
        OWN = "own", _("Section added by the secretariat")

    proposal = models.ForeignKey(
        ModelProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.OWN
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Markdown: paragraphs, headings (#), lists (- or 1.), **bold**, "
            "*italic*, links and tables."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not written by the secretariat."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section of the proposal")
        verbose_name_plural = _("sections of the proposal")
        ordering = ["proposal", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "kind"],
                condition=~Q(kind="own"),
                name="proposal_section_task_kind_once",
                violation_error_message=_(
                    "The proposal already has a section of this kind."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("secretariat:proposal") + f"#section-{self.pk}"


class ModelProposalVersion(FrozenModel):
    """A final version of the proposal: numbered, frozen, with the files made of it.

    `snapshot` holds everything the document shows; both renderers work from it
    alone, so the files can be made again from the same content.
    """

    proposal = models.ForeignKey(
        ModelProposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"))

    class Meta:
        verbose_name = _("final version of the proposal")
        verbose_name_plural = _("final versions of the proposal")
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="proposal_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="proposal_version_number_positive"
            ),
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}


class ModelProposalFile(FrozenModel):
    """A file of a final version (PDF or Word), written once with its sha256."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"

    version = models.ForeignKey(
        ModelProposalVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to="proposal/versions/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("made"))

    class Meta:
        verbose_name = _("file of a proposal version")
        verbose_name_plural = _("files of proposal versions")
        ordering = ["version", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "format"], name="proposal_file_once_per_format"
            ),
        ]

    def __str__(self):
        return self.file.name
