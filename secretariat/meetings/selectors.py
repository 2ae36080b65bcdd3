"""Reads of meetings, agendas, minutes and action items."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from members.models import Body, Membership, Person
from secretariat.meetings import permissions as meeting_permissions
from secretariat.meetings.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
)

REMINDER_HORIZON = timedelta(days=7)


def meeting_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()


def meeting_list() -> QuerySet[Meeting]:
    """Every meeting, newest first, with what the list shows of each."""
    return (
        Meeting.objects.select_related("body")
        .annotate(
            item_count=Count("agenda_items", distinct=True),
            version_count=Max("agenda_versions__number"),
        )
        .order_by("-starts_at", "-pk")
    )


def meeting_get(*, pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related(
            "body", "followed_version", "minutes_approved_at__body"
        )
        .filter(pk=pk)
        .first()
    )


def meeting_next_number(*, body: Body) -> int:
    latest = Meeting.objects.filter(body=body).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def meeting_status_changes(*, meeting: Meeting):
    return meeting.status_changes.select_related("by").order_by("at", "pk")


def meetings_upcoming(*, today: date, limit: int = 5) -> list[Meeting]:
    """Meetings from today on, soonest first (for the dashboard)."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    return list(
        Meeting.objects.select_related("body")
        .filter(starts_at__gte=start)
        .order_by("starts_at", "pk")[:limit]
    )


def meetings_awaiting_minutes(*, limit: int = 5) -> list[Meeting]:
    """Held meetings whose minutes are not approved yet."""
    return list(
        Meeting.objects.select_related("body")
        .filter(status=Meeting.Status.HELD)
        .order_by("starts_at", "pk")[:limit]
    )


