"""Reads of the members app, above all the gender balance check of §4 a."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from alliance.models import AuditEvent
from members.models import (
    Body,
    Membership,
    MembershipReplacement,
    NominationRequest,
    NominationStatusChange,
    Organisation,
    Person,
    User,
)
from members.permissions import ROLE_CHAIR, ROLE_OBSERVER, ROLE_STAFF, city_group_name

# Act 609/1986, section 4 a, subsection 1: at least 40 per cent each of women and men.
MINIMUM_SHARE = Decimal("0.40")
COUNTED_ROLES = (
    Membership.Role.CHAIR,
    Membership.Role.VICE_CHAIR,
    Membership.Role.MEMBER,
)
LAW = (
    "Naisten ja miesten välisestä tasa-arvosta annetun lain (609/1986) 4 a §:n 1 "
    "momentin"
)


@dataclass(frozen=True)
class GenderCount:
    women: int
    men: int
    unrecorded: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.unrecorded

    @property
    def share_women(self) -> Decimal | None:
        recorded = self.women + self.men
        return Decimal(self.women) / recorded if recorded else None

    @property
    def share_men(self) -> Decimal | None:
        recorded = self.women + self.men
        return Decimal(self.men) / recorded if recorded else None

    @property
    def is_assessable(self) -> bool:
        return self.total > 0 and self.unrecorded == 0

    @property
    def meets_minimum(self) -> bool:
        return (
            self.is_assessable
            and self.share_women >= MINIMUM_SHARE
            and self.share_men >= MINIMUM_SHARE
        )


@dataclass(frozen=True)
class EqualityCheck:
    body: Body
    on: date
    members: GenderCount
    deputies: GenderCount
    special_reason: str

    @property
    def members_ok(self) -> bool:
        return self.members.meets_minimum or bool(self.special_reason)

    @property
    def deputies_ok(self) -> bool:
        return (
            self.deputies.total == 0
            or self.deputies.meets_minimum
            or bool(self.special_reason)
        )

    @property
    def is_met(self) -> bool:
        return self.members_ok and self.deputies_ok

    @property
    def statement(self) -> str:
        """Return the check in the words of an appointment decision (in Finnish)."""
        return equality_statement(check=self)


def memberships_active_on(*, body: Body, on: date) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body=body)
        .active_on(on)
        .select_related("person", "organisation", "deputy_of__person")
        .order_by("order", "pk")
    )


def _count(memberships) -> GenderCount:
    genders = [m.person.gender if m.person_id else "" for m in memberships]
    return GenderCount(
        women=genders.count(Person.Gender.WOMAN),
        men=genders.count(Person.Gender.MAN),
        unrecorded=sum(
            1 for g in genders if g not in {Person.Gender.WOMAN, Person.Gender.MAN}
        ),
    )


def equality_check(
    *, body: Body, on: date, memberships: list[Membership] | None = None
) -> EqualityCheck:
    """Count women and men among the members (chair included) and, apart, deputies.

    `memberships` lets a caller check a planned change before it is saved.
    """
    if memberships is None:
        memberships = list(memberships_active_on(body=body, on=on))
    # The rows read are held on `on`; a planned one may start later or end earlier.
    active = [m for m in memberships if m.dates_cover(on)]
    return EqualityCheck(
        body=body,
        on=on,
        members=_count(m for m in active if m.role in COUNTED_ROLES),
        deputies=_count(m for m in active if m.role == Membership.Role.DEPUTY),
        special_reason=body.equality_exception_reason.strip(),
    )


def _percent(share: Decimal) -> str:
    return str((share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _shortfall(count: GenderCount) -> str:
    # With both genders recorded, at most one share can fall short.
    if count.share_women < MINIMUM_SHARE:
        return f"Naisten osuus ({_percent(count.share_women)} %)"
    return f"Miesten osuus ({_percent(count.share_men)} %)"


def _assessment(count: GenderCount, group_genitive: str) -> str:
    if count.unrecorded:
        return (
            f"Sukupuolta ei ole kirjattu {count.unrecorded} henkilölle, joten lain "
            f"(609/1986) 4 a §:n 1 momentin vaatimuksen täyttymistä ei voida arvioida "
            f"{group_genitive} osalta."
        )
    if count.meets_minimum:
        return f"{LAW} vaatimus täyttyy {group_genitive} osalta."
    return (
        f"{_shortfall(count)} jää alle 40 prosentin, joten lain (609/1986) 4 a §:n "
        f"1 momentin vaatimus ei täyty {group_genitive} osalta."
    )


def equality_statement(*, check: EqualityCheck) -> str:
    members = check.members
    noun = "jäsen" if members.total == 1 else "jäsentä"
    sentences = [
        f"{check.body.name_fi_inessive} on puheenjohtaja mukaan lukien yhteensä "
        f"{members.total} {noun}, joista miehiä on {members.men} ja naisia "
        f"{members.women}."
    ]
    sentences.append(_assessment(members, "jäsenten"))
    deputies = check.deputies
    if deputies.total:
        noun = "varajäsen" if deputies.total == 1 else "varajäsentä"
        sentences.append(
            f"Varajäseniä on yhteensä {deputies.total} {noun}, joista miehiä on "
            f"{deputies.men} ja naisia {deputies.women}."
        )
        sentences.append(_assessment(deputies, "varajäsenten"))
    if check.special_reason and not (
        members.meets_minimum and (not deputies.total or deputies.meets_minimum)
    ):
        sentences.append(
            f"Vaatimuksesta poiketaan erityisestä syystä: {check.special_reason}"
        )
    return " ".join(sentences)


def equality_warning(*, membership: Membership, on: date) -> EqualityCheck | None:
    """Return the check as it would be after saving `membership`, if that breaks it.

    Nothing is returned when the rule holds afterwards or was not met before either,
    so the warning speaks only of the change at hand.
    """
    body = membership.body
    current = list(memberships_active_on(body=body, on=on))
    before = equality_check(body=body, on=on, memberships=current)
    planned = [m for m in current if m.pk != membership.pk] + [membership]
    after = equality_check(body=body, on=on, memberships=planned)
    broke_members = before.members_ok and not after.members_ok
    broke_deputies = before.deputies_ok and not after.deputies_ok
    return after if broke_members or broke_deputies else None


def replacement_checks(
    *, leaver: Membership, successor: Person, on: date
) -> tuple[EqualityCheck, EqualityCheck]:
    """Return the §4 a check of the leaver's body as of `on`, before and after the
    successor takes the leaver's seat on that day."""
    body = leaver.body
    current = list(memberships_active_on(body=body, on=on))
    before = equality_check(body=body, on=on, memberships=current)
    seat = Membership(body=body, person=successor, role=leaver.role, start=on)
    planned = [m for m in current if m.pk != leaver.pk] + [seat]
    return before, equality_check(body=body, on=on, memberships=planned)


