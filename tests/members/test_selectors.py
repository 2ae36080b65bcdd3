"""Reads of the members app used by other apps."""

import pytest

from members.selectors import secretariat_users_with_email
from tests.theme_proposals.factories import proposal_world_create

pytestmark = pytest.mark.django_db


def test_secretariat_users_with_email_are_the_active_chair_and_staff_once_each():
    world = proposal_world_create()
    world.users["mattsson"].is_active = False
    world.users["mattsson"].save()
    world.users["voutilainen"].email = ""
    world.users["voutilainen"].save()

    users = list(secretariat_users_with_email())

    # Palonen is in both the chair's and the staff's group; the cities' users are not.
    assert [user.email for user in users] == ["palonen@example.org"]
