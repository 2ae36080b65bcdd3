"""Who may see and retry a background job."""


def can_view_job(user, job) -> bool:
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.has_perm("alliance.view_job")
    )


def can_retry_job(user, job) -> bool:
    return user.is_authenticated and (
        job.requested_by_id == user.pk or user.has_perm("alliance.change_job")
    )
