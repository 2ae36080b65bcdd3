"""Synthetic meetings with agendas, published versions, minutes and decisions."""

from datetime import date, timedelta
from itertools import pairwise

from django.contrib.contenttypes.models import ContentType

from alliance.models import Publicity, SecrecyGround
from alliance.scale import SYNTHETIC, ScaleContext, created_with_history, edits_written
from members.models import Body, Membership
from secretariat.meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
    MeetingStatusChange,
)
from secretariat.meetings.selectors import agenda_content
from themes.models import Measure

MEETINGS = 100
MATTERS_PER_MEETING = 11
# Meetings before this day have been held and their minutes approved; later ones
# have a published agenda only. A fixed day keeps the data the same on every run.
HELD_BEFORE = date(2026, 6, 1)
STANDARD_BEFORE = [
    (AgendaItem.Kind.OPENING, "Opening of the meeting"),
    (AgendaItem.Kind.QUORUM, "Legality and quorum"),
    (AgendaItem.Kind.AGENDA_APPROVAL, "Approval of the agenda"),
]
STANDARD_AFTER = [(AgendaItem.Kind.CLOSING, "Closing of the meeting")]


def _meetings_made(context: ScaleContext, bodies: dict[str, Body]) -> list[Meeting]:
    rng = context.rng
    total = context.count(MEETINGS)
    numbers = {
        kind: (
            body.meetings.order_by("-number").values_list("number", flat=True).first()
            or 0
        )
        for kind, body in bodies.items()
    }
    meetings = []
    for n in range(total):
        # Every fourth meeting is the cooperation group's, prepared by the secretariat.
        kind = Body.Kind.COOPERATION_GROUP if n % 4 == 3 else Body.Kind.SECRETARIAT
        numbers[kind] += 1
        day = context.day(n, total)
        starts = context.moment(day, hour=rng.choice([9, 10, 13, 14]))
        held = day < HELD_BEFORE
        meetings.append(
            Meeting(
                body=bodies[kind],
                number=numbers[kind],
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=f"{SYNTHETIC} Meeting room {rng.randrange(1, 9)}",
                status=Meeting.Status.MINUTES_APPROVED
                if held
                else Meeting.Status.AGENDA_PUBLISHED,
                minutes_approval=Meeting.MinutesApproval.CIRCULATION if held else "",
                minutes_approved_on=day + timedelta(days=7) if held else None,
                calendar_changed_at=starts - timedelta(days=14),
            )
        )
    return created_with_history(
        Meeting, meetings, context=context, at=context.moment(context.day(0, 1))
    )


def _items_made(
    context: ScaleContext,
    meetings: list[Meeting],
    measures: list[Measure],
    *,
    recommendations,
) -> list[AgendaItem]:
    rng = context.rng
    items = []
    for meeting in meetings:
        held = meeting.status == Meeting.Status.MINUTES_APPROVED
        for order, (kind, title) in enumerate(STANDARD_BEFORE):
            items.append(
                AgendaItem(meeting=meeting, order=order, kind=kind, title=title)
            )
        for k in range(MATTERS_PER_MEETING):
            measure = rng.choice(measures)
            recommendation = recommendations(meeting, k)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=len(STANDARD_BEFORE) + k,
                    title=f"{SYNTHETIC} Matter {k + 1} of meeting {meeting.number}",
                    presenter=f"{SYNTHETIC} Presenter",
                    description=f"{SYNTHETIC} Background of the matter.",
                    decision_proposal=f"{SYNTHETIC} The body approves the proposal.",
                    measure=measure,
                    theme_id=measure.theme_id,
                    recommended_in=recommendation,
                    decision=f"{SYNTHETIC} Approved as proposed." if held else "",
                    outcome=AgendaItem.Outcome.APPROVED if held else "",
                )
            )
        for order, (kind, title) in enumerate(STANDARD_AFTER):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=len(STANDARD_BEFORE) + MATTERS_PER_MEETING + order,
                    kind=kind,
                    title=title,
                )
            )
    return created_with_history(
        AgendaItem, items, context=context, at=context.moment(context.day(0, 1))
    )


