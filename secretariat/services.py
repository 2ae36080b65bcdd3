"""Writes of the secretariat app: the appointment decision and its tasks."""

from django.db import transaction

from alliance.history import save_tracked
from members.models import User
from secretariat.models import Appointment, AppointmentTask

# Editing in the browser: each write records who and when and refuses a save made on a
# version someone else has changed meanwhile.


def appointment_save(
    *, appointment: Appointment, by: User, token: str | None = None
) -> Appointment:
    with transaction.atomic():
        appointment.full_clean()
        return save_tracked(appointment, by=by, token=token)


def appointment_task_save(
    *, task: AppointmentTask, by: User, token: str | None = None
) -> AppointmentTask:
    with transaction.atomic():
        task.full_clean()
        return save_tracked(task, by=by, token=token)
