from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    """A person who signs in; their language is restored at every sign-in."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.FINNISH,
        help_text=_("The language of the pages and of the e-mails sent to the user."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
