import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.permissions import ROLE_STAFF
from members.services import role_groups_ensure

ROLE_NAMES = ("chair", "staff", "observer", "city", "none")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Käyttäjä {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("secret-password")


def secretariat_user_create(**fields):
    """Return a user in the secretariat staff group, who may edit the model."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get_or_create(name=ROLE_STAFF)[0])
    return user


def role_users_create() -> dict:
    """Return one user per role, by role: chair, staff, observer, city (Helsinki's
    group) and none; the Helsinki organisation must exist."""
    groups = role_groups_ensure()
    users = {role: UserFactory(username=f"role-{role}") for role in ROLE_NAMES}
    users["chair"].groups.add(groups["chair"], groups["secretariat-staff"])
    users["staff"].groups.add(groups["secretariat-staff"])
    users["observer"].groups.add(groups["observer"])
    users["city"].groups.add(groups["city-helsinki"])
    return users
