"""Load the appointment decision, the roles and (on request) the demo accounts.

Every step is idempotent: a second run finds every row as it should be, saves nothing
and so writes no history.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from alliance.audit import audit_record
from alliance.installation import setting_fix
from alliance.models import AuditEvent
from alliance.upsert import ensure_row
from members.models import Body, Membership, Organisation, Person, User
from members.permissions import ROLE_CHAIR, ROLE_OBSERVER, ROLE_STAFF, city_group_name
from members.services import role_groups_ensure
from monitoring.demo import indicator_demo_load, round_demo_load
from secretariat import seed
from secretariat.demo import model_proposal_demo_load
from secretariat.meetings import ical
from secretariat.meetings.demo import meeting_demo_load
from secretariat.models import Appointment, AppointmentTask, ProposalSection, Signatory
from secretariat.services import proposal_ensure
from themes.demo import theme_demo_load
from themes.proposals.demo import proposal_demo_load

DEFAULT_DEMO_PASSWORD = "allianssi-demo"


@dataclass
class BootstrapReport:
    written: list[str] = field(default_factory=list)
    demo_users: list[tuple[str, str]] = field(default_factory=list)

    def note(self, what: str, changed: bool) -> None:
        if changed:
            self.written.append(what)


def roles_load(report: BootstrapReport) -> None:
    """Ensure the role groups and the city groups' scope on their own city.

    The roles are the groups themselves, read by each app's permissions module; no
    rule reads Django's model permissions, so the groups hold none, and any granted
    by an earlier version of this command are taken away.
    """
    for name, group in role_groups_ensure().items():
        if group.permissions.exists():
            group.permissions.clear()
            report.note(f"model permissions of {name} removed", True)


def appointment_load(report: BootstrapReport) -> Appointment:
    organisations = {}
    for slug, kind, name_fi, name_sv, abbreviation in seed.ORGANISATIONS:
        official_fi, official_sv, official_en = seed.OFFICIAL_NAMES[slug]
        organisations[slug], changed = ensure_row(
            Organisation,
            lookup={"slug": slug},
            values={
                "kind": kind,
                "name_fi": name_fi,
                "name_sv": name_sv,
                "official_name_fi": official_fi,
                "official_name_sv": official_sv,
                "official_name_en": official_en,
                "abbreviation": abbreviation,
            },
        )
        report.note(f"organisation {slug}", changed)

    group, changed = ensure_row(
        Body,
        lookup={"slug": seed.COOPERATION_GROUP["slug"]},
        values={k: v for k, v in seed.COOPERATION_GROUP.items() if k != "slug"},
    )
    report.note("cooperation group", changed)
    secretariat, changed = ensure_row(
        Body,
        lookup={"slug": seed.SECRETARIAT["slug"]},
        values={
            **{k: v for k, v in seed.SECRETARIAT.items() if k != "slug"},
            "serves": group,
        },
    )
    report.note("secretariat", changed)

    for order, (position, slug, role) in enumerate(seed.COOPERATION_GROUP_SEATS, 1):
        _, changed = ensure_row(
            Membership,
            lookup={"body": group, "order": order},
            values={
                "position": position,
                "position_sv": seed.POSITIONS_SV[position],
                "organisation": organisations.get(slug),
                "role": role,
                "start": group.term_start,
            },
        )
        report.note(f"cooperation group seat {order}", changed)

    memberships = {}
    for order, member in enumerate(seed.SECRETARIAT_MEMBERS, 1):
        title, first_name, last_name, slug, role, gender, _username = member
        person, changed = ensure_row(
            Person,
            lookup={"first_name": first_name, "last_name": last_name},
            values={"gender": gender},
        )
        report.note(f"person {last_name}", changed)
        memberships[order], changed = ensure_row(
            Membership,
            lookup={"body": secretariat, "order": order},
            values={
                "person": person,
                "organisation": organisations[slug],
                "title": title,
                "title_sv": seed.TITLES_SV[title],
                "role": role,
                "start": secretariat.term_start,
            },
        )
        report.note(f"secretariat seat {order}", changed)

    appointment, changed = ensure_row(
        Appointment,
        lookup={"diary_number": seed.APPOINTMENT["diary_number"]},
        values={
            **{k: v for k, v in seed.APPOINTMENT.items() if k != "diary_number"},
            "issuer": organisations["tem"],
            "body": secretariat,
        },
    )
    report.note("appointment", changed)
    for order, (title, name) in enumerate(seed.SIGNATORIES, 1):
        _, changed = ensure_row(
            Signatory,
            lookup={"appointment": appointment, "order": order},
            values={"title": title, "name": name},
        )
        report.note(f"signatory {order}", changed)
    for number, (text, text_sv) in enumerate(seed.TASKS, 1):
        # Status and the responsible member are the secretariat's to set later.
        _, changed = ensure_row(
            AppointmentTask,
            lookup={"appointment": appointment, "number": number},
            values={"text": text, "text_sv": text_sv},
        )
        report.note(f"task {number}", changed)
    sections_before = ProposalSection.objects.filter(
        proposal__appointment=appointment
    ).count()
    proposal = proposal_ensure(appointment=appointment)
    report.note(
        "proposal for the cooperation model",
        proposal.sections.count() != sections_before,
    )
    return appointment


def _demo_user(
    *, username: str, password: str | None, report: BootstrapReport, **values
) -> User:
    """Ensure an example account; its password changes only when one is given."""
    is_new = not User.objects.filter(username=username).exists()
    user, changed = ensure_row(
        User, lookup={"username": username}, values={**values, "is_example": True}
    )
    report.note(f"user {username}", changed)
    if is_new or (password and not user.check_password(password)):
        user.set_password(password or DEFAULT_DEMO_PASSWORD)
        user.save(update_fields=["password"])
        report.note(f"password of {username}", not is_new)
    return user


def demo_accounts_load(report: BootstrapReport, *, password: str | None) -> None:
    """Add example accounts: one per secretariat member, an observer and an admin."""
    groups = {group.name: group for group in Group.objects.all()}
    secretariat = Body.objects.get(slug=seed.SECRETARIAT["slug"])
    memberships = {
        m.person.last_name: m
        for m in secretariat.memberships.select_related("person", "organisation")
    }
    for (
        _title,
        first_name,
        last_name,
        _slug,
        role,
        _gender,
        username,
    ) in seed.SECRETARIAT_MEMBERS:
        membership = memberships[last_name]
        user = _demo_user(
            username=username,
            password=password,
            report=report,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.invalid",
        )
        if membership.organisation.kind == Organisation.Kind.CITY:
            wanted = {city_group_name(membership.organisation)}
        elif role == "chair":
            wanted = {ROLE_CHAIR, ROLE_STAFF}
        else:
            wanted = {ROLE_STAFF}
        _groups_ensure(user, [groups[name] for name in wanted], report)
        person = membership.person
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
            report.note(f"person {last_name} account", True)
        report.demo_users.append((username, membership.holder_name))

    observer = _demo_user(
        username="observer",
        password=password,
        report=report,
        first_name="Tarkkailija",
        last_name="(esimerkki)",
        email="observer@example.invalid",
    )
    _groups_ensure(observer, [groups[ROLE_OBSERVER]], report)
    report.demo_users.append(("observer", "Tarkkailija"))
    _demo_user(
        username="admin",
        password=password,
        report=report,
        first_name="Ylläpitäjä",
        last_name="(esimerkki)",
        email="admin@example.invalid",
        is_staff=True,
        is_superuser=True,
    )
    report.demo_users.append(("admin", "Ylläpitäjä"))


def _groups_ensure(user: User, groups: list[Group], report: BootstrapReport):
    missing = set(groups) - set(user.groups.all())
    if missing:
        user.groups.add(*missing)
        report.note(f"roles of {user.username}", True)


def calendar_uid_domain_fix(report: BootstrapReport) -> None:
    """Fix the host of the calendar UIDs the first time, and never again: a site that
    moves later keeps its events' UIDs, so subscribers get no duplicates."""
    domain, stored = setting_fix(
        name=ical.UID_DOMAIN_SETTING, value=ical.uid_domain_configured()
    )
    report.note(f"calendar UID domain {domain}", stored)


def bootstrap(
    *, demo: bool = False, password: str | None = None, today: date
) -> BootstrapReport:
    """Load the decision and the roles; with `demo`, the example data too."""
    report = BootstrapReport()
    with transaction.atomic():
        appointment_load(report)
        roles_load(report)
        calendar_uid_domain_fix(report)
        if demo:
            demo_accounts_load(report, password=password)
            for name, load in (
                ("example themes", theme_demo_load),
                ("example indicators", indicator_demo_load),
                ("example reporting round", round_demo_load),
                ("example proposals", proposal_demo_load),
                ("example meetings", meeting_demo_load),
                ("example proposal text", model_proposal_demo_load),
            ):
                written = load(today=today)["written"]
                report.note(f"{name} ({written} rows)", bool(written))
        if report.written:
            audit_record(
                kind=AuditEvent.Kind.BULK_WRITE,
                what=f"{'demo ' if demo else ''}bootstrap: "
                f"{len(report.written)} changes",
            )
    return report
