import datetime
from decimal import Decimal

import pytest

from members.selectors import equality_check
from tests.members.factories import BodyFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2023, 9, 15)


def _seats(body, *, women, men, role="member"):
    for gender, count in (("woman", women), ("man", men)):
        for _ in range(count):
            MembershipFactory(body=body, role=role, person=PersonFactory(gender=gender))


def test_three_women_of_ten_fails_and_says_which_share_falls_short():
    body = BodyFactory(name_fi_inessive="Työryhmässä")
    _seats(body, women=3, men=7)

    check = equality_check(body=body, on=ON)

    assert not check.is_met
    assert check.members.share_women == Decimal("0.3")
    assert check.statement == (
        "Työryhmässä on puheenjohtaja mukaan lukien yhteensä 10 jäsentä, joista miehiä "
        "on 7 ja naisia 3. Naisten osuus (30 %) jää alle 40 prosentin, joten lain "
        "(609/1986) 4 a §:n 1 momentin vaatimus ei täyty jäsenten osalta."
    )


def test_too_few_men_is_named_too():
    body = BodyFactory()
    _seats(body, women=7, men=3)

    check = equality_check(body=body, on=ON)

    assert "Miesten osuus (30 %) jää alle 40 prosentin" in check.statement


def test_forty_per_cent_exactly_is_enough():
    body = BodyFactory()
    _seats(body, women=4, men=6)
    assert equality_check(body=body, on=ON).is_met


def test_deputies_are_counted_apart_from_members():
    body = BodyFactory()
    _seats(body, women=5, men=5)
    principal = body.memberships.first()
    for _ in range(3):
        MembershipFactory(
            body=body,
            role="deputy",
            deputy_of=principal,
            person=PersonFactory(gender="man"),
        )

    check = equality_check(body=body, on=ON)

    assert (check.members.women, check.members.men) == (5, 5)
    assert (check.deputies.women, check.deputies.men) == (0, 3)
    assert check.members_ok
    assert not check.deputies_ok
    assert "yhteensä 10 jäsentä" in check.statement
    assert "Varajäseniä on yhteensä 3 varajäsentä" in check.statement
    assert "vaatimus ei täyty varajäsenten osalta" in check.statement


def test_experts_and_secretaries_are_not_members():
    body = BodyFactory()
    _seats(body, women=2, men=2)
    _seats(body, women=0, men=4, role="expert")
    _seats(body, women=0, men=2, role="secretary")

    check = equality_check(body=body, on=ON)

    assert check.members.total == 4
    assert check.is_met


def test_a_recorded_special_reason_allows_the_shortfall():
    body = BodyFactory(equality_exception_reason="Jäsenet nimetään viran perusteella.")
    _seats(body, women=1, men=9)

    check = equality_check(body=body, on=ON)

    assert check.is_met
    assert not check.members.meets_minimum
    reason = "Vaatimuksesta poiketaan erityisestä syystä: Jäsenet nimetään viran"
    assert check.statement.endswith(f"{reason} perusteella.")


def test_only_seats_active_on_the_date_count():
    body = BodyFactory()
    _seats(body, women=4, men=6)
    body.memberships.filter(person__gender="woman").update(
        end=datetime.date(2023, 9, 10)
    )

    check = equality_check(body=body, on=ON)

    assert (check.members.women, check.members.men) == (0, 6)


def test_seats_without_a_recorded_gender_cannot_be_assessed():
    body = BodyFactory(name_fi_inessive="Yhteistyöryhmässä")
    MembershipFactory(body=body, person=None, position="pääministeri", role="chair")

    check = equality_check(body=body, on=ON)

    assert not check.is_met
    assert "ei voida arvioida jäsenten osalta" in check.statement
