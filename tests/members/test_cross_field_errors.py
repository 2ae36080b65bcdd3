"""A check across fields is shown at the field a person would correct, not above
the form, so that the field is marked invalid and its error is announced with it."""

import datetime

import pytest

from alliance.history import edit_token
from members.forms import BodyForm, MembershipForm
from members.models import Membership
from tests.members.factories import BodyFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEPT_1 = datetime.date(2023, 9, 1)


def test_a_term_that_ends_before_it_starts_is_marked_at_its_end():
    body = BodyFactory(term_start=SEPT_1)
    data = {
        field: getattr(body, field)
        for field in ("name_fi", "name_sv", "name_fi_inessive", "serves")
    }
    data.update(
        term_start="1.9.2023", term_end="31.8.2023", edit_token=edit_token(body)
    )
    form = BodyForm(data, instance=body)
    assert not form.is_valid()
    assert list(form.errors) == ["term_end"]
    assert form.errors["term_end"] == ["Toimikausi ei voi päättyä ennen kuin se alkaa."]


@pytest.mark.parametrize(
    ("fields", "marked"),
    [
        ({"person": "principal", "start": "1.9.2023", "end": "31.8.2023"}, "end"),
        ({"start": "1.9.2023"}, "person"),
        ({"person": "new", "role": "deputy", "start": "1.9.2023"}, "deputy_of"),
    ],
    ids=["ends-before-it-starts", "no-person-or-position", "deputy-without-principal"],
)
def test_a_seat_that_breaks_a_rule_is_marked_at_the_field_to_correct(fields, marked):
    principal = MembershipFactory(start=SEPT_1)
    people = {"principal": principal.person.pk, "new": PersonFactory().pk}
    data = {"role": "member", **fields}
    if "person" in data:
        data["person"] = people[data["person"]]
    form = MembershipForm(data, instance=Membership(body=principal.body))
    assert not form.is_valid()
    assert marked in form.errors
    assert "__all__" not in form.errors
    assert Membership.objects.count() == 1
