import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person who signs in; their language is restored at every sign-in."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.FINNISH,
        help_text=_("The language of the pages and of the e-mails sent to the user."),
    )
    calendar_token = models.CharField(
        _("calendar address key"),
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
        help_text=_(
            "The secret part of the user's calendar subscription address; a new one "
            "makes the old address stop working."
        ),
    )
    is_example = models.BooleanField(
        _("example account"),
        default=False,
        help_text=_("Made by the demo set-up; not a real person's account."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def save(self, *args, **kwargs):
        # A new password also replaces the calendar address, which is a sign-in of
        # its own. Django holds the new raw password in _password from set_password
        # until the save that stores it; re-hashing the same password at sign-in
        # clears it first, so that keeps the address.
        if self._password is not None:
            self.calendar_token = new_calendar_token()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "calendar_token"}
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """A ministry, a city or another organisation that holds seats or leads work."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        CITY = "city", _("City")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    official_name_fi = models.CharField(
        _("official name in Finnish"),
        max_length=200,
        blank=True,
        help_text=_(
            "As decisions and minutes name it, for example 'Helsingin kaupunki'. "
            "Leave empty when it is the name in Finnish."
        ),
    )
    official_name_sv = models.CharField(
        _("official name in Swedish"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example 'Helsingfors stad'. Leave empty when it is the name in "
            "Swedish."
        ),
    )
    official_name_en = models.CharField(
        _("official name in English"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example 'City of Helsinki'. English documents print the official "
            "name in Finnish when this is empty."
        ),
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("Used in addresses and role names, for example 'helsinki'."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_fi"]
        permissions = [
            ("act_for_organisation", _("Can act for the organisation")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation_detail", args=[self.pk])

    @property
    def name(self):
        """Return the name in the active language (Swedish, otherwise Finnish)."""
        return self.name_sv if get_language() == "sv" else self.name_fi

    @property
    def short_name(self):
        return self.abbreviation or self.name

    def official_name_in(self, language: str) -> str:
        """Return the name that documents in `language` print (fi, sv or en)."""
        official_fi = self.official_name_fi or self.name_fi
        if language == "sv":
            return self.official_name_sv or self.name_sv
        if language == "en":
            return self.official_name_en or official_fi
        return official_fi


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class Person(models.Model):
    """Someone who holds or held a seat; gender is kept only for the §4 a check."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        UNRECORDED = "", _("Not recorded")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_(
            "Recorded only for the gender balance check of Act 609/1986, section 4 a; "
            "visible only to the secretariat."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:person_detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Body(models.Model):
    """The secretariat or the cooperation group it serves."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        COOPERATION_GROUP = "cooperation_group", _("Cooperation group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_fi_inessive = models.CharField(
        _("Finnish name in the inessive case"),
        max_length=200,
        help_text=_(
            "For generated sentences, for example 'Yhteistyöryhmän sihteeristössä'."
        ),
    )
    serves = models.ForeignKey(
        "self",
        verbose_name=_("serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_by",
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(
        _("term ends"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the term runs until further notice."),
    )
    equality_exception_reason = models.TextField(
        _("special reason for the gender balance"),
        blank=True,
        help_text=_(
            "A special reason recorded in the appointment that justifies departing "
            "from the 40 per cent rule of Act 609/1986, section 4 a."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name_fi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="body_term_end_not_before_start",
                violation_error_code="term_end_before_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:body_detail", args=[self.pk])

    @property
    def name(self):
        return self.name_sv if get_language() == "sv" else self.name_fi


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day):
        """Seats held on `day`. A seat passed on to a successor is the successor's on
        the day of the change, although the leaver's membership ends that day too."""
        return (
            self.filter(start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .exclude(replaced_by__on__lte=day)
        )


class Membership(models.Model):
    """A seat in a body: held by a person, or named only by position."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy member")
        EXPERT = "expert", _("Expert")
        SECRETARY = "secretary", _("Secretary")
        PERMANENT_INVITEE = "permanent_invitee", _("Permanent invitee")

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("Leave empty for a seat named by position only."),
    )
    position = models.CharField(
        _("position"),
        max_length=200,
        blank=True,
        help_text=_("For a seat named by position only, for example 'pääministeri'."),
    )
    position_sv = models.CharField(
        _("position in Swedish"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example 'statsminister'. Swedish pages and documents show the "
            "position in Finnish when this is empty."
        ),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    title = models.CharField(
        pgettext_lazy("person", "title"), max_length=200, blank=True
    )
    title_sv = models.CharField(
        pgettext_lazy("person", "title in Swedish"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example 'ledande sakkunnig'. Swedish pages and documents show the "
            "title in Finnish when this is empty."
        ),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    deputy_of = models.ForeignKey(
        "self",
        verbose_name=_("deputy of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deputies",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    nomination_reference = models.CharField(
        _("nomination decision"),
        max_length=200,
        blank=True,
        help_text=_("The nominating organisation's decision, for example its number."),
    )
    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_(
            "Where mail for the seat goes, for example the office of a minister."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="membership_end_not_before_start",
                violation_error_code="end_before_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(position=""),
                name="membership_person_or_position",
                violation_error_code="no_person_or_position",
                violation_error_message=_(
                    "Name the person, or the position for a seat named by position."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(role="deputy") & Q(deputy_of__isnull=False))
                | (~Q(role="deputy") & Q(deputy_of__isnull=True)),
                name="membership_deputy_has_principal",
                violation_error_code="deputy_principal",
                violation_error_message=_(
                    "A deputy member needs the member they stand in for, and only a "
                    "deputy has one."
                ),
            ),
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(role="chair", end__isnull=True),
                name="membership_one_open_ended_chair_per_body",
                violation_error_message=_(
                    "The body already has a chair until further notice."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} ({self.get_role_display()}, {self.body})"

    def get_absolute_url(self):
        return reverse("members:membership_detail", args=[self.pk])

    @property
    def holder_name(self):
        """Return the person's name, or the position of a seat named by position, in
        the active language."""
        return self.holder_name_in(get_language())

    @property
    def display_title(self):
        """Return the title in the active language (Swedish, otherwise Finnish)."""
        return self.title_in(get_language())

    @property
    def display_position(self):
        """Return the position in the active language (Swedish, otherwise Finnish)."""
        return self.position_in(get_language())

    def holder_name_in(self, language: str) -> str:
        """Return the person's name, or the position in `language`."""
        return self.person.full_name if self.person_id else self.position_in(language)

    def title_in(self, language: str) -> str:
        """Return the title that pages and documents in `language` show: a Swedish
        one where there is one, otherwise the Finnish."""
        return (language == "sv" and self.title_sv) or self.title

    def position_in(self, language: str) -> str:
        """Return the position in `language`: Swedish where given, else Finnish."""
        return (language == "sv" and self.position_sv) or self.position

    def dates_cover(self, day):
        """Whether `day` falls within the membership's dates. A seat passed on to a
        successor that day is nevertheless not held (`MembershipQuerySet.active_on`)."""
        return self.start <= day and (self.end is None or self.end >= day)


class NominationRequest(models.Model):
    """A request to an organisation to name a member of a body, and its answer.

    The organisation answers with its own decision (for example a city board's, with
    its number and date); the secretariat then adds the person it named as a member.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        NOMINATED = "nominated", _("Nominated")
        APPOINTED = "appointed", _("Member added")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="nomination_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation asked"),
        on_delete=models.PROTECT,
        related_name="nomination_requests",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    sent_on = models.DateField(_("sent on"))
    reply_due = models.DateField(
        _("reply due"), help_text=_("The day by which the organisation should answer.")
    )
    reference = models.CharField(
        _("request reference"),
        max_length=200,
        blank=True,
        help_text=_("The number of the letter or e-mail that asked, if any."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    nominee = models.ForeignKey(
        Person,
        verbose_name=_("person nominated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    decision_reference = models.CharField(
        _("nomination decision"),
        max_length=200,
        blank=True,
        help_text=_("The organisation's own decision, for example HEL-2023-010779."),
    )
    decision_date = models.DateField(
        _("date of the nomination decision"), null=True, blank=True
    )
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nomination_request",
        help_text=_("The seat made from the nomination."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination request")
        verbose_name_plural = _("nomination requests")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_due__gte=F("sent_on")),
                name="nomination_reply_due_not_before_sent",
                violation_error_code="reply_due_before_sent",
                violation_error_message=_(
                    "The reply cannot be due before the request was sent."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation.short_name}: {self.body}"

    def get_absolute_url(self):
        return reverse("members:nomination_detail", args=[self.pk])


class NominationStatusChange(models.Model):
    """One move of a nomination request in its workflow: who, when, from, to."""

    request = models.ForeignKey(
        NominationRequest,
        verbose_name=_("nomination request"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=12, choices=NominationRequest.Status.choices
    )
    to_status = models.CharField(
        _("to status"), max_length=12, choices=NominationRequest.Status.choices
    )
    by = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a step that the system made."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change of a nomination request")
        verbose_name_plural = _("status changes of nomination requests")
        ordering = ["request", "at", "pk"]

    def __str__(self):
        return f"{self.request}: {self.from_status} → {self.to_status}"


class MembershipReplacement(models.Model):
    """A member replaced during the term: the leaver's membership ends on the day the
    successor's starts, and on that day the seat is the successor's, so that the body
    never has both, nor neither."""

    leaver = models.OneToOneField(
        Membership,
        verbose_name=_("membership ended"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    successor = models.OneToOneField(
        Membership,
        verbose_name=_("membership started"),
        on_delete=models.PROTECT,
        related_name="replacement_of",
    )
    on = models.DateField(
        _("from"),
        help_text=_(
            "The day the seat passes to the successor: the leaver's membership ends "
            "and the successor's starts."
        ),
    )
    account_closed_on = models.DateField(
        _("leaver's account deactivated on"),
        null=True,
        blank=True,
        help_text=_("Set by the daily work on the day it deactivated the account."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("replacement")
        verbose_name_plural = _("replacements")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.leaver.holder_name} → {self.successor.holder_name}"

    def get_absolute_url(self):
        return self.successor.get_absolute_url()
