"""The alliance as the meeting tests need it: the decision, bodies, roles, users."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory

from members.models import Body, Membership, Organisation
from secretariat.meetings.models import ActionItem, AgendaItem, Meeting
from secretariat.meetings.services import agenda_publish
from secretariat.models import Appointment
from tests.factories import cast_create
from tests.members.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    standard_organisations_create,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
MEETING_DAY = datetime.date(2023, 10, 12)
TODAY = datetime.date(2023, 10, 2)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), HELSINKI)


@dataclass
class Alliance:
    organisations: dict[str, Organisation]
    secretariat: Body
    group: Body
    appointment: Appointment
    users: dict[str, object]
    group_seats: list[Membership]
    secretariat_seats: list[Membership]


def alliance_create(*, group_addresses: bool = True) -> Alliance:
    """Create the decision TEM077:00/2023, its two bodies with seats, roles and users.

    The cooperation group's seats are named by position; all but the last have the
    office's contact address (unless `group_addresses` is false).
    """
    organisations = standard_organisations_create()
    group = BodyFactory(
        kind=Body.Kind.COOPERATION_GROUP,
        slug="yhteistyoryhma",
        name_fi="Suurten kaupunkien yhteistyöryhmä",
        name_sv="Samarbetsgruppen för de stora städerna",
        name_fi_inessive="Suurten kaupunkien yhteistyöryhmässä",
        term_start=datetime.date(2023, 8, 31),
    )
    secretariat = BodyFactory(
        kind=Body.Kind.SECRETARIAT,
        slug="sihteeristo",
        name_fi="Valtion ja suurten kaupunkien yhteistyöallianssin sihteeristö",
        name_sv="Sekretariatet för samarbetsalliansen",
        serves=group,
    )
    appointment = Appointment.objects.create(
        diary_number="TEM077:00/2023",
        date=datetime.date(2023, 8, 31),
        issuer=organisations["tem"],
        title_fi="VALTION JA SUURTEN KAUPUNKIEN YHTEISTYÖALLIANSSIN SIHTEERISTÖN "
        "ASETTAMINEN",
        title_sv="TILLSÄTTANDE AV SEKRETARIATET",
        body=secretariat,
    )
    positions = [
        ("pääministeri", None, Membership.Role.CHAIR, "pm@vnk.example.org"),
        (
            "kunta- ja alueministeri",
            None,
            Membership.Role.VICE_CHAIR,
            "kam@vm.example.org",
        ),
        ("kaupunginjohtaja", "helsinki", Membership.Role.MEMBER, "kj@hel.example.org"),
        ("kansliapäällikkö", "vm", Membership.Role.MEMBER, ""),
    ]
    group_seats = [
        MembershipFactory(
            body=group,
            person=None,
            position=position,
            organisation=organisations.get(slug) if slug else None,
            role=role,
            contact_email=address if group_addresses else "",
            start=group.term_start,
            order=order,
        )
        for order, (position, slug, role, address) in enumerate(positions, 1)
    ]
    cast = cast_create(
        "palonen",
        "voutilainen",
        "nyholm",
        "observer",
        "norole",
        languages={"voutilainen": "sv", "nyholm": "en"},
    )
    users = {
        "chair": cast["palonen"],
        "staff": cast["voutilainen"],
        "city": cast["nyholm"],
        "observer": cast["observer"],
        "none": cast["norole"],
    }
    secretariat_seats = []
    for order, (last_name, slug, role, user) in enumerate(
        [
            ("Palonen", "tem", Membership.Role.CHAIR, users["chair"]),
            ("Voutilainen", "tem", Membership.Role.MEMBER, users["staff"]),
            ("Nyholm", "helsinki", Membership.Role.MEMBER, users["city"]),
        ],
        1,
    ):
        person = PersonFactory(last_name=last_name, user=user, email="")
        secretariat_seats.append(
            MembershipFactory(
                body=secretariat,
                person=person,
                organisation=organisations[slug],
                role=role,
                order=order,
            )
        )
    return Alliance(
        organisations=organisations,
        secretariat=secretariat,
        group=group,
        appointment=appointment,
        users=users,
        group_seats=group_seats,
        secretariat_seats=secretariat_seats,
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    number = factory.Sequence(lambda n: n + 1)
    starts_at = at(MEETING_DAY, 9)
    ends_at = at(MEETING_DAY, 11)
    place = "Valtioneuvoston linna, Snellmaninkatu 1, Helsinki"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    title = factory.Sequence(lambda n: f"Asia {n}")
    order = factory.Sequence(lambda n: n)
    presenter = "erityisasiantuntija Olli Voutilainen"
    description = "Sihteeristö on valmistellut asian."
    decision_proposal = "Yhteistyöryhmä hyväksyy esityksen."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Tehtävä {n}")
    due_date = datetime.date(2023, 10, 20)


def agenda_published(meeting: Meeting, *, by, status: str = "") -> Meeting:
    """Publish the meeting's agenda as the chair does, then move the meeting on to
    `status` directly, as the factories set statuses."""
    agenda_publish(meeting=meeting, by=by)
    if status:
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting
