from celery import shared_task
from django.utils import timezone

from members.services import replaced_accounts_deactivate


@shared_task(name="members.replaced_accounts_deactivate", acks_late=True)
def replaced_accounts_deactivate_task() -> int:
    """At the start of each day: close the accounts of members replaced by today."""
    return replaced_accounts_deactivate(today=timezone.localdate())
