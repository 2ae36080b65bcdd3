from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A background task's run, as the UI shows it (never Celery's result backend)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
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
    result = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
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
    def is_finished(self):
        return self.state in {self.State.DONE, self.State.FAILED}
