import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from guardian.shortcuts import assign_perm

from members.models import Organisation
from members.permissions import (
    ACT_FOR_ORGANISATION,
    can_act_for,
    organisations_acted_for,
)
from members.services import role_groups_ensure
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities():
    return {
        slug: OrganisationFactory(slug=slug, kind=Organisation.Kind.CITY)
        for slug in ("helsinki", "espoo")
    }


def test_a_city_group_acts_for_its_own_city_only(cities):
    groups = role_groups_ensure()
    director = UserFactory()
    director.groups.add(groups["city-espoo"])

    assert can_act_for(director, cities["espoo"])
    assert not can_act_for(director, cities["helsinki"])
    assert list(organisations_acted_for(director)) == [cities["espoo"]]


def test_role_groups_have_the_exact_names(cities):
    groups = role_groups_ensure()
    assert set(groups) == {
        "chair",
        "secretariat-staff",
        "observer",
        "city-helsinki",
        "city-espoo",
    }


def test_the_grant_is_on_the_organisation_and_held_by_the_group(cities):
    groups = role_groups_ensure()
    role_groups_ensure()

    perms = groups["city-helsinki"].organisationgroupobjectpermission_set.all()
    assert [(p.content_object, p.permission.codename) for p in perms] == [
        (cities["helsinki"], "act_for_organisation")
    ]


def test_a_global_permission_does_not_give_city_scope(cities):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="act_for_organisation"))

    assert not can_act_for(user, cities["helsinki"])


def test_an_inactive_or_anonymous_user_acts_for_nobody(cities):
    user = UserFactory(is_active=False)
    assign_perm(ACT_FOR_ORGANISATION, user, cities["helsinki"])

    assert not can_act_for(user, cities["helsinki"])
    assert not can_act_for(AnonymousUser(), cities["helsinki"])
    assert not can_act_for(UserFactory(), None)
