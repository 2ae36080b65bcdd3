import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Membership
from tests.members.factories import BodyFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEPT_1 = datetime.date(2023, 9, 1)


def _refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(**fields)


def test_membership_cannot_end_before_it_starts():
    body, person = BodyFactory(), PersonFactory()
    _refused(
        body=body,
        person=person,
        role="member",
        start=SEPT_1,
        end=datetime.date(2023, 8, 31),
    )
    assert not Membership.objects.exists()


def test_body_term_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyFactory(term_end=datetime.date(2023, 8, 1))


def test_seat_needs_a_person_or_a_position():
    _refused(body=BodyFactory(), role="member", start=SEPT_1)
    seat = Membership.objects.create(
        body=BodyFactory(), role="chair", start=SEPT_1, position="pääministeri"
    )
    assert seat.holder_name == "pääministeri"


def test_deputy_needs_a_principal_and_only_a_deputy_has_one():
    principal = MembershipFactory()
    _refused(body=principal.body, person=PersonFactory(), role="deputy", start=SEPT_1)
    _refused(
        body=principal.body,
        person=PersonFactory(),
        role="member",
        deputy_of=principal,
        start=SEPT_1,
    )


def test_at_most_one_open_ended_chair_per_body():
    chair = MembershipFactory(role="chair")
    _refused(body=chair.body, person=PersonFactory(), role="chair", start=SEPT_1)
    # A chair whose term has ended may be followed by another.
    Membership.objects.filter(pk=chair.pk).update(end=datetime.date(2023, 12, 31))
    Membership.objects.create(
        body=chair.body,
        person=PersonFactory(),
        role="chair",
        start=datetime.date(2024, 1, 1),
    )
    assert Membership.objects.filter(body=chair.body, role="chair").count() == 2


def test_constraint_messages_reach_full_clean():
    chair = MembershipFactory(role="chair")
    second = Membership(
        body=chair.body, person=PersonFactory(), role="chair", start=SEPT_1
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "puheenjohtaja" in str(error.value)
