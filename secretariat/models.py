from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
        return f"{self.number}. {self.text}"

    def get_absolute_url(self):
        return (
            reverse("secretariat:appointment_detail", args=[self.appointment_id])
            + f"#task-{self.number}"
        )


class SentMail(models.Model):
    """An e-mail sent about something, so that it is not sent twice."""

    topic = models.CharField(
        _("topic"),
        max_length=100,
        help_text=_("What the message was about, for example 'action_item:12'."),
    )
    recipient = models.EmailField(_("recipient"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "recipient", "sent_on"],
                name="sent_mail_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.topic} → {self.recipient} ({self.sent_on})"
