"""The services' permission check and who may see and retry a background job."""

from django.core.exceptions import PermissionDenied


def rule_permits(by, rule, *args) -> bool:
    """Whether `rule(by, *args)` allows `by` to act; `by` None is the system (bootstrap,
    tasks, imports), which every rule allows."""
    return by is None or rule(by, *args)


def require_rule(by, rule, *args, refusal: Exception | None = None) -> None:
    """Refuse a write by a user whom `rule(by, *args)` refuses, with `refusal` or else
    PermissionDenied.

    Services call this first, so that a rule holds whoever calls them.
    """
    if not rule_permits(by, rule, *args):
        raise refusal or PermissionDenied


def can_view_job(user, job) -> bool:
    """A job is its requester's: each asker gets a job row of their own."""
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.is_superuser
    )


def can_retry_job(user, job) -> bool:
    return can_view_job(user, job)
