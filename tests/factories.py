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


# The people who play the roles in every app's tests, by user name: their groups, and
# their name and language where a test reads them (the factory's defaults otherwise).
CAST = {
    "palonen": (["chair", "secretariat-staff"], "Katja", "Palonen", "fi"),
    "voutilainen": (["secretariat-staff"], "Olli", "Voutilainen", "en"),
    "mattsson": (["secretariat-staff"], "Lotta", "Mattsson", "sv"),
    "nyholm": (["city-helsinki"], "Inga", "Nyholm", "fi"),
    "lindqvist": (["city-helsinki"], "Ulla", "Lindqvist", "sv"),
    "ferm": (["city-espoo"], "Niko", "Ferm", "fi"),
    "keskinen": (["city-tampere"], "Maggie", "Keskinen", None),
    "observer": (["observer"], None, None, None),
    "norole": ([], None, None, None),
}


# The roles of the permission matrix, and who plays each.
ROLES = {
    "anonymous": None,
    "no-role": "norole",
    "observer": "observer",
    "city-helsinki": "nyholm",
    "city-espoo": "ferm",
    "staff": "voutilainen",
    "chair": "palonen",
}


def cast_create(*usernames: str, languages: dict[str, str] | None = None) -> dict:
    """Create the role groups and the named users of the cast (all by default).

    The organisations must exist; `languages` gives some users another language.
    Returns the users keyed by user name.
    """
    groups = role_groups_ensure()
    languages = languages or {}
    users = {}
    for username in usernames or CAST:
        group_names, first_name, last_name, language = CAST[username]
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "language": languages.get(username, language),
        }
        user = UserFactory(
            username=username,
            **{name: value for name, value in values.items() if value is not None},
        )
        user.groups.add(*(groups[name] for name in group_names))
        users[username] = user
    return users


def role_users_create() -> dict:
    """Return one user of the cast per role of the service tests: chair, staff,
    observer, city (Helsinki's) and none; the organisations must exist."""
    users = cast_create("palonen", "voutilainen", "observer", "nyholm", "norole")
    return {
        "chair": users["palonen"],
        "staff": users["voutilainen"],
        "observer": users["observer"],
        "city": users["nyholm"],
        "none": users["norole"],
    }
