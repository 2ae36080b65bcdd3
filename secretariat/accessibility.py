"""Accessibility feedback from the statement's form: stored, rate-limited, mailed.

The statement (Act 306/2019, section 15) invites anyone, signed in or not, to tell the
secretariat what they cannot use; the feedback is kept as a row and sent to the chair
and the secretariat staff through the outbox.
"""

from django.core.cache import cache
from django.db import transaction

from alliance.models import AccessibilityFeedback
from alliance.outbox import message_enqueue_rendered
from members.selectors import secretariat_users_with_email

# At most this many messages per address and per session in `WINDOW_SECONDS`.
FEEDBACK_LIMIT = 5
WINDOW_SECONDS = 60 * 60


def _rate_keys(*, address: str, session_key: str | None) -> list[str]:
    keys = [f"accessibility-feedback:address:{address}"]
    if session_key:
        keys.append(f"accessibility-feedback:session:{session_key}")
    return keys


def feedback_allowed(*, address: str, session_key: str | None) -> bool:
    """Whether this address and session may still send feedback in this window."""
    counts = cache.get_many(_rate_keys(address=address, session_key=session_key))
    return all(count < FEEDBACK_LIMIT for count in counts.values())


def _feedback_counted(*, address: str, session_key: str | None) -> None:
    for key in _rate_keys(address=address, session_key=session_key):
        if not cache.add(key, 1, timeout=WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=WINDOW_SECONDS)


def feedback_submit(
    *,
    message: str,
    page: str,
    email: str,
    language: str,
    address: str,
    session_key: str | None,
) -> AccessibilityFeedback:
    """Store the feedback and queue it to every secretariat member with an address."""
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message, page=page, email=email, language=language
        )
        for user in secretariat_users_with_email():
            message_enqueue_rendered(
                key=f"accessibility_feedback:{feedback.pk}:user:{user.pk}",
                recipient=user.email,
                language=user.language or "fi",
                templates="secretariat/email/accessibility_feedback",
                context={"feedback": feedback},
            )
    _feedback_counted(address=address, session_key=session_key)
    return feedback