def replacements_of_body(*, body: Body) -> QuerySet[MembershipReplacement]:
    return MembershipReplacement.objects.filter(leaver__body=body).select_related(
        "leaver__person", "successor__person", "leaver__organisation"
    )


def nomination_request_list(*, status: str = "") -> QuerySet[NominationRequest]:
    requests = NominationRequest.objects.select_related(
        "body", "organisation", "nominee", "membership"
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-sent_on", "-pk")


def nomination_requests_of_body(*, body: Body) -> QuerySet[NominationRequest]:
    return nomination_request_list().filter(body=body)


def nomination_status_changes(
    *, nomination_request: NominationRequest
) -> QuerySet[NominationStatusChange]:
    return nomination_request.status_changes.select_related("by").order_by("at", "pk")


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("kind", "name_fi")


def memberships_of_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("body", "person").order_by(
        "body__kind", "order"
    )


def memberships_of_person(*, person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("body", "organisation").order_by("-start")


def memberships_of_body(*, body: Body) -> QuerySet[Membership]:
    return body.memberships.select_related(
        "person", "organisation", "deputy_of__person"
    ).order_by("order", "pk")


def body_list(*, on: date) -> QuerySet[Body]:
    active = Membership.objects.active_on(on).values("pk")
    return Body.objects.annotate(
        active_seats=Count("memberships", filter=Q(memberships__in=active))
    ).order_by("kind", "name_fi")


def role_labels() -> dict[str, str]:
    """The roles in words, by group name.

    'city-espoo' becomes 'City representative: Espoo'.
    """
    labels = {
        ROLE_CHAIR: _("Chair"),
        ROLE_STAFF: _("Secretariat staff"),
        ROLE_OBSERVER: _("Reader (cooperation group, experts)"),
    }
    for city in Organisation.objects.filter(kind=Organisation.Kind.CITY):
        labels[city_group_name(city)] = _("City representative: %(city)s") % {
            "city": city.name
        }
    return labels


def account_list() -> QuerySet[User]:
    return (
        User.objects.prefetch_related("groups")
        .select_related("person")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def secretariat_users_with_email() -> QuerySet[User]:
    """Return the active chair and secretariat staff who have an e-mail address."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[ROLE_CHAIR, ROLE_STAFF])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def audit_events(
    *,
    person: User | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the audit trail, newest first, narrowed by person, kind and days."""
    events = AuditEvent.objects.select_related("user")
    if person is not None:
        events = events.filter(user=person)
    if kind:
        events = events.filter(kind=kind)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events
