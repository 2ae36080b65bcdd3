"""Reads of meetings, agendas, minutes and action items."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from alliance.search_indexes import every_word_condition
from members.models import Body, Membership, Person
from secretariat.meetings import permissions as meeting_permissions
from secretariat.meetings.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
    MeetingStatusChange,
)

REMINDER_HORIZON = timedelta(days=7)
# An overdue action item is reminded of on the day after its due date, or on one of
# the days after that, should the daily task have missed the day.
OVERDUE_REMINDER_DAYS = 3


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


def meetings_for_calendar(*, first_day: date, last_day: date) -> QuerySet[Meeting]:
    """The meetings starting from `first_day` to `last_day` (both included, local
    days), cancelled ones included (calendars show them called off)."""
    zone = timezone.get_current_timezone()
    return (
        Meeting.objects.select_related("body")
        .filter(
            starts_at__gte=datetime.combine(first_day, time(), zone),
            starts_at__lt=datetime.combine(last_day + timedelta(days=1), time(), zone),
        )
        .order_by("starts_at", "pk")
    )


def meeting_get(*, pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related(
            "body",
            "followed_version",
            "minutes_approved_at__body",
            "minutes_taker__person",
        )
        .filter(pk=pk)
        .first()
    )


def meeting_next_number(*, body: Body) -> int:
    latest = Meeting.objects.filter(body=body).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def meeting_status_changes(*, meeting: Meeting):
    return meeting.status_changes.select_related("by").order_by("at", "pk")


def meeting_cancellation(*, meeting: Meeting) -> MeetingStatusChange | None:
    """Return the move that cancelled the meeting, with its reason, if it was."""
    if meeting.status != Meeting.Status.CANCELLED:
        return None
    return (
        meeting.status_changes.filter(to_status=Meeting.Status.CANCELLED)
        .order_by("-at", "-pk")
        .first()
    )


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


def meeting_next(*, meeting: Meeting) -> Meeting | None:
    """The body's next meeting after this one, if one is planned."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__gt=meeting.starts_at)
        .order_by("starts_at", "pk")
        .first()
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
        Membership.objects.filter(body_id=meeting.body_id)
        .active_on(day)
        .select_related("person__user", "organisation", "deputy_of__person")
        .order_by("order", "pk")
    )


def minutes_taker_seats(*, meeting: Meeting | None) -> QuerySet[Membership]:
    """The seats that may take a meeting's minutes: of its body and of the body that
    serves it (every body's, for a meeting not yet planned), active on its day."""
    day = meeting_day(meeting) if meeting is not None else timezone.localdate()
    seats = Membership.objects.active_on(day)
    if meeting is not None:
        seats = seats.filter(
            Q(body_id=meeting.body_id) | Q(body__serves_id=meeting.body_id)
        )
    return seats.select_related("person", "body", "organisation").order_by(
        "body__kind", "order", "pk"
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


def meeting_distribution_reached(*, meeting: Meeting) -> int:
    """Return how many seats on the distribution list have an address to send to."""
    return sum(r.has_address for r in meeting_distribution(meeting=meeting))


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
                "theme_proposal_id": item.theme_proposal_id,
                "attachments": [
                    {"id": a.pk, "title": a.title, "filename": a.filename}
                    for a in item.attachments.all()
                ],
            }
            for item in items
        ],
        "distribution": [
            {
                "name": m.holder_name_in("fi"),
                "title": m.title_in("fi"),
                # What Swedish documents print; versions published before print the
                # Finnish.
                "name_sv": m.holder_name_in("sv"),
                "title_sv": m.title_in("sv"),
                "role": m.role,
                "organisation_fi": m.organisation.name_fi if m.organisation else "",
                "organisation_sv": m.organisation.name_sv if m.organisation else "",
                # What the documents print; versions published before have only
                # the names above.
                "organisation_official": (
                    {
                        language: m.organisation.official_name_in(language)
                        for language in ("fi", "sv", "en")
                    }
                    if m.organisation
                    else {}
                ),
            }
            for m in meeting_invitees(meeting=meeting)
        ],
    }


@dataclass(frozen=True)
class AgendaRevision:
    """What a published version changed since the one before it, as sent out."""

    previous_number: int
    # The meeting's time and place as the previous version had them, where changed.
    previous_starts_at: datetime | None
    previous_ends_at: datetime | None
    time_changed: bool
    previous_place: str
    place_changed: bool
    items_added: list[str]
    items_removed: list[str]
    items_revised: list[str]

    @property
    def items_changed(self) -> bool:
        return bool(self.items_added or self.items_removed or self.items_revised)


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _place_text(facts: dict) -> str:
    return ", ".join(part for part in (facts["place"], facts["online_link"]) if part)


