from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from members.models import User


@shared_task(name="members.send_invitation", acks_late=True)
def send_invitation(*, user_id: int) -> None:
    """E-mail a new account's owner, in their language, a link to set a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": link, "site_url": settings.SITE_URL}
    with translation.override(user.language):
        subject = render_to_string("members/email/invitation_subject.txt", context)
        body = render_to_string("members/email/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
