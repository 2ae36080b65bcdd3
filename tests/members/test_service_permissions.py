"""The members services refuse whom the rule refuses, whoever calls them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from members import services
from members.models import Membership
from members.permissions import can_edit_content, can_manage_accounts
from tests.factories import ROLE_NAMES, UserFactory, role_users_create
from tests.members.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    standard_organisations_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    standard_organisations_create()
    return role_users_create()


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_seats_are_changed_by_the_secretariat_only(users, role):
    user = users[role]
    seat = MembershipFactory(title="erityisasiantuntija")
    writes = [
        lambda: services.membership_save(membership=retitled(seat), by=user),
        lambda: services.membership_save(
            membership=Membership(
                body=seat.body,
                person=PersonFactory(),
                role=Membership.Role.EXPERT,
                start=datetime.date(2023, 9, 1),
            ),
            by=user,
        ),
        lambda: services.membership_move(membership=seat, direction="up", by=user),
    ]
    for write in writes:
        if can_edit_content(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    if not can_edit_content(user):
        seat.refresh_from_db()
        assert seat.title == "erityisasiantuntija"
        assert Membership.objects.count() == 1


def retitled(seat: Membership) -> Membership:
    """Return a fresh copy of `seat` with a new title, as an edit form would."""
    copy = Membership.objects.get(pk=seat.pk)
    copy.title = "johtaja"
    return copy


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_organisations_people_and_bodies_are_changed_by_the_secretariat_only(
    users, role
):
    user = users[role]
    person, body = PersonFactory(), BodyFactory()
    organisation = OrganisationFactory()
    person.last_name, body.name_fi, organisation.name_fi = "Uusi", "Uusi", "Uusi"
    writes = [
        lambda: services.person_save(person=person, by=user),
        lambda: services.body_save(body=body, by=user),
        lambda: services.organisation_save(organisation=organisation, by=user),
    ]
    for write in writes:
        if can_edit_content(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    saved = {
        type(row).objects.get(pk=row.pk).__dict__[field]
        for row, field in [
            (person, "last_name"),
            (body, "name_fi"),
            (organisation, "name_fi"),
        ]
    }
    if can_edit_content(user):
        assert saved == {"Uusi"}
    else:
        assert "Uusi" not in saved


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_accounts_are_managed_by_the_chair_only(users, role):
    user = users[role]
    account = UserFactory(username="kohde")
    writes = [
        lambda: services.account_set_roles(account=account, roles=[], by=user),
        lambda: services.account_set_active(account=account, active=False, by=user),
        lambda: services.account_invite(
            first_name="Uusi",
            last_name="Käyttäjä",
            email="uusi@example.org",
            username="uusi",
            language="fi",
            roles=[],
            by=user,
        ),
    ]
    for write in writes:
        if can_manage_accounts(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    if not can_manage_accounts(user):
        account.refresh_from_db()
        assert account.is_active


def test_the_system_may_write(users):
    seat = MembershipFactory(title="erityisasiantuntija")
    account = UserFactory(username="kohde")

    services.membership_save(membership=retitled(seat), by=None)
    services.account_set_active(account=account, active=False, by=None)

    seat.refresh_from_db()
    account.refresh_from_db()
    assert (seat.title, account.is_active) == ("johtaja", False)
