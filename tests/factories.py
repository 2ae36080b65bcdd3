import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.permissions import ROLE_STAFF


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