def agenda_revision(*, version: AgendaVersion) -> AgendaRevision | None:
    """Return what `version` changed since the previous one, or None for the first."""
    previous = (
        AgendaVersion.objects.filter(
            meeting_id=version.meeting_id, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    if previous is None:
        return None
    before, after = previous.content["meeting"], version.content["meeting"]
    old_items = {item["id"]: item for item in previous.content["items"]}
    new_items = {item["id"]: item for item in version.content["items"]}
    return AgendaRevision(
        previous_number=previous.number,
        previous_starts_at=_datetime(before["starts_at"]),
        previous_ends_at=_datetime(before["ends_at"]),
        time_changed=(before["starts_at"], before["ends_at"])
        != (after["starts_at"], after["ends_at"]),
        previous_place=_place_text(before),
        place_changed=_place_text(before) != _place_text(after),
        items_added=[
            item["title"] for pk, item in new_items.items() if pk not in old_items
        ],
        items_removed=[
            item["title"] for pk, item in old_items.items() if pk not in new_items
        ],
        items_revised=[
            item["title"]
            for pk, item in new_items.items()
            if pk in old_items and old_items[pk] != item
        ],
    )


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


def action_items_overdue_for_reminder(*, today: date) -> QuerySet[ActionItem]:
    """Unfinished action items whose due date passed in the last few days: the ones
    reminded of as overdue (each once)."""
    return action_item_list(today=today, status="unfinished").filter(
        due_date__lt=today,
        due_date__gte=today - timedelta(days=OVERDUE_REMINDER_DAYS),
    )


# What each role sees of the agendas


@dataclass(frozen=True)
class VisibleAgendaItem:
    """An agenda item as one user sees it: as edited, or as last published.

    `number` is the item's place on the agenda (1, 2, 3…); `decision` and `outcome` are
    empty unless the user may see the meeting's minutes.
    """

    meeting: Meeting
    id: int
    number: int
    kind: str
    title: str
    presenter: str
    description: str
    decision_proposal: str
    measure_id: int | None
    theme_proposal_id: int | None
    decision: str = ""
    outcome: str = ""

    def __str__(self):
        return self.title

    def get_outcome_display(self) -> str:
        return AgendaItem.Outcome(self.outcome).label if self.outcome else ""


def _agenda_positions(items) -> dict[int, int]:
    """Return each agenda item's number (1, 2, …) within its meeting, by id."""
    numbers: dict[int, int] = {}
    counts: dict[int, int] = {}
    for pk, meeting_id in items.order_by("meeting_id", "order", "pk").values_list(
        "pk", "meeting_id"
    ):
        counts[meeting_id] = counts.get(meeting_id, 0) + 1
        numbers[pk] = counts[meeting_id]
    return numbers


# What a search reads of an agenda item, as edited or as published.
AGENDA_ITEM_SEARCHED_FIELDS = ("title", "description", "decision_proposal", "decision")


def _live_items(*, meetings: dict[int, Meeting], user, words, **subject):
    rows = list(
        AgendaItem.objects.filter(
            every_word_condition(AGENDA_ITEM_SEARCHED_FIELDS, words),
            meeting_id__in=meetings,
            **subject,
        ).order_by("meeting_id", "order", "pk")
    )
    # An item's number is its place on the whole agenda, as in the published version.
    numbers = _agenda_positions(
        AgendaItem.objects.filter(meeting_id__in={row.meeting_id for row in rows})
    )
    for row in rows:
        meeting = meetings[row.meeting_id]
        decided = meeting_permissions.can_see_minutes(user, meeting)
        yield VisibleAgendaItem(
            meeting=meeting,
            id=row.pk,
            number=numbers[row.pk],
            kind=row.kind,
            title=row.title,
            presenter=row.presenter,
            description=row.description,
            decision_proposal=row.decision_proposal,
            measure_id=row.measure_id,
            theme_proposal_id=row.theme_proposal_id,
            decision=row.decision if decided else "",
            outcome=row.outcome if decided else "",
        )


def _published_items(*, versions: dict[int, Meeting], user, **subject):
    frozen = [
        (versions[version.pk], number, item)
        for version in AgendaVersion.objects.filter(pk__in=versions).only("content")
        for number, item in enumerate(version.content["items"], 1)
    ]
    if "measure" in subject:
        measure_id = subject["measure"].pk
        frozen = [
            row for row in frozen if (row[2]["measure"] or {}).get("id") == measure_id
        ]
    if "theme_proposal" in subject:
        proposal_id = subject["theme_proposal"].pk
        frozen = [
            row for row in frozen if row[2].get("theme_proposal_id") == proposal_id
        ]
    # The decisions are written in the minutes, after the agenda was frozen.
    decided_ids = [
        item["id"]
        for meeting, _, item in frozen
        if meeting_permissions.can_see_minutes(user, meeting)
    ]
    decisions = (
        {
            row["pk"]: row
            for row in AgendaItem.objects.filter(pk__in=decided_ids).values(
                "pk", "decision", "outcome"
            )
        }
        if decided_ids
        else {}
    )
    for meeting, number, item in frozen:
        decision = decisions.get(item["id"], {})
        yield VisibleAgendaItem(
            meeting=meeting,
            id=item["id"],
            number=number,
            kind=item["kind"],
            title=item["title"],
            presenter=item["presenter"],
            description=item["description"],
            decision_proposal=item["decision_proposal"],
            measure_id=(item["measure"] or {}).get("id"),
            theme_proposal_id=item.get("theme_proposal_id"),
            decision=decision.get("decision", ""),
            outcome=decision.get("outcome", ""),
        )


def agenda_items_visible_to(
    *, user, meeting: Meeting | None = None, words: Sequence[str] = (), **subject
) -> list[VisibleAgendaItem]:
    """Return the agenda items `user` sees (the rule of
    permissions.agenda_items_shown_to), the latest meeting first.

    The secretariat sees the items as edited; every other role the items as frozen in
    the latest published version of each meeting, and nothing of a meeting never
    published. `meeting` narrows to one meeting; `subject`, `measure=…` or
    `theme_proposal=…`, to the items about it. `words` leaves out the items as edited
    whose text lacks one of them, so that a search does not read the whole agenda
    history; the caller still matches the text each item shows.
    """
    if not meeting_permissions.can_view_meetings(user):
        return []
    latest_version = AgendaVersion.objects.filter(meeting=OuterRef("pk")).order_by(
        "-number"
    )
    meetings = Meeting.objects.select_related("body").annotate(
        latest_version_id=Subquery(latest_version.values("pk")[:1])
    )
    if meeting is not None:
        meetings = meetings.filter(pk=meeting.pk)
    live: dict[int, Meeting] = {}
    versions: dict[int, Meeting] = {}
    for row in meetings:
        shown = meeting_permissions.agenda_items_shown_to(
            user, row, published=row.latest_version_id is not None
        )
        if shown == meeting_permissions.LIVE_AGENDA:
            live[row.pk] = row
        elif shown == meeting_permissions.PUBLISHED_AGENDA:
            versions[row.latest_version_id] = row
    items = [
        *(
            _live_items(meetings=live, user=user, words=words, **subject)
            if live
            else ()
        ),
        *(
            _published_items(versions=versions, user=user, **subject)
            if versions
            else ()
        ),
    ]
    return sorted(
        items,
        key=lambda item: (
            -item.meeting.starts_at.timestamp(),
            item.meeting.pk,
            item.number,
        ),
    )


# The decision register


def recommendations_for(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The matters of earlier meetings of the bodies that prepare for the meeting's
    body (the secretariat's for the cooperation group), the latest first."""
    return (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.MATTER,
            meeting__body__serves_id=meeting.body_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "order", "pk")
    )


def _place_on_agenda():
    """The item's number on its meeting's agenda (1, 2, …), as one subquery."""
    earlier = (
        AgendaItem.objects.filter(meeting_id=OuterRef("meeting_id"))
        .filter(
            Q(order__lt=OuterRef("order"))
            | Q(order=OuterRef("order"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("meeting_id")
        .annotate(place=Count("pk"))
        .values("place")
    )
    return Subquery(earlier)


def decisions_visible_to(
    *,
    user,
    body: Body | None = None,
    meeting: Meeting | None = None,
    theme=None,
    measure=None,
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AgendaItem]:
    """Return the decisions recorded in the minutes that `user` sees, newest first.

    A decision is a matter whose outcome the minutes record; the standard items
    (opening, quorum, agenda, next meeting, closing) are the meeting's procedure and
    stay in its minutes. The user sees the decisions of the meetings whose minutes
    they see (`permissions.minutes_statuses_shown_to`). A theme's decisions include
    those about its measures. Each row carries `place` (its number on the agenda)
    and `followed_version_number`, and the row it decides on the secretariat's
    recommendation with its meeting; the query count does not grow with the rows.
    """
    statuses = meeting_permissions.minutes_statuses_shown_to(user)
    decisions = AgendaItem.objects.filter(
        kind=AgendaItem.Kind.MATTER, meeting__status__in=statuses
    ).exclude(outcome="")
    if body is not None:
        decisions = decisions.filter(meeting__body=body)
    if meeting is not None:
        decisions = decisions.filter(meeting=meeting)
    if theme is not None:
        decisions = decisions.filter(Q(theme=theme) | Q(measure__theme=theme))
    if measure is not None:
        decisions = decisions.filter(measure=measure)
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    if since is not None:
        decisions = decisions.filter(meeting__starts_at__date__gte=since)
    if until is not None:
        decisions = decisions.filter(meeting__starts_at__date__lte=until)
    return (
        decisions.select_related(
            "meeting__body",
            "theme",
            "measure__theme",
            "theme_proposal",
            "recommended_in__meeting__body",
        )
        .annotate(
            place=_place_on_agenda(),
            followed_version_number=F("meeting__followed_version__number"),
        )
        .order_by("-meeting__starts_at", "-meeting_id", "order", "pk")
    )


def recommendation_shown(*, user, decision: AgendaItem) -> bool:
    """Whether the user sees the recommendation that preceded a decision."""
    recommendation = decision.recommended_in
    return recommendation is not None and meeting_permissions.can_see_minutes(
        user, recommendation.meeting
    )
