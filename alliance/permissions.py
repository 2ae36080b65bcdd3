"""The project's view mixins and the job rules."""

from django.contrib.auth.mixins import LoginRequiredMixin


class SignedInMixin(LoginRequiredMixin):
    """Send anonymous users to sign in; a signed-in user without rights gets 403."""

    raise_exception = False


def can_view_job(user, job) -> bool:
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.has_perm("alliance.view_job")
    )


def can_retry_job(user, job) -> bool:
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.has_perm("alliance.change_job")
    )
