"""Roles and the city scope: the one place where members' permissions are decided."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from members.models import Organisation

ROLE_CHAIR = "chair"
ROLE_STAFF = "secretariat-staff"
ROLE_OBSERVER = "observer"
CITY_GROUP_PREFIX = "city-"
ACT_FOR_ORGANISATION = "members.act_for_organisation"


def city_group_name(city: Organisation) -> str:
    return f"{CITY_GROUP_PREFIX}{city.slug}"


def role_names(user) -> frozenset[str]:
    """Return the names of the user's groups, once per request-bound user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_allianssi_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._allianssi_roles = cached
    return cached


def is_chair(user) -> bool:
    return user.is_active and (user.is_superuser or ROLE_CHAIR in role_names(user))


def is_secretariat(user) -> bool:
    """Chair or secretariat staff: may edit the model and see personal data."""
    return user.is_active and (
        user.is_superuser or bool({ROLE_CHAIR, ROLE_STAFF} & role_names(user))
    )


def organisations_acted_for(user) -> QuerySet[Organisation]:
    """Return the organisations on which the user holds the city-scope permission."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return get_objects_for_user(
        user,
        ACT_FOR_ORGANISATION,
        klass=Organisation,
        with_superuser=False,
        accept_global_perms=False,
    )


def can_act_for(user, organisation: Organisation | None) -> bool:
    """May the user change a row scoped to this organisation (a city's proposal)?

    Only the object permission on the organisation itself counts: a city group holds it
    on its own city, and no row carries grants of its own.
    """
    if organisation is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return organisations_acted_for(user).filter(pk=organisation.pk).exists()


def has_role(user) -> bool:
    """Any role at all: the cooperation model is readable to every role holder."""
    return user.is_active and (user.is_superuser or bool(role_names(user)))


def can_view_content(user) -> bool:
    return user.is_authenticated and has_role(user)


def can_edit_content(user) -> bool:
    """Secretariat staff and the chair edit the cooperation model."""
    return user.is_authenticated and is_secretariat(user)


def can_see_gender(user) -> bool:
    """Gender is kept for the §4 a check only and shown to the secretariat only."""
    return can_edit_content(user)


def can_request_nominations(user) -> bool:
    """Secretariat staff and the chair ask organisations to name members."""
    return user.is_authenticated and is_secretariat(user)


def can_replace_members(user) -> bool:
    """Secretariat staff and the chair record a member replaced during the term."""
    return user.is_authenticated and is_secretariat(user)


def can_replace_member(user, membership) -> bool:
    """Replace this member: a seat held by a person, not replaced already."""
    return (
        can_replace_members(user)
        and membership.person_id is not None
        and not hasattr(membership, "replaced_by")
    )


# The rules of the nomination workflow's moves: `rule(user, nomination_request)`.


def can_record_nomination(user, nomination_request) -> bool:
    return can_request_nominations(user)


def can_appoint_nominee(user, nomination_request) -> bool:
    return can_request_nominations(user)


def can_withdraw_nomination(user, nomination_request) -> bool:
    return can_request_nominations(user)


def can_manage_accounts(user) -> bool:
    return user.is_authenticated and is_chair(user)


def can_read_audit_trail(user) -> bool:
    """The chair reads who signed in, was refused and changed what, from where.

    The trail holds every user's addresses, so the staff, who need none of it for
    their work, do not read it.
    """
    return user.is_authenticated and is_chair(user)


def require_reader(user) -> None:
    """Refuse (403) a signed-in user who holds no role at all."""
    if not can_view_content(user):
        raise PermissionDenied


class ContentAccessMixin:
    """For the editing views: every role reads the cooperation model, the
    secretariat changes it (see `alliance.editing.ObjectAccessMixin`)."""

    def may_enter(self) -> bool:
        return can_view_content(self.request.user)

    def may_view(self, obj) -> bool:
        return can_view_content(self.request.user)

    def may_change(self, obj) -> bool:
        return can_edit_content(self.request.user)

    def may_add(self, parent) -> bool:
        return can_edit_content(self.request.user)
