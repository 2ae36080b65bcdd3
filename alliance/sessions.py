"""How long a sign-in lasts: `SESSION_IDLE_MINUTES` without a request, and
`SESSION_MAX_HOURS` from the sign-in however active the session is.

The session keeps both moments as seconds since the epoch. The last activity is
rewritten at most once a minute, so that an ordinary request does not write the session
(a write per request would be a query per page).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "alliance_signed_in_at"
ACTIVE_AT = "alliance_active_at"
# How stale the recorded last activity may be; it shortens the idle limit by as much.
ACTIVITY_PRECISION_SECONDS = 60


def session_start(sender, request, user, **kwargs):
    """Record the sign-in (connected to `user_logged_in`)."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def session_expired(session, *, now: int) -> bool:
    """Tell whether the session has been idle or lasted too long."""
    signed_in_at = session.get(SIGNED_IN_AT)
    active_at = session.get(ACTIVE_AT)
    if signed_in_at is None or active_at is None:
        # Signed in before the limits were kept: the limits count from now.
        return False
    return (
        now - active_at > settings.SESSION_IDLE_MINUTES * 60
        or now - signed_in_at > settings.SESSION_MAX_HOURS * 3600
    )


class SessionLimitMiddleware:
    """Sign out a user whose session has expired, and keep the last activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if session_expired(request.session, now=now):
                logout(request)
                messages.info(
                    request, _("Your session has ended. Please sign in again.")
                )
            else:
                if SIGNED_IN_AT not in request.session:
                    request.session[SIGNED_IN_AT] = now
                active_at = request.session.get(ACTIVE_AT, 0)
                if now - active_at >= ACTIVITY_PRECISION_SECONDS:
                    request.session[ACTIVE_AT] = now
        return self.get_response(request)
