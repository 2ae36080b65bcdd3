"""The services' permission check, who may see and retry a background job, and what
the public may read."""

from django.core.exceptions import PermissionDenied

from alliance.publicity import publicity_of


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


def is_public_document(document, *, day) -> bool:
    """Anyone may read a document whose publicity record is public on `day`; one
    without a record is not public."""
    record = publicity_of(document)
    return record.pk is not None and record.is_public_on(day)
