from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.frozen import FrozenModel, FrozenQuerySet


def job_result_path(job: "Job", filename: str) -> str:
    """Store a job's file under the job, so that a run again overwrites it."""
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    """A background task's run, as the UI shows it (never Celery's result backend)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        UNSENT = "unsent", _("Waiting to be sent")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(
        _("kind"),
        max_length=60,
        help_text=_("What the job produces, for example 'agenda_pdf'."),
    )
    task_name = models.CharField(_("task name"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    error = models.TextField(_("error message"), blank=True)
    result = models.FileField(_("result file"), upload_to=job_result_path, blank=True)
    result_name = models.CharField(
        _("result file name"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name the download gives the file, whatever the storage calls it."
        ),
    )
    content_key = models.CharField(
        _("content key"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "SHA-256 of what the result was made from, to reuse a stored file."
        ),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("alliance:job_detail", args=[self.pk])

    @property
    def download_name(self) -> str:
        """Return the result's name for the download (the stored name's last part
        for a job made before the name was kept)."""
        return self.result_name or self.result.name.rsplit("/", 1)[-1]

    @property
    def is_finished(self):
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def is_stale(self):
        """Whether the job shows as running past the time limit: its worker died."""
        limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        return (
            self.state == self.State.RUNNING
            and self.started_at is not None
            and self.started_at < timezone.now() - limit
        )

    @property
    def is_retryable(self):
        return self.state in {self.State.FAILED, self.State.UNSENT} or self.is_stale


class OutboxMessage(models.Model):
    """An e-mail the app sends, written with the change that causes it.

    The row commits or rolls back with that change; a task sends it after commit and
    marks it sent once. A message that could not be sent stays waiting, with the error,
    and a periodic task sends it again.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(
        _("key"),
        max_length=200,
        unique=True,
        help_text=_(
            "Names the message, for example 'proposal_transition:12:user:3', so "
            "that it is never queued twice."
        ),
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        help_text=_("The language the message was written in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "created_at"], name="outbox_message_status_idx"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient} ({self.get_status_display()})"


class OutboxAttachment(models.Model):
    """A file sent with an outgoing e-mail, stored in the row to commit with it."""

    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment of an outgoing e-mail")
        verbose_name_plural = _("attachments of outgoing e-mails")
        ordering = ["message", "pk"]

    def __str__(self):
        return self.filename


class AccessibilityFeedback(models.Model):
    """Feedback on the service's accessibility, sent from the accessibility statement.

    The Act on the Provision of Digital Services (306/2019) asks for a way to give it;
    the secretariat answers within two weeks.
    """

    MESSAGE_MAX_LENGTH = 4000

    message = models.TextField(_("feedback"), max_length=MESSAGE_MAX_LENGTH)
    page = models.CharField(
        _("page or document"),
        max_length=300,
        blank=True,
        help_text=_("Where the problem is: an address, a page's name or a document."),
    )
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Where the secretariat may answer; optional."),
    )
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y} {self.message[:60]}"


class AuditQuerySet(FrozenQuerySet):
    def expire(self, *, before) -> int:
        """Remove the events older than `before`: the one deletion the trail allows.

        Retention (`AUDIT_RETENTION_DAYS`) is the reason; every other path refuses.
        """
        deleted, _by_model = models.QuerySet.delete(self.filter(at__lt=before))
        return deleted


