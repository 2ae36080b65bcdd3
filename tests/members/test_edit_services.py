"""Organisations, people and bodies are written by services that track every save."""

import pytest

from members import services
from tests.members.factories import BodyFactory, OrganisationFactory, PersonFactory
from tests.tracked_saves import assert_saves_are_tracked

pytestmark = pytest.mark.django_db


def test_organisation_save_is_tracked():
    assert_saves_are_tracked(
        save=services.organisation_save,
        argument="organisation",
        instance=OrganisationFactory(),
        field="name_fi",
        values=["Helsingin kaupunki", "Helsinki", "Stadi"],
    )


def test_person_save_is_tracked():
    assert_saves_are_tracked(
        save=services.person_save,
        argument="person",
        instance=PersonFactory(),
        field="last_name",
        values=["Nyholm", "Vartiainen", "Sinnemäki"],
    )


def test_body_save_is_tracked():
    assert_saves_are_tracked(
        save=services.body_save,
        argument="body",
        instance=BodyFactory(),
        field="name_fi",
        values=["Sihteeristö", "Yhteistyöryhmä", "Työryhmä"],
    )
