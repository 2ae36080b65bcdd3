"""A seat's title and position, and a task of the decision, in Swedish where given
and otherwise in Finnish."""

import pytest
from django.utils import translation

from secretariat.models import AppointmentTask

pytestmark = pytest.mark.django_db


def test_a_seat_shows_its_swedish_position_and_title_in_swedish_only(alliance):
    prime_minister, vice_chair = alliance.group_seats[:2]
    prime_minister.position_sv = "statsminister"
    member = alliance.secretariat_seats[0]
    member.title, member.title_sv = "johtava asiantuntija", "ledande sakkunnig"

    assert prime_minister.holder_name_in("sv") == "statsminister"
    assert prime_minister.holder_name_in("fi") == "pääministeri"
    assert vice_chair.holder_name_in("sv") == "kunta- ja alueministeri"
    assert member.holder_name_in("sv") == member.person.full_name
    with translation.override("sv"):
        assert (prime_minister.holder_name, member.display_title) == (
            "statsminister",
            "ledande sakkunnig",
        )
    for language in ("fi", "en"):
        with translation.override(language):
            assert (prime_minister.holder_name, member.display_title) == (
                "pääministeri",
                "johtava asiantuntija",
            )


def test_a_task_shows_its_swedish_text_in_swedish_only(alliance):
    task = AppointmentTask(
        appointment=alliance.appointment,
        number=4,
        text="Toimia yhteistyöryhmän sihteeristönä.",
    )

    with translation.override("sv"):
        assert task.display_text == "Toimia yhteistyöryhmän sihteeristönä."
        task.text_sv = "Fungera som samarbetsgruppens sekretariat."
        assert str(task) == "4. Fungera som samarbetsgruppens sekretariat."
    assert task.text_in("fi") == "Toimia yhteistyöryhmän sihteeristönä."
