"""E-mail about accounts: the invitation of a new account and the password reset.

Both go through the outbox, written in the transaction that creates the account or
asks for the reset, in the language of the account's owner.
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from alliance.forms import ControlCharactersRefusedMixin
from alliance.outbox import message_enqueue, message_enqueue_rendered
from members.models import User


def invitation_enqueue(*, user: User) -> None:
    """Queue the e-mail that gives a new account's owner a link to set a password."""
    if not user.email:
        return
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": link, "site_url": settings.SITE_URL}
    message_enqueue_rendered(
        key=f"account_invitation:{user.pk}",
        recipient=user.email,
        language=user.language,
        templates="members/email/invitation",
        context=context,
    )


class OutboxPasswordResetForm(ControlCharactersRefusedMixin, PasswordResetForm):
    """Django's password reset form, its e-mail sent through the outbox.

    The message names the account and is written in the account's language, whatever
    the language of the browser that asked; its link is on `SITE_URL`, not on the host
    the request happened to name.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        context = {
            **context,
            "link": settings.SITE_URL
            + reverse(
                "password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            ),
        }
        with translation.override(user.language):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
            html_body = ""
            if html_email_template_name is not None:
                html_body = render_to_string(html_email_template_name, context)
        message_enqueue(
            key=f"password_reset:{context['uid']}:{context['token']}",
            recipient=to_email,
            subject=subject,
            body=body,
            html_body=html_body,
            language=user.language,
        )
