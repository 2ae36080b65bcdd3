"""Meetings of the cooperation group and of the secretariat: agendas, minutes, tasks."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.uploads import filename_shortened
from members.models import Body, Membership
from themes.models import Measure, Theme
from themes.proposals.models import ThemeProposal


class Meeting(models.Model):
    """A meeting of the cooperation group or of the secretariat itself."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AGENDA_PUBLISHED = "agenda_published", _("Agenda published")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        CANCELLED = "cancelled", _("Cancelled")

    class MinutesApproval(models.TextChoices):
        NEXT_MEETING = "next_meeting", _("At the next meeting")
        CIRCULATION = "circulation", _("By circulation")

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("The meeting's number within the body, 1, 2, 3…")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("For example a meeting room and its street address."),
    )
    online_link = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Give the place, the online link or both."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    followed_version = models.ForeignKey(
        "AgendaVersion",
        verbose_name=_("agenda version followed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The published agenda that the meeting followed and the minutes record."
        ),
    )
    minutes_approval = models.CharField(
        _("minutes approved"),
        max_length=20,
        choices=MinutesApproval.choices,
        blank=True,
    )
    minutes_approved_on = models.DateField(
        _("minutes approved on"), null=True, blank=True
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        verbose_name=_("minutes approved at the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes_of",
    )
    minutes_taker = models.ForeignKey(
        Membership,
        verbose_name=_("minutes taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_minuted",
        help_text=_(
            "The seat whose holder writes the minutes and signs them with the chair."
        ),
    )
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not a real meeting."),
    )
    calendar_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_(
            "Counts the changes that calendars show (time, place, status, title), "
            "so that a calendar takes the latest one."
        ),
    )
    calendar_changed_at = models.DateTimeField(
        _("calendar entry changed"),
        default=timezone.now,
        editable=False,
        help_text=_("When the meeting last changed as calendars show it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="meeting_number_unique_per_body",
                violation_error_message=_(
                    "The body already has a meeting with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="meeting_place_or_link",
                violation_error_code="no_place",
                violation_error_message=_("Give the place or the online link."),
            ),
        ]

    def __str__(self):
        return f"{self.body} {self.number}/{timezone.localtime(self.starts_at).year}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.minutes_taker_id and self.body_id:
            taker_body = self.minutes_taker.body
            if self.body_id not in {taker_body.pk, taker_body.serves_id}:
                raise ValidationError(
                    {
                        "minutes_taker": ValidationError(
                            _(
                                "Choose a seat of the body or of the secretariat "
                                "that serves it."
                            ),
                            code="minutes_taker_other_body",
                        )
                    }
                )

    @property
    def agenda_is_editable(self) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.AGENDA_PUBLISHED}

    @property
    def minutes_are_editable(self) -> bool:
        return self.status == self.Status.HELD


class MeetingStatusChange(models.Model):
    """One move of a meeting in its workflow: who, when, from where to where."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Meeting.Status.choices
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Meeting.Status.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a step that the system made."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why, where the move asks for a reason (a cancellation)."),
    )

    class Meta:
        verbose_name = _("status change of a meeting")
        verbose_name_plural = _("status changes of meetings")
        ordering = ["meeting", "at", "pk"]

    def __str__(self):
        return f"{self.meeting}: {self.from_status} → {self.to_status}"


class AgendaItem(models.Model):
    """A matter on a meeting's agenda and, once the meeting is held, its decision."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening of the meeting")
        QUORUM = "quorum", _("Legality and quorum")
        AGENDA_APPROVAL = "agenda_approval", _("Approval of the agenda")
        MATTER = "matter", _("Matter")
        NEXT_MEETING = "next_meeting", _("Next meeting")
        CLOSING = "closing", _("Closing of the meeting")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved as proposed")
        AMENDED = "amended", _("Approved as amended")
        VOTED = "voted", _("Decided after a vote")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted")
        RETURNED = "returned", _("Returned for preparation")
        TABLED = "tabled", _("Tabled")
        REMOVED = "removed", _("Removed from the agenda")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MATTER
    )
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(
        _("presenter"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who presents the matter, for example 'erityisasiantuntija Olli "
            "Voutilainen'."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    decision_proposal = models.TextField(
        _("proposal for decision"),
        blank=True,
        help_text=_("What the presenter proposes that the meeting decides."),
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text=_("The measure that the matter concerns, if any."),
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text=_(
            "The theme that the matter concerns, if any; a matter about a measure "
            "concerns the measure's theme without this."
        ),
    )
    recommended_in = models.ForeignKey(
        "self",
        verbose_name=_("secretariat's recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_in",
        help_text=_(
            "For the cooperation group: the secretariat's agenda item whose "
            "recommendation this matter decides."
        ),
    )
    theme_proposal = models.ForeignKey(
        ThemeProposal,
        verbose_name=_("theme proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text=_("The city's theme proposal that the matter concerns, if any."),
    )
    decision = models.TextField(
        _("decision"),
        blank=True,
        help_text=_("What the meeting decided, as written in the minutes."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=~Q(kind="matter"),
                name="agenda_item_standard_kind_once",
                violation_error_message=_("The agenda already has this standard item."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:agenda_builder", args=[self.meeting_id])


def _attachment_path(instance, filename: str) -> str:
    # A random folder, so that stored names cannot be guessed or collide.
    folder = f"secretariat/attachments/{uuid.uuid4().hex}/"
    room = instance._meta.get_field("file").max_length - len(folder)
    return folder + filename_shortened(filename, max_length=room)


class AgendaAttachment(models.Model):
    """A file attached to an agenda item, served only to those who may see it."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    order = models.PositiveIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class AgendaVersion(models.Model):
    """A published agenda, frozen: what was sent out, whatever changes later."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="agenda_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(
        _("content"),
        help_text=_("The meeting's facts and the agenda items as published."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="agenda_version_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "meetings:agenda_version_detail", args=[self.meeting_id, self.number]
        )

    @property
    def attachment_ids(self) -> set[int]:
        return {
            attachment["id"]
            for item in self.content.get("items", [])
            for attachment in item.get("attachments", [])
        }


class Attendance(models.Model):
    """Whether a seat was present at a meeting, as recorded in the minutes."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        DEPUTY = "deputy", _("Deputy attending")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("seat"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    substitute = models.CharField(
        _("attending instead"),
        max_length=200,
        blank=True,
        help_text=_("The deputy or other person who attended for the seat."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "membership__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_once_per_seat"
            ),
            models.CheckConstraint(
                condition=Q(status="deputy") | Q(substitute=""),
                name="attendance_substitute_only_for_deputy",
                violation_error_code="substitute_without_deputy",
                violation_error_message=_(
                    "Name who attended instead only when a deputy attended."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.membership.holder_name}: {self.get_status_display()}"


class ActionItem(models.Model):
    """A task recorded in the minutes, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
        help_text=_("The seat responsible; reminders go to its contact address."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Loaded as example data, not a real task."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:action_item_list") + f"#action-item-{self.pk}"
