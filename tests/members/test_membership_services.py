import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Membership
from members.services import membership_save
from tests.factories import UserFactory
from tests.members.factories import BodyFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_overlapping_chair_terms_are_refused():
    chair = MembershipFactory(role="chair", end=datetime.date(2023, 12, 31))

    with pytest.raises(ValidationError) as error:
        membership_save(
            membership=Membership(
                body=chair.body,
                person=PersonFactory(),
                role="chair",
                start=datetime.date(2023, 12, 1),
                end=datetime.date(2024, 6, 30),
            )
        )

    assert error.value.error_dict["start"][0].code == "chair_overlap"
    assert Membership.objects.filter(role="chair").count() == 1


def test_a_chair_may_follow_the_previous_one():
    chair = MembershipFactory(role="chair", end=datetime.date(2023, 12, 31))

    follower = membership_save(
        membership=Membership(
            body=chair.body,
            person=PersonFactory(),
            role="chair",
            start=datetime.date(2024, 1, 1),
        )
    )

    assert follower.pk


def test_deputy_principal_must_be_in_the_same_body():
    elsewhere = MembershipFactory()

    with pytest.raises(ValidationError) as error:
        membership_save(
            membership=Membership(
                body=BodyFactory(),
                person=PersonFactory(),
                role="deputy",
                deputy_of=elsewhere,
                start=datetime.date(2023, 9, 1),
            )
        )

    assert error.value.error_dict["deputy_of"][0].code == "deputy_other_body"
    assert Membership.objects.count() == 1


def test_deputy_of_a_deputy_is_refused():
    principal = MembershipFactory()
    deputy = MembershipFactory(body=principal.body, role="deputy", deputy_of=principal)

    with pytest.raises(ValidationError) as error:
        membership_save(
            membership=Membership(
                body=principal.body,
                person=PersonFactory(),
                role="deputy",
                deputy_of=deputy,
                start=datetime.date(2023, 9, 1),
            )
        )

    assert error.value.error_dict["deputy_of"][0].code == "deputy_of_deputy"


def test_update_records_who_changed_the_seat():
    seat = MembershipFactory(title="erityisasiantuntija")
    editor = UserFactory()

    seat.title = "johtava asiantuntija"
    membership_save(membership=seat, by=editor)

    latest = seat.history.latest()
    assert latest.title == "johtava asiantuntija"
    assert latest.history_user == editor


def test_invalid_update_saves_nothing():
    seat = MembershipFactory(start=datetime.date(2023, 9, 1))

    with pytest.raises(ValidationError):
        seat.end = datetime.date(2023, 1, 1)
        membership_save(membership=seat)

    seat.refresh_from_db()
    assert seat.end is None
