"""The audit trail: one function records an event, from a request or from a service.

Sign-ins, sign-outs and failed sign-ins come from Django's signals, lock-outs from
django-axes', downloads and exports from `DownloadAuditMiddleware`, refusals from the
403 handler (`alliance.views.permission_denied`); services record role and account
changes and bulk writes inside their own transaction, so that a rolled-back change
leaves no event.
"""

import datetime

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver
from django.utils import timezone

from alliance.models import AuditEvent

Kind = AuditEvent.Kind


def client_address(request) -> str | None:
    """The client's address, as the sign-in lock-out sees it (proxy-aware)."""
    return get_client_ip_address(request) or None


def audit_record(
    *,
    kind: str,
    user=None,
    username: str = "",
    what: str = "",
    request=None,
) -> AuditEvent:
    """Record one event; `request` supplies the address, the path and the user."""
    if request is not None and user is None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not username:
        username = user.get_username()
    return AuditEvent.objects.create(
        kind=kind,
        at=timezone.now(),
        user=user,
        username=username[:150],
        address=client_address(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        what=what[:500],
    )


def audit_expire() -> int:
    """Remove the events older than `AUDIT_RETENTION_DAYS`; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return AuditEvent.objects.expire(before=cutoff)


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    audit_record(kind=Kind.SIGN_IN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(kind=Kind.SIGN_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # authenticate() without a request is code checking a password, not a sign-in.
    if request is not None:
        audit_record(
            kind=Kind.SIGN_IN_FAILED,
            username=str(credentials.get("username", "")),
            request=request,
        )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(kind=Kind.LOCKED_OUT, username=username or "", request=request)


class DownloadAuditMiddleware:
    """Record every file the site hands out as an attachment, with who took it.

    `alliance.uploads.download_headers`, through which every download passes, marks
    the response with `audit_kind` (a stored document, or an export of data); any
    other attachment counts as an export.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            audit_record(
                kind=getattr(response, "audit_kind", Kind.EXPORT),
                what=disposition.partition("filename=")[2].strip('"'),
                request=request,
            )
        return response
