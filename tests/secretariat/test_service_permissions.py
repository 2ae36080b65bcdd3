"""The appointment's services refuse whom the rule refuses, whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied

from secretariat import services
from secretariat.models import Appointment, AppointmentTask
from secretariat.permissions import can_edit_appointment
from tests.factories import ROLE_NAMES, role_users_create
from tests.meetings.factories import alliance_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_appointment_is_changed_by_the_secretariat_only(role):
    appointment = alliance_create().appointment
    user = role_users_create()[role]
    task = AppointmentTask.objects.create(
        appointment=appointment, number=1, text="Valmistella malli."
    )
    appointment.objective = "Muutettu tavoite."
    task.text = "Muutettu tehtävä."
    writes = [
        lambda: services.appointment_save(appointment=appointment, by=user),
        lambda: services.appointment_task_save(task=task, by=user),
    ]
    for write in writes:
        if can_edit_appointment(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    stored = (
        Appointment.objects.get(pk=appointment.pk).objective,
        AppointmentTask.objects.get(pk=task.pk).text,
    )
    if can_edit_appointment(user):
        assert stored == ("Muutettu tavoite.", "Muutettu tehtävä.")
    else:
        assert stored[0] != "Muutettu tavoite." and stored[1] == "Valmistella malli."


def test_the_system_may_change_the_appointment():
    appointment = alliance_create().appointment
    appointment.objective = "Järjestelmän muutos."

    services.appointment_save(appointment=appointment, by=None)

    assert Appointment.objects.get(pk=appointment.pk).objective == (
        "Järjestelmän muutos."
    )