def meetings_generate(
    *, context: ScaleContext, measures: list[Measure]
) -> dict[str, int]:
    """Add meetings of both bodies, each with 15 agenda items, a published agenda
    and, for the held ones, attendance, decisions and approved minutes."""
    bodies = {
        body.kind: body
        for body in Body.objects.filter(
            kind__in=[Body.Kind.SECRETARIAT, Body.Kind.COOPERATION_GROUP]
        )
    }
    meetings = _meetings_made(context, bodies)
    preparing = [m for m in meetings if m.body.kind == Body.Kind.SECRETARIAT]
    deciding = [m for m in meetings if m.body.kind == Body.Kind.COOPERATION_GROUP]
    items = _items_made(context, preparing, measures, recommendations=lambda m, k: None)
    matters_by_meeting = {}
    for item in items:
        if item.kind == AgendaItem.Kind.MATTER:
            matters_by_meeting.setdefault(item.meeting_id, []).append(item)

    def recommendation(meeting: Meeting, k: int) -> AgendaItem | None:
        # The secretariat's latest earlier meeting prepared the group's matters.
        earlier = [m for m in preparing if m.starts_at < meeting.starts_at]
        return matters_by_meeting[earlier[-1].pk][k] if earlier else None

    items += _items_made(context, deciding, measures, recommendations=recommendation)
    versions = created_with_history(
        AgendaVersion,
        [
            AgendaVersion(
                meeting=meeting,
                number=1,
                content=agenda_content(meeting=meeting),
                published_by=context.user,
                published_at=meeting.starts_at - timedelta(days=7),
            )
            for meeting in meetings
        ],
        context=context,
        at=context.moment(context.day(0, 1)),
    )
    held = [m for m in meetings if m.status == Meeting.Status.MINUTES_APPROVED]
    for meeting, version in zip(meetings, versions, strict=True):
        meeting.followed_version = version if meeting in held else None
    Meeting.objects.bulk_update(held, ["followed_version"])
    changes = []
    for meeting in meetings:
        steps = [Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED]
        if meeting in held:
            steps += [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
        for k, (before, after) in enumerate(pairwise(steps)):
            changes.append(
                MeetingStatusChange(
                    meeting=meeting,
                    from_status=before,
                    to_status=after,
                    by=context.user,
                    at=meeting.starts_at + timedelta(days=7 * k - 7),
                )
            )
    MeetingStatusChange.objects.bulk_create(changes)
    seats = {}
    for membership in Membership.objects.filter(body__in=bodies.values()).order_by(
        "pk"
    ):
        seats.setdefault(membership.body_id, []).append(membership)
    attendances = created_with_history(
        Attendance,
        [
            Attendance(
                meeting=meeting, membership=seat, status=Attendance.Status.PRESENT
            )
            for meeting in held
            for seat in seats.get(meeting.body_id, [])
        ],
        context=context,
        at=context.moment(context.day(0, 1)),
    )
    edits = edits_written(
        AgendaItem,
        context.edited([item for item in items if item.kind == AgendaItem.Kind.MATTER]),
        context=context,
        field="description",
        values=lambda item, k: f"{SYNTHETIC} Background of the matter, revision {k}.",
        since=context.moment(context.day(0, 1)) + timedelta(days=1),
    )
    publicities = _publicities_made(context, held)
    return {
        "meetings": len(meetings),
        "agenda items": len(items),
        "agenda versions": len(versions),
        "attendances": len(attendances),
        "agenda item edits": edits,
        "publicity records": len(publicities),
    }


def _publicities_made(context: ScaleContext, held: list[Meeting]) -> list[Publicity]:
    """Decide the publicity of most held meetings' documents: mostly public, some
    secret for a time, some public from a later day."""
    meeting_type = ContentType.objects.get_for_model(Meeting)
    records = []
    for n, meeting in enumerate(held):
        if n % 10 == 9:
            continue  # not yet decided: not public
        day = meeting.starts_at.date()
        if n % 10 == 7:
            record = Publicity(
                status=Publicity.Status.SECRET,
                ground=context.rng.choice(SecrecyGround.values),
                secret_until=day + timedelta(days=365 * 5),
            )
        elif n % 10 == 8:
            record = Publicity(
                status=Publicity.Status.NOT_YET_PUBLIC,
                public_from=day + timedelta(days=60),
            )
        else:
            record = Publicity(status=Publicity.Status.PUBLIC)
        record.content_type, record.object_id = meeting_type, meeting.pk
        records.append(record)
    return created_with_history(
        Publicity, records, context=context, at=context.moment(context.day(0, 1))
    )
