"""Writes of the members app: organisations, people, bodies, seats and accounts."""

import secrets
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from alliance.audit import audit_record
from alliance.history import save_tracked
from alliance.models import AuditEvent
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from members.invitations import invitation_enqueue
from members.models import (
    Body,
    Membership,
    Organisation,
    Person,
    User,
    new_calendar_token,
)
from members.permissions import (
    ACT_FOR_ORGANISATION,
    ROLE_CHAIR,
    ROLE_OBSERVER,
    ROLE_STAFF,
    can_edit_content,
    can_manage_accounts,
    city_group_name,
)


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language for pages and e-mails."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# Editing in the browser: one write function per object, each recording who and when
# and refusing a save made on a version someone else has changed meanwhile.


def organisation_save(
    *, organisation: Organisation, by: User, token: str | None = None
) -> Organisation:
    require_rule(by, can_edit_content)
    with transaction.atomic():
        organisation.full_clean()
        return save_tracked(organisation, by=by, token=token)


def person_save(*, person: Person, by: User, token: str | None = None) -> Person:
    require_rule(by, can_edit_content)
    with transaction.atomic():
        person.full_clean()
        return save_tracked(person, by=by, token=token)


def body_save(*, body: Body, by: User, token: str | None = None) -> Body:
    require_rule(by, can_edit_content)
    with transaction.atomic():
        body.full_clean()
        return save_tracked(body, by=by, token=token)


def _overlaps(start: date, end: date | None):
    """Return a filter for memberships whose term shares a day with [start, end]."""
    condition = Q(end__isnull=True) | Q(end__gte=start)
    if end is not None:
        condition &= Q(start__lte=end)
    return condition


def _membership_validate(membership: Membership) -> None:
    """Check the rules that span rows; the body row is locked by the caller."""
    membership.full_clean()
    errors = {}
    if membership.role == Membership.Role.CHAIR:
        other_chairs = (
            Membership.objects.filter(body=membership.body, role=Membership.Role.CHAIR)
            .filter(_overlaps(membership.start, membership.end))
            .exclude(pk=membership.pk)
        )
        if other_chairs.exists():
            errors["start"] = ValidationError(
                _("Another chair's term overlaps this one."), code="chair_overlap"
            )
    if membership.deputy_of_id:
        principal = membership.deputy_of
        if principal.body_id != membership.body_id:
            errors["deputy_of"] = ValidationError(
                _("A deputy stands in for a member of the same body."),
                code="deputy_other_body",
            )
        elif principal.role == Membership.Role.DEPUTY or principal.pk == membership.pk:
            errors["deputy_of"] = ValidationError(
                _("A deputy stands in for a member, not for another deputy."),
                code="deputy_of_deputy",
            )
    if errors:
        raise ValidationError(errors)


def membership_save(
    *, membership: Membership, by: User | None = None, token: str | None = None
) -> Membership:
    """Save a seat, refusing overlapping chairs, stray deputies and lost updates."""
    require_rule(by, can_edit_content)
    with transaction.atomic():
        # Locking the body serialises the checks that span its seats.
        Body.objects.select_for_update().get(pk=membership.body_id)
        if membership.pk is None:
            membership.order = next_position(
                Membership.objects.filter(body_id=membership.body_id)
            )
        _membership_validate(membership)
        return save_tracked(membership, by=by, token=token)


def role_groups_ensure() -> dict[str, Group]:
    """Create the role groups and give each city group the scope of its own city."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (ROLE_CHAIR, ROLE_STAFF, ROLE_OBSERVER)
    }
    for city in Organisation.objects.filter(kind=Organisation.Kind.CITY):
        group, _created = Group.objects.get_or_create(name=city_group_name(city))
        assign_perm(ACT_FOR_ORGANISATION, group, city)
        groups[group.name] = group
    return groups


def membership_move(*, membership: Membership, direction: str, by: User) -> None:
    require_rule(by, can_edit_content)
    move_in_order(
        membership,
        siblings=Membership.objects.filter(body_id=membership.body_id),
        direction=direction,
        by=by,
    )


class AccountError(Exception):
    """A change to accounts that is refused, with a message for the user."""


def account_invite(
    *,
    first_name: str,
    last_name: str,
    email: str,
    username: str,
    language: str,
    roles,
    person: Person | None = None,
    by: User,
    request=None,
) -> User:
    """Create an account and e-mail its owner a link to choose their password."""
    require_rule(by, can_manage_accounts)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            language=language,
        )
        # Unknown to anyone, so that only the e-mailed link opens the account.
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        user.groups.set(roles)
        if person is not None:
            person.user = user
            save_tracked(person, by=by, token=None)
        invitation_enqueue(user=user)
        audit_record(
            kind=AuditEvent.Kind.ACCOUNT_CHANGED,
            user=by,
            what=f"invited {user.username} with roles: {_role_list(roles)}",
            request=request,
        )
    return user


def _role_list(groups) -> str:
    return ", ".join(sorted(group.name for group in groups)) or "-"


def account_set_roles(*, account: User, roles, by: User, request=None) -> None:
    """Give the account these role groups; the change goes to the audit trail."""
    require_rule(by, can_manage_accounts)
    with transaction.atomic():
        before = _role_list(account.groups.all())
        account.groups.set(roles)
        after = _role_list(roles)
        if before != after:
            audit_record(
                kind=AuditEvent.Kind.ROLES_CHANGED,
                user=by,
                what=f"{account.username}: {before} → {after}",
                request=request,
            )


def account_set_active(*, account: User, active: bool, by: User, request=None) -> None:
    """Deactivate an account (for example when its membership ends), or reactivate."""
    require_rule(by, can_manage_accounts)
    if by is not None and account.pk == by.pk and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if account.is_active != active:
        with transaction.atomic():
            account.is_active = active
            account.save(update_fields=["is_active"])
            audit_record(
                kind=AuditEvent.Kind.ACCOUNT_CHANGED,
                user=by,
                what=f"{account.username}: "
                f"{'reactivated' if active else 'deactivated'}",
                request=request,
            )


def user_calendar_token_renew(*, user: User) -> str:
    """Give the user a new calendar address; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
