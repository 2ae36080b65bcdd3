"""The appointment decision and its tasks are written by services that track saves."""

import pytest

from secretariat import services
from secretariat.models import AppointmentTask
from tests.meetings.factories import alliance_create
from tests.tracked_saves import assert_saves_are_tracked

pytestmark = pytest.mark.django_db


def test_appointment_save_is_tracked():
    assert_saves_are_tracked(
        save=services.appointment_save,
        argument="appointment",
        instance=alliance_create().appointment,
        field="objective",
        values=["Malli valmiiksi.", "Malli ja kokeilut.", "Pelkät kokeilut."],
    )


def test_appointment_task_save_is_tracked():
    appointment = alliance_create().appointment
    assert_saves_are_tracked(
        save=services.appointment_task_save,
        argument="task",
        instance=AppointmentTask.objects.create(
            appointment=appointment, number=1, text="Valmistella malli."
        ),
        field="status",
        values=[
            AppointmentTask.Status.IN_PROGRESS,
            AppointmentTask.Status.DONE,
            AppointmentTask.Status.CONTINUOUS,
        ],
    )
