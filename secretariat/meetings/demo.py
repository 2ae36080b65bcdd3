"""The example meetings, agendas, minutes and action items (`--demo`)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from alliance.services import JobError
from members.models import Body, Membership
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings import standard_items
from secretariat.meetings.models import ActionItem, AgendaItem, Attendance, Meeting

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

    Every row is written by the services, as the system (`by=None`): the held
    meeting's agenda is published and the meeting held on the days they would have
    been, and nothing is sent. Idempotent: a meeting is found by its body and number
    among the examples and is written only when missing, so a second call writes
    nothing and no history. The bodies of the appointment must be loaded first.
    """
    with transaction.atomic():
        group = Body.objects.filter(kind=Body.Kind.COOPERATION_GROUP).first()
        secretariat = Body.objects.filter(kind=Body.Kind.SECRETARIAT).first()
        if group is None or secretariat is None:
            raise JobError("Load the appointment decision before the example meetings.")
        written = 0
        if not _example_exists(body=secretariat):
            written += _held_meeting_load(body=secretariat, today=today)
        if not _example_exists(body=group):
            written += _planned_meeting_load(body=group, today=today)
    return {"written": written}


def _example_exists(*, body: Body) -> bool:
    return Meeting.objects.filter(body=body, number=1, is_example=True).exists()


def _meeting_create(
    *,
    body: Body,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    minutes_taker: Membership | None = None,
) -> Meeting:
    return meeting_services.meeting_save(
        meeting=Meeting(
            body=body,
            number=1,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            minutes_taker=minutes_taker,
            is_example=True,
        ),
        by=None,
    )


def _items_add(meeting: Meeting, matters) -> int:
    """Add the standard items and, before the closing ones, the matters; count them."""
    written = meeting_services.agenda_standard_items_add(meeting=meeting, by=None)
    for title, presenter, description, proposal, *_decision in matters:
        meeting_services.agenda_item_save(
            item=AgendaItem(
                meeting=meeting,
                title=title,
                presenter=presenter,
                description=f"{description}\n\n{EXAMPLE_NOTE}",
                decision_proposal=proposal,
            ),
            by=None,
        )
        written += 1
    return written


def _planned_meeting_load(*, body: Body, today: date) -> int:
    day = today + timedelta(days=21)
    meeting = _meeting_create(
        body=body,
        starts_at=_aware(day, 9),
        ends_at=_aware(day, 11),
        place="Valtioneuvoston linna, Snellmaninkatu 1, Helsinki",
    )
    return 1 + _items_add(meeting, EXAMPLE_GROUP_MATTERS)


def _held_meeting_load(*, body: Body, today: date) -> int:
    held_day = today - timedelta(days=14)
    meeting = _meeting_create(
        body=body,
        starts_at=_aware(held_day, 13),
        ends_at=_aware(held_day, 15),
        place="Työ- ja elinkeinoministeriö, Aleksanterinkatu 4, Helsinki",
        minutes_taker=body.memberships.filter(person__last_name="Voutilainen").first(),
    )
    written = 1 + _items_add(meeting, EXAMPLE_SECRETARIAT_MATTERS)
    meeting_services.agenda_publish(
        meeting=meeting,
        by=None,
        at=_aware(held_day - timedelta(days=7), 9),
        notify=False,
    )
    meeting = meeting_services.meeting_mark_held(
        meeting=meeting, by=None, at=_aware(held_day, 15)
    )
    written += 2
    invitees = meeting_selectors.meeting_invitees(meeting=meeting)
    meeting_services.attendance_save(
        meeting=meeting,
        rows={m.pk: (Attendance.Status.ABSENT, "") for m in invitees if m.order == 9},
        by=None,
    )
    decisions = {
        title: (outcome, text)
        for title, _presenter, _description, _proposal, outcome, text in (
            EXAMPLE_SECRETARIAT_MATTERS
        )
    }
    matters = {}
    for item in meeting_selectors.agenda_items(meeting=meeting):
        # A standard item keeps its standard decision, which the minutes print.
        item.outcome, item.decision = decisions.get(
            item.title,
            (standard_items.decision_outcome(kind=item.kind, outcome=""), ""),
        )
        meeting_services.agenda_item_decide(item=item, by=None)
        matters[item.title] = item
        written += 1
    seats = {m.person.last_name: m for m in invitees if m.person_id}
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
        meeting_services.action_item_save(
            item=ActionItem(
                meeting=meeting,
                agenda_item=matters.get(item_title),
                title=title,
                owner=seats[owner],
                due_date=due,
                description=EXAMPLE_NOTE,
                is_example=True,
            ),
            by=None,
            today=today,
        )
        written += 1
    return written
