"""Background tasks of the monitoring app: the reporting rounds' daily reminders.

The e-mails are queued in the outbox, which sends them. Each task takes ids (or
nothing), loads rows and calls a service; each is safe to run again.
"""

from celery import shared_task
from django.utils import timezone

from monitoring import mail


@shared_task(name="monitoring.send_round_reminders", acks_late=True)
def send_round_reminders() -> int:
    """Daily: remind the cities of rounds due in a week or today."""
    return mail.round_reminders_send(today=timezone.localdate())