def meetings_for_minutes_approval(*, meeting: Meeting) -> QuerySet[Meeting]:
    """Later meetings of the same body, where the minutes may have been approved."""
    return (
        Meeting.objects.select_related("body")
        .filter(body_id=meeting.body_id, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
    )


# Invitees and the distribution list


def meeting_invitees(*, meeting: Meeting) -> QuerySet[Membership]:
    """The seats of the body active on the meeting's day."""
    day = meeting_day(meeting)
    return (
        Membership.objects.filter(body_id=meeting.body_id, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("person__user", "organisation", "deputy_of__person")
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class Recipient:
    """A seat on the distribution list, with where its mail goes."""

    membership: Membership
    address: str
    source: str
    language: str

    @property
    def name(self) -> str:
        return self.membership.holder_name

    @property
    def has_address(self) -> bool:
        return bool(self.address)


def seat_address(membership: Membership) -> tuple[str, str]:
    """Return a seat's address and where it came from.

    The seat's own contact address wins (the cooperation group's seats are named by
    position, so the office receives the mail), then the person's, then their account's.
    """
    if membership.contact_email:
        return membership.contact_email, "seat"
    person = membership.person
    if person is not None and person.email:
        return person.email, "person"
    if person is not None and person.user_id and person.user.email:
        return person.user.email, "account"
    return "", ""


def seat_language(membership: Membership) -> str:
    person = membership.person
    if person is not None and person.user_id:
        return person.user.language
    return "fi"


def recipient_for(membership: Membership) -> Recipient:
    address, source = seat_address(membership)
    return Recipient(
        membership=membership,
        address=address,
        source=source,
        language=seat_language(membership),
    )


def meeting_distribution(*, meeting: Meeting) -> list[Recipient]:
    """The distribution list (jakelu): every invited seat and its address, if any."""
    return [recipient_for(m) for m in meeting_invitees(meeting=meeting)]


# Agendas


def numbered_items(items: list[dict]) -> list[dict]:
    """Return the published items numbered 1, 2, 3… as the agenda prints them."""
    return [{**item, "number": index} for index, item in enumerate(items, 1)]


def agenda_items(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return (
        meeting.agenda_items.select_related("measure")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=AgendaAttachment.objects.order_by("order", "pk"),
            )
        )
        .order_by("order", "pk")
    )


def agenda_latest_version(*, meeting: Meeting) -> AgendaVersion | None:
    return (
        meeting.agenda_versions.select_related("published_by")
        .order_by("-number")
        .first()
    )


def agenda_versions(*, meeting: Meeting) -> QuerySet[AgendaVersion]:
    return meeting.agenda_versions.select_related("published_by").order_by("-number")


def published_attachment_ids(*, meeting: Meeting) -> set[int]:
    """Attachments that some published version of the agenda carried."""
    ids: set[int] = set()
    for version in meeting.agenda_versions.only("content"):
        ids |= version.attachment_ids
    return ids


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def agenda_content(*, meeting: Meeting) -> dict:
    """Return the agenda as plain data: what a published version freezes."""
    items = list(agenda_items(meeting=meeting))
    return {
        "meeting": {
            "id": meeting.pk,
            "number": meeting.number,
            "body_id": meeting.body_id,
            "body_kind": meeting.body.kind,
            "body_name_fi": meeting.body.name_fi,
            "body_name_sv": meeting.body.name_sv,
            "starts_at": _iso(meeting.starts_at),
            "ends_at": _iso(meeting.ends_at),
            "place": meeting.place,
            "online_link": meeting.online_link,
        },
        "items": [
            {
                "id": item.pk,
                "kind": item.kind,
                "title": item.title,
                "presenter": item.presenter,
                "description": item.description,
                "decision_proposal": item.decision_proposal,
                "measure": (
                    {"id": item.measure_id, "title": item.measure.title}
                    if item.measure_id
                    else None
                ),
                "attachments": [
                    {"id": a.pk, "title": a.title, "filename": a.filename}
                    for a in item.attachments.all()
                ],
            }
            for item in items
        ],
        "distribution": [
            {
                "name": m.holder_name,
                "title": m.title,
                "role": m.role,
                "organisation_fi": m.organisation.name_fi if m.organisation else "",
                "organisation_sv": m.organisation.name_sv if m.organisation else "",
            }
            for m in meeting_invitees(meeting=meeting)
        ],
    }


# Minutes


def meeting_attendance(*, meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendances.select_related(
            "membership__person", "membership__organisation"
        ).order_by("membership__order", "pk")
    )


# Action items


def _overdue(today: date):
    return ExpressionWrapper(
        Q(due_date__lt=today)
        & Q(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]),
        output_field=BooleanField(),
    )


def action_item_list(*, today: date, status: str = "") -> QuerySet[ActionItem]:
    items = ActionItem.objects.select_related(
        "meeting__body", "owner__person", "owner__organisation", "agenda_item"
    ).annotate(is_overdue=_overdue(today))
    if status == "unfinished":
        items = items.filter(
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
        )
    elif status:
        items = items.filter(status=status)
    return items.order_by("due_date", "pk")


def action_items_of_meeting(*, meeting: Meeting, today: date) -> QuerySet[ActionItem]:
    return action_item_list(today=today).filter(meeting=meeting)


def action_items_for_dashboard(*, today: date, limit: int = 10) -> list[ActionItem]:
    """Unfinished action items, the most urgent first, overdue ones flagged."""
    return list(action_item_list(today=today, status="unfinished")[:limit])


def action_items_of_person(*, person: Person, today: date) -> list[ActionItem]:
    """Action items owned by any of the person's seats."""
    return list(action_item_list(today=today).filter(owner__person=person))


def action_items_due(*, today: date) -> QuerySet[ActionItem]:
    """Unfinished action items due within a week from today (the reminders)."""
    return action_item_list(today=today, status="unfinished").filter(
        due_date__gte=today, due_date__lte=today + REMINDER_HORIZON
    )


def agenda_items_about(*, user, **subject) -> list[AgendaItem]:
    """The agenda items about a measure or a proposal and, where visible, decisions.

    `subject` is `measure=…` or `theme_proposal=…`. Others than the secretariat see
    items of published agendas only, and the decision only once the minutes are
    approved.
    """
    items = (
        AgendaItem.objects.filter(**subject)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "order")
    )
    if not meeting_permissions.can_prepare_meetings(user):
        items = items.exclude(meeting__status=Meeting.Status.PLANNED)
    rows = list(items)
    for item in rows:
        item.decision_visible = meeting_permissions.can_see_minutes(user, item.meeting)
    return rows
