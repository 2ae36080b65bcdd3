"""Writes of the members app: organisations, people, bodies, seats and accounts."""

import secrets
from datetime import date, datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from alliance.audit import audit_record
from alliance.history import save_tracked
from alliance.models import AuditEvent
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from members import workflow
from members.invitations import invitation_enqueue
from members.models import (
    Body,
    Membership,
    MembershipReplacement,
    NominationRequest,
    NominationStatusChange,
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
    can_replace_members,
    can_request_nominations,
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


def _membership_validate(
    membership: Membership, *, passed_on_by: Membership | None = None
) -> None:
    """Check the rules that span rows; the body row is locked by the caller.

    `passed_on_by` is the seat a replacement passes on to `membership`: its last day
    is the successor's first, which is no overlap.
    """
    membership.full_clean()
    errors = {}
    if membership.role == Membership.Role.CHAIR:
        other_chairs = (
            Membership.objects.filter(body=membership.body, role=Membership.Role.CHAIR)
            .filter(_overlaps(membership.start, membership.end))
            .exclude(pk=membership.pk)
        )
        if passed_on_by is not None:
            other_chairs = other_chairs.exclude(pk=passed_on_by.pk)
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


# Nomination requests: the table of `workflow.py` says which moves exist and who may
# make each; every move goes through `_nomination_move`.


def _nomination_locked(nomination_request: NominationRequest) -> NominationRequest:
    return NominationRequest.objects.select_for_update().get(pk=nomination_request.pk)


def _nomination_move(
    *,
    nomination_request: NominationRequest,
    to: str,
    by: User | None,
    at: datetime | None,
) -> None:
    """Move a locked request to `to` if the table allows it for `by`, and record it.

    The caller has set the facts that the move records; they are saved with it.
    """
    source = nomination_request.status
    _nomination_move_check(nomination_request=nomination_request, to=to, by=by)
    nomination_request.status = to
    nomination_request.full_clean()
    save_tracked(nomination_request, by=by, token=None)
    NominationStatusChange.objects.create(
        request=nomination_request,
        from_status=source,
        to_status=to,
        by=by,
        at=at or timezone.now(),
    )


def _nomination_move_check(
    *, nomination_request: NominationRequest, to: str, by: User | None
) -> None:
    """Refuse a move that the table does not have, or not for this user."""
    source = nomination_request.status
    move = workflow.TRANSITIONS.find(source=source, target=to)
    if move is None:
        raise ValidationError(
            _("A nomination request cannot move from %(from)s to %(to)s.")
            % {
                "from": NominationRequest.Status(source).label,
                "to": NominationRequest.Status(to).label,
            },
            code="transition_not_allowed",
        )
    if not move.permits(user=by, obj=nomination_request):
        raise PermissionDenied


def nomination_request_save(
    *,
    nomination_request: NominationRequest,
    by: User | None,
    token: str | None = None,
) -> NominationRequest:
    """Record a request sent to an organisation, or correct one still unanswered."""
    require_rule(by, can_request_nominations)
    with transaction.atomic():
        if nomination_request.pk is not None:
            current = _nomination_locked(nomination_request)
            if current.status != NominationRequest.Status.SENT:
                raise ValidationError(
                    _("Only a request still waiting for its answer can be changed."),
                    code="nomination_answered",
                )
        else:
            nomination_request.status = NominationRequest.Status.SENT
        nomination_request.full_clean()
        return save_tracked(nomination_request, by=by, token=token)


def nomination_record(
    *,
    nomination_request: NominationRequest,
    nominee: Person,
    decision_reference: str,
    decision_date: date,
    by: User | None,
    at: datetime | None = None,
) -> NominationRequest:
    """Record whom the organisation named, by which decision of its own and when."""
    require_rule(by, can_request_nominations)
    with transaction.atomic():
        locked = _nomination_locked(nomination_request)
        if decision_date < locked.sent_on:
            raise ValidationError(
                {
                    "decision_date": ValidationError(
                        _("The decision cannot come before the request was sent."),
                        code="decision_before_request",
                    )
                }
            )
        locked.nominee = nominee
        locked.decision_reference = decision_reference
        locked.decision_date = decision_date
        _nomination_move(
            nomination_request=locked,
            to=NominationRequest.Status.NOMINATED,
            by=by,
            at=at,
        )
        return locked


def nomination_appoint(
    *,
    nomination_request: NominationRequest,
    start: date,
    title: str = "",
    deputy_of: Membership | None = None,
    by: User | None,
    at: datetime | None = None,
) -> Membership:
    """Add the nominee as a member of the body from `start`, citing the decision."""
    require_rule(by, can_request_nominations)
    with transaction.atomic():
        locked = _nomination_locked(nomination_request)
        _nomination_move_check(
            nomination_request=locked, to=NominationRequest.Status.APPOINTED, by=by
        )
        if locked.decision_date and start < locked.decision_date:
            raise ValidationError(
                {
                    "start": ValidationError(
                        _("The membership cannot start before the decision."),
                        code="start_before_decision",
                    )
                }
            )
        decision_day = locked.decision_date
        # A nomination recorded through a service call may lack the decision's date.
        dated = (
            f" ({decision_day.day}.{decision_day.month}.{decision_day.year})"
            if decision_day
            else ""
        )
        membership = membership_save(
            membership=Membership(
                body=locked.body,
                person=locked.nominee,
                organisation=locked.organisation,
                role=locked.role,
                deputy_of=deputy_of,
                title=title,
                start=start,
                nomination_reference=f"{locked.decision_reference}{dated}".strip(),
            ),
            by=by,
        )
        locked.membership = membership
        _nomination_move(
            nomination_request=locked,
            to=NominationRequest.Status.APPOINTED,
            by=by,
            at=at,
        )
        return membership


def nomination_withdraw(
    *,
    nomination_request: NominationRequest,
    by: User | None,
    at: datetime | None = None,
) -> NominationRequest:
    require_rule(by, can_request_nominations)
    with transaction.atomic():
        locked = _nomination_locked(nomination_request)
        _nomination_move(
            nomination_request=locked,
            to=NominationRequest.Status.WITHDRAWN,
            by=by,
            at=at,
        )
        return locked


# Replacements during the term


def membership_replace(
    *,
    leaver: Membership,
    successor: Person,
    on: date,
    by: User | None,
    title: str | None = None,
    nomination_reference: str = "",
    token: str | None = None,
) -> MembershipReplacement:
    """Replace a member on `on`: the leaver's membership ends that day and the
    successor takes the same seat (organisation, role, place in the list) from it.

    On `on` the seat is the successor's (`Membership.objects.active_on`), so the §4 a
    check of any day counts exactly one of them. The leaver's deputies stand in for
    the successor from `on`. The leaver's account is deactivated by the daily work at
    the start of the next day (`replaced_accounts_deactivate`).
    """
    require_rule(by, can_replace_members)
    with transaction.atomic():
        Body.objects.select_for_update().get(pk=leaver.body_id)
        leaver = Membership.objects.select_for_update().get(pk=leaver.pk)
        errors = {}
        if MembershipReplacement.objects.filter(leaver=leaver).exists():
            errors["on"] = ValidationError(
                _("This member has already been replaced."), code="already_replaced"
            )
        elif on <= leaver.start:
            errors["on"] = ValidationError(
                _("The successor can start at the earliest the day after the leaver."),
                code="replacement_before_start",
            )
        elif leaver.end is not None and leaver.end < on:
            errors["on"] = ValidationError(
                _("The membership had already ended before this day."),
                code="replacement_after_end",
            )
        if leaver.person_id == successor.pk:
            errors["successor"] = ValidationError(
                _("The successor must be someone else."), code="successor_same"
            )
        if errors:
            raise ValidationError(errors)
        # A term that was to end later passes on to the successor.
        remaining_end = leaver.end if leaver.end and leaver.end > on else None
        leaver.end = on
        _membership_validate(leaver)
        save_tracked(leaver, by=by, token=token)
        seat = Membership(
            body=leaver.body,
            person=successor,
            organisation=leaver.organisation,
            title=leaver.title if title is None else title,
            role=leaver.role,
            deputy_of=leaver.deputy_of,
            start=on,
            end=remaining_end,
            nomination_reference=nomination_reference,
            order=leaver.order,
        )
        _membership_validate(seat, passed_on_by=leaver)
        save_tracked(seat, by=by, token=None)
        staying_deputies = leaver.deputies.filter(Q(end__isnull=True) | Q(end__gte=on))
        for deputy in staying_deputies:
            deputy.deputy_of = seat
            _membership_validate(deputy)
            save_tracked(deputy, by=by, token=None)
        replacement = MembershipReplacement(leaver=leaver, successor=seat, on=on)
        replacement._history_user = by
        replacement.save()
        return replacement


def replaced_accounts_deactivate(*, today: date) -> int:
    """Deactivate the accounts of members replaced before `today` who hold no other
    seat.

    The daily work runs this at the start of each day, so an account closes at the
    start of the day after the change; a leaver who still holds another seat keeps
    the account and is looked at again the next day. The person's record stays.
    Return how many accounts were deactivated.
    """
    pending = MembershipReplacement.objects.filter(
        on__lt=today,
        account_closed_on__isnull=True,
        leaver__person__user__isnull=False,
    ).select_related("leaver__person__user")
    closed = 0
    for replacement in pending:
        person = replacement.leaver.person
        holds_a_seat = person.memberships.active_on(today).exists()
        if holds_a_seat:
            continue
        with transaction.atomic():
            if person.user.is_active:
                account_set_active(account=person.user, active=False, by=None)
                closed += 1
            replacement.account_closed_on = today
            replacement._history_user = None
            replacement.save(update_fields=["account_closed_on"])
    return closed
