"""The example meetings, agendas, minutes and action items (`--demo`)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from alliance.services import JobError
from alliance.upsert import ensure_row
from members.models import Body
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
)
from secretariat.meetings.services import STANDARD_CLOSING, STANDARD_OPENING

Status = Meeting.Status

# Example data


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


EXAMPLE_NOTE = "Esimerkkisisältö, ei todellinen kokous."

EXAMPLE_GROUP_MATTERS = [
    (
        "Yhteistyömallin organisointi ja tavoitteet",
        "johtava asiantuntija Katja Palonen",
        "Sihteeristö on valmistellut asettamispäätöksen tehtävän 1 mukaisesti "
        "esityksen yhteistyömallin organisoinnista ja tavoitteista.",
        "Yhteistyöryhmä hyväksyy yhteistyömallin organisoinnin ja tavoitteet "
        "sihteeristön esityksen mukaisesti.",
    ),
    (
        "Yhteistyömallin teemat ja toimenpiteet",
        "erityisasiantuntija Olli Voutilainen",
        "Sihteeristö esittelee yhteistyömallin teemat (työllisyys, korkeakoulutus, "
        "innovaatiopolitiikka ja kansainvälistyminen) sekä niiden toimenpiteet.",
        "Yhteistyöryhmä hyväksyy teemat ja toimenpiteet jatkovalmistelun pohjaksi.",
    ),
    (
        "Toimeenpanon seuranta",
        "neuvotteleva virkamies Lotta Mattsson",
        "Sihteeristö on valmistellut esityksen mallin toimeenpanon seurannasta ja "
        "seurannan indikaattoreista.",
        "Yhteistyöryhmä merkitsee seurantaesityksen tiedoksi ja pyytää sihteeristöä "
        "täydentämään sitä.",
    ),
]

EXAMPLE_SECRETARIAT_MATTERS = [
    (
        "Esitys yhteistyömallista",
        "johtava asiantuntija Katja Palonen",
        "Käydään läpi esitysluonnos yhteistyömallista ennen sen viemistä "
        "yhteistyöryhmälle.",
        "Sihteeristö viimeistelee esityksen keskustelun pohjalta.",
        AgendaItem.Outcome.AMENDED,
        "Sihteeristö viimeisteli esityksen keskustelun pohjalta. Kaupungit toimittavat "
        "täydennyksensä teemakuvauksiin.",
    ),
    (
        "Yhteistyöryhmän kokouksen valmistelu",
        "erityisasiantuntija Olli Voutilainen",
        "Sovitaan yhteistyöryhmän ensimmäisen kokouksen esityslistasta.",
        "Sihteeristö hyväksyy esityslistaluonnoksen.",
        AgendaItem.Outcome.APPROVED,
        "Hyväksyttiin esityksen mukaisesti.",
    ),
]


def meeting_demo_load(*, today: date) -> dict[str, int]:
    """Load a cooperation group meeting with a full agenda and a held secretariat
    meeting with minutes and action items, all marked as examples.

    Idempotent: rows are found by their natural keys and saved only when something
    differs, so a second call with the same `today` writes nothing and no history.
    The bodies of the appointment must be loaded first.
    """
    written = 0

    def ensure(model, *, lookup, values):
        nonlocal written
        row, changed = ensure_row(model, lookup=lookup, values=values)
        written += changed
        return row

    with transaction.atomic():
        group = Body.objects.filter(kind=Body.Kind.COOPERATION_GROUP).first()
        secretariat = Body.objects.filter(kind=Body.Kind.SECRETARIAT).first()
        if group is None or secretariat is None:
            raise JobError("Load the appointment decision before the example meetings.")

        held_day = today - timedelta(days=14)
        held = ensure(
            Meeting,
            lookup={"body": secretariat, "number": 1, "is_example": True},
            values={
                "starts_at": _aware(held_day, 13),
                "ends_at": _aware(held_day, 15),
                "place": "Työ- ja elinkeinoministeriö, Aleksanterinkatu 4, Helsinki",
                "online_link": "",
                "status": Status.HELD,
            },
        )
        _demo_items(ensure, held, EXAMPLE_SECRETARIAT_MATTERS, decided=True)
        version = held.agenda_versions.filter(number=1).first()
        if version is None:
            version = AgendaVersion.objects.create(
                meeting=held,
                number=1,
                content=meeting_selectors.agenda_content(meeting=held),
                published_at=_aware(held_day - timedelta(days=7), 9),
            )
            written += 1
        if held.followed_version_id != version.pk:
            held.followed_version = version
            held.save(update_fields=["followed_version"])
            written += 1
        for membership in meeting_selectors.meeting_invitees(meeting=held):
            ensure(
                Attendance,
                lookup={"meeting": held, "membership": membership},
                values={
                    "status": (
                        Attendance.Status.ABSENT
                        if membership.order == 9
                        else Attendance.Status.PRESENT
                    )
                },
            )
        matters = {
            item.title: item
            for item in held.agenda_items.filter(kind=AgendaItem.Kind.MATTER)
        }
        seats = {
            m.person.last_name: m
            for m in meeting_selectors.meeting_invitees(meeting=held)
            if m.person_id
        }
        for title, owner, item_title, due in [
            (
                "Kaupunkien täydennykset teemakuvauksiin",
                "Nyholm",
                "Esitys yhteistyömallista",
                today + timedelta(days=5),
            ),
            (
                "Esityslistaluonnos yhteistyöryhmälle",
                "Voutilainen",
                "Yhteistyöryhmän kokouksen valmistelu",
                today + timedelta(days=3),
            ),
            (
                "Seurantaindikaattoreiden tietolähteet",
                "Mattsson",
                "Esitys yhteistyömallista",
                today - timedelta(days=2),
            ),
        ]:
            if owner not in seats:
                continue
            ensure(
                ActionItem,
                lookup={"meeting": held, "title": title, "is_example": True},
                values={
                    "agenda_item": matters.get(item_title),
                    "owner": seats[owner],
                    "due_date": due,
                    "description": EXAMPLE_NOTE,
                },
            )

        next_day = today + timedelta(days=21)
        upcoming = ensure(
            Meeting,
            lookup={"body": group, "number": 1, "is_example": True},
            values={
                "starts_at": _aware(next_day, 9),
                "ends_at": _aware(next_day, 11),
                "place": "Valtioneuvoston linna, Snellmaninkatu 1, Helsinki",
                "online_link": "",
            },
        )
        _demo_items(
            ensure,
            upcoming,
            [(*matter, "", "") for matter in EXAMPLE_GROUP_MATTERS],
            decided=False,
        )
    return {"written": written}


def _demo_items(ensure, meeting: Meeting, matters, *, decided: bool) -> None:
    standard = [*STANDARD_OPENING]
    rows = [
        (kind, title, "", "", proposal, "", "") for kind, title, proposal in standard
    ]
    rows += [
        (AgendaItem.Kind.MATTER, title, presenter, description, proposal, outcome, text)
        for title, presenter, description, proposal, outcome, text in matters
    ]
    rows += [
        (kind, title, "", "", proposal, "", "")
        for kind, title, proposal in STANDARD_CLOSING
    ]
    for order, (
        kind,
        title,
        presenter,
        description,
        proposal,
        outcome,
        text,
    ) in enumerate(rows):
        if decided and not outcome:
            outcome, text = AgendaItem.Outcome.NOTED, ""
        ensure(
            AgendaItem,
            lookup={"meeting": meeting, "kind": kind, "title": title},
            values={
                "order": order,
                "presenter": presenter,
                "description": (
                    f"{description}\n\n{EXAMPLE_NOTE}" if description else ""
                ),
                "decision_proposal": proposal,
                "outcome": outcome if decided else "",
                "decision": text if decided else "",
            },
        )