class AuditEvent(FrozenModel):
    """Who did what, when and from which address: written once, never changed."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_OUT = "sign_out", _("Signed out")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out")
        PERMISSION_REFUSED = "permission_refused", _("Permission refused")
        ROLES_CHANGED = "roles_changed", _("Roles changed")
        ACCOUNT_CHANGED = "account_changed", _("Account changed")
        EXPORT = "export", _("Export")
        DOWNLOAD = "download", _("Document download")
        BULK_WRITE = "bulk_write", _("Import or bulk load")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        # Deleting an account must neither change nor remove its trail.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(
        _("user name"),
        max_length=150,
        blank=True,
        help_text=_("As typed at sign-in, or the account's name at the time."),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("address on the site"), max_length=500, blank=True)
    what = models.CharField(_("what"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="audit_event_at_idx"),
            models.Index(fields=["kind", "at"], name="audit_event_kind_at_idx"),
            models.Index(fields=["user", "at"], name="audit_event_user_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()} {self.username}"


class SecrecyGround(models.TextChoices):
    """The points of section 24(1) of the Act on the Openness of Government Activities
    (621/1999) under which a working group's document may be secret.

    Only the points that can concern the documents of a ministry's working group with
    the cities are offered; the Finnish label cites the point as decisions do
    ("24 § 1 mom. 20 kohta").
    """

    INTERNATIONAL_RELATIONS = "24.1.1", _("Section 24(1)(1): international relations")
    INTERNATIONAL_COOPERATION = (
        "24.1.2",
        _("Section 24(1)(2): international cooperation"),
    )
    SECURITY_ARRANGEMENTS = (
        "24.1.7",
        _("Section 24(1)(7): security arrangements"),
    )
    PREPAREDNESS = (
        "24.1.8",
        _("Section 24(1)(8): preparedness for emergencies and civil defence"),
    )
    ECONOMIC_POLICY = (
        "24.1.13",
        _("Section 24(1)(13): financial, tax and economic policy"),
    )
    PUBLIC_BUSINESS_SECRET = (
        "24.1.17",
        _("Section 24(1)(17): business secrets of a public body"),
    )
    LABOUR_NEGOTIATIONS = (
        "24.1.18",
        _("Section 24(1)(18): labour market negotiations"),
    )
    PRIVATE_BUSINESS_SECRET = (
        "24.1.20",
        _("Section 24(1)(20): a private business or professional secret"),
    )
    RESEARCH = (
        "24.1.21",
        _("Section 24(1)(21): plans of research and development work"),
    )
    SOCIAL_WELFARE = "24.1.25", _("Section 24(1)(25): clients of social welfare")
    PRIVATE_LIFE = (
        "24.1.32",
        _("Section 24(1)(32): a person's private life"),
    )


class PublicityQuerySet(models.QuerySet):
    def public_on(self, day):
        """The records whose document the public may read on `day`.

        Secrecy ends after its last day (Act 621/1999, section 31): the document is
        then public without anyone marking it.
        """
        return self.filter(
            models.Q(status=Publicity.Status.PUBLIC)
            | models.Q(
                status=Publicity.Status.NOT_YET_PUBLIC,
                public_from__isnull=False,
                public_from__lte=day,
            )
            | models.Q(
                status=Publicity.Status.SECRET,
                secret_until__isnull=False,
                secret_until__lt=day,
            )
        )


class Publicity(models.Model):
    """Whether a document is public under the Act on the Openness of Government
    Activities (621/1999), for any document of any app.

    A document without a record is not public: the secretariat decides each one.
    """

    class Status(models.TextChoices):
        PUBLIC = "public", _("Public")
        SECRET = "secret", _("Not public: secret under section 24")
        NOT_YET_PUBLIC = "not_yet_public", _("Not yet public (section 6)")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of document"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("document"))
    document = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("publicity"), max_length=20, choices=Status.choices)
    ground = models.CharField(
        _("ground for secrecy"),
        max_length=10,
        choices=SecrecyGround.choices,
        blank=True,
        help_text=_("The point of section 24(1) of Act 621/1999 that makes it secret."),
    )
    secret_until = models.DateField(
        _("secret until"),
        null=True,
        blank=True,
        help_text=_("The last day of secrecy, for example 25 years from the document."),
    )
    public_from = models.DateField(
        _("public from"),
        null=True,
        blank=True,
        help_text=_("The day the document becomes public by itself."),
    )
    public_event = models.CharField(
        _("public when"),
        max_length=300,
        blank=True,
        help_text=_(
            "The event that makes it public, for example: when the matter has been "
            "decided. Mark the document public when it happens."
        ),
    )
    history = HistoricalRecords()

    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity of documents")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="publicity_once_per_document"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.status}"

    def clean(self):
        # What belongs to another status is dropped, so no stale ground or day remains.
        if self.status != self.Status.SECRET:
            self.ground, self.secret_until = "", None
        if self.status != self.Status.NOT_YET_PUBLIC:
            self.public_from, self.public_event = None, ""
        errors = {}
        if self.status == self.Status.SECRET and not self.ground:
            errors["ground"] = ValidationError(
                _("Choose the ground for secrecy."), code="ground_required"
            )
        if self.status == self.Status.SECRET and self.secret_until is None:
            errors["secret_until"] = ValidationError(
                _("Give the day until which the document is secret."),
                code="secret_until_required",
            )
        if (
            self.status == self.Status.NOT_YET_PUBLIC
            and self.public_from is None
            and not self.public_event.strip()
        ):
            errors["public_from"] = ValidationError(
                _("Give the day or the event when the document becomes public."),
                code="public_from_required",
            )
        if errors:
            raise ValidationError(errors)

    def is_public_on(self, day) -> bool:
        """Whether the public may read the document on `day` (the queryset's rule)."""
        if self.status == self.Status.PUBLIC:
            return True
        if self.status == self.Status.SECRET:
            return self.secret_until is not None and self.secret_until < day
        return (
            self.status == self.Status.NOT_YET_PUBLIC
            and self.public_from is not None
            and self.public_from <= day
        )


class InstallationSetting(FrozenModel):
    """A setting fixed when the installation was first set up: written once.

    Some values must outlive the environment that first gave them: a calendar event's
    UID names a host, and a UID that changed when the site moved would give every
    subscriber each event twice.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    value = models.CharField(_("value"), max_length=300)
    stored_at = models.DateTimeField(_("stored"), default=timezone.now)

    class Meta:
        verbose_name = _("installation setting")
        verbose_name_plural = _("installation settings")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} = {self.value}"
