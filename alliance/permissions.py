"""The services' permission check and who may see and retry a background job."""

from django.core.exceptions import PermissionDenied


def require_rule(by, rule, *args) -> None:
    """Refuse (PermissionDenied) a write by a user whom `rule(by, *args)` refuses.

    Services call this first, so that a rule holds whoever calls them. `by` None is
    the system (bootstrap, tasks, imports), which is allowed.
    """
    if by is not None and not rule(by, *args):
        raise PermissionDenied


def can_view_job(user, job) -> bool:
    """A job is its requester's: each asker gets a job row of their own."""
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.is_superuser
    )


def can_retry_job(user, job) -> bool:
    return can_view_job(user, job)
