"""Writes of meetings: the workflow, the agenda, the minutes, action items, documents.

The meeting's workflow is the table of `workflow.py`; every move goes through
`_transition`, which checks it against the table and its rule, records who and when on
the locked row, and leaves notifications to run after commit. `by=None` is the system
(the bootstrap, a task, an import): no role rule applies to it, the table does.
"""

import logging
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.history import save_tracked
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from alliance.services import job_enqueue
from alliance.uploads import (
    attachment_check,
    file_removed_on_failure,
    filename_shortened,
)
from members.models import User
from secretariat.meetings import notifications as meeting_notifications
from secretariat.meetings import permissions as meeting_permissions
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import standard_items, workflow
from secretariat.meetings.models import (
    ActionItem,
    AgendaAttachment,
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
    MeetingStatusChange,
)

logger = logging.getLogger(__name__)

Status = Meeting.Status

SEND_AGENDA_TASK = "secretariat.send_agenda"


class MeetingError(ValidationError):
    """A refused change to a meeting, with a message for the user and a code."""


class MeetingNotPermitted(MeetingError, PermissionDenied):
    """A change refused because the rule refuses the user: shown to the user as a
    refusal and answered 403 by a view that does not catch it."""


def _refuse(message: str, code: str):
    raise MeetingError(message, code=code)


def _require(by: User | None, rule, message: str, *args) -> None:
    """Refuse a change by a user whom `rule` refuses, with `message` shown."""
    require_rule(
        by, rule, *args, refusal=MeetingNotPermitted(message, code="not_permitted")
    )


def _require_transition(*, meeting: Meeting, to: str, by: User | None) -> None:
    """Refuse a move that the table does not have, or not for this user."""
    move = workflow.TRANSITIONS.find(source=meeting.status, target=to)
    if move is None:
        _refuse(
            _("A meeting cannot move from %(from)s to %(to)s.")
            % {"from": meeting.get_status_display(), "to": Status(to).label},
            "transition_not_allowed",
        )
    if not move.permits(user=by, obj=meeting):
        raise MeetingNotPermitted(
            _("Only the chair may do this."), code="not_permitted"
        )


def _transition(
    *,
    meeting: Meeting,
    to: str,
    by: User | None,
    at: datetime | None,
    note: str = "",
) -> Meeting:
    """Move a locked meeting to `to`, if the table allows it for `by`; record it."""
    _require_transition(meeting=meeting, to=to, by=by)
    previous = meeting.status
    at = at or timezone.now()
    meeting.status = to
    # Calendars show the status: the event is revised.
    meeting.calendar_sequence += 1
    meeting.calendar_changed_at = at
    meeting._history_user = by
    meeting.save(update_fields=["status", *CALENDAR_FIELDS])
    MeetingStatusChange.objects.create(
        meeting=meeting, from_status=previous, to_status=to, by=by, at=at, note=note
    )
    return meeting


# What calendars keep of a meeting: revised whenever what they show changes.
CALENDAR_FIELDS = ("calendar_sequence", "calendar_changed_at")


def _calendar_facts(meeting: Meeting) -> tuple:
    """What a calendar shows of a meeting: its time, place, status and title."""
    return (
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
        meeting.online_link,
        meeting.status,
        meeting.body_id,
        meeting.number,
    )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)


# Meetings


# What a meeting's own form never sets: the workflow moves them.
WORKFLOW_FIELDS = (
    "status",
    "followed_version",
    "minutes_approval",
    "minutes_approved_on",
    "minutes_approved_at",
)


def meeting_save(
    *, meeting: Meeting, by: User | None, token: str | None = None
) -> Meeting:
    """Create or change a meeting's facts; the workflow fields are not touched here.

    A meeting whose minutes are approved, or that was cancelled, is read-only: the
    change is refused. A change that calendars show revises the meeting's event.
    """
    _require(
        by,
        meeting_permissions.can_prepare_meetings,
        _("Only the secretariat may plan meetings."),
    )
    with transaction.atomic():
        if meeting.pk is not None:
            current = _locked(meeting)
            if current.status == Status.CANCELLED:
                _refuse(
                    _("The meeting was cancelled; it can no longer change."),
                    "meeting_cancelled",
                )
            if meeting_permissions.meeting_is_closed(current):
                _refuse(
                    _(
                        "The minutes of this meeting are approved; the meeting can "
                        "no longer change."
                    ),
                    "meeting_closed",
                )
            for name in (*WORKFLOW_FIELDS, *CALENDAR_FIELDS):
                setattr(meeting, name, getattr(current, name))
            if _calendar_facts(meeting) != _calendar_facts(current):
                meeting.calendar_sequence += 1
                meeting.calendar_changed_at = timezone.now()
        if meeting.pk is None and not meeting.number:
            meeting.number = meeting_selectors.meeting_next_number(body=meeting.body)
        meeting.full_clean()
        return save_tracked(meeting, by=by, token=token)


# The agenda


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.status == Status.CANCELLED:
        _refuse(
            _("The meeting was cancelled; its agenda can no longer change."),
            "meeting_cancelled",
        )


def _require_agenda_editable(meeting: Meeting, by: User | None) -> None:
    _require(
        by,
        meeting_permissions.can_prepare_meetings,
        _("Only the secretariat may edit the agenda."),
    )
    _refuse_if_cancelled(meeting)
    if not meeting.agenda_is_editable:
        _refuse(
            _("The meeting has been held; its agenda can no longer change."),
            "agenda_closed",
        )


def _agenda_item_links_check(item: AgendaItem, meeting: Meeting) -> None:
    """Refuse a theme other than the measure's, and a recommendation that is not an
    earlier matter of a body serving this meeting's body (the secretariat's)."""
    errors = {}
    if item.theme_id and item.measure_id and item.measure.theme_id != item.theme_id:
        errors["theme"] = ValidationError(
            _("The measure belongs to another theme."), code="theme_not_measures"
        )
    recommendation = item.recommended_in
    if recommendation is not None and (
        recommendation.kind != AgendaItem.Kind.MATTER
        or recommendation.meeting.body.serves_id != meeting.body_id
        or recommendation.meeting.starts_at >= meeting.starts_at
    ):
        errors["recommended_in"] = ValidationError(
            _(
                "Choose a matter of an earlier meeting of the body that prepares "
                "this body's decisions."
            ),
            code="recommendation_not_preparing",
        )
    if errors:
        raise ValidationError(errors)


def agenda_item_save(
    *, item: AgendaItem, by: User | None, token: str | None = None
) -> AgendaItem:
    """Add an item (placed before the closing items) or change one."""
    with transaction.atomic():
        meeting = _locked(item.meeting)
        _require_agenda_editable(meeting, by)
        _agenda_item_links_check(item, meeting)
        if item.pk is None:
            closing = meeting.agenda_items.filter(kind__in=standard_items.CLOSING_KINDS)
            first_closing = closing.order_by("order").values_list("order", flat=True)
            if first_closing:
                # Make room for the new item just before "next meeting" and "closing".
                position = first_closing[0]
                for row in meeting.agenda_items.filter(order__gte=position):
                    row.order += 1
                    row._history_user = by
                    row.save(update_fields=["order"])
                item.order = position
            else:
                item.order = next_position(meeting.agenda_items.all())
        item.full_clean()
        return save_tracked(item, by=by, token=token)


def agenda_item_delete(*, item: AgendaItem, by: User | None) -> None:
    with transaction.atomic():
        meeting = _locked(item.meeting)
        _require_agenda_editable(meeting, by)
        item._history_user = by
        item.delete()


def agenda_item_move(*, item: AgendaItem, direction: str, by: User | None) -> None:
    with transaction.atomic():
        meeting = _locked(item.meeting)
        _require_agenda_editable(meeting, by)
        move_in_order(
            item,
            siblings=AgendaItem.objects.filter(meeting=meeting),
            direction=direction,
            by=by,
        )


def agenda_standard_items_add(*, meeting: Meeting, by: User | None) -> int:
    """Add the standard opening and closing items that the agenda lacks.

    Each standard item appears once: opening, quorum and approval of the agenda
    first, next meeting and closing last. Return how many were added.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_agenda_editable(meeting, by)
        present = set(meeting.agenda_items.values_list("kind", flat=True))
        rows = list(meeting.agenda_items.order_by("order", "pk"))
        opening_kinds = standard_items.OPENING_KINDS
        closing_kinds = standard_items.CLOSING_KINDS

        def missing(kinds) -> list[AgendaItem]:
            # Written in Finnish, as the agenda is; the documents print them in theirs.
            with translation.override("fi"):
                return [
                    AgendaItem(
                        meeting=meeting,
                        kind=kind,
                        title=standard_items.standard_title(kind),
                        decision_proposal=standard_items.standard_proposal(kind),
                    )
                    for kind in kinds
                    if kind not in present
                ]

        opening, closing = missing(opening_kinds), missing(closing_kinds)
        if not opening and not closing:
            return 0
        kinds = opening_kinds + closing_kinds

        def rank(row):
            return kinds.index(row.kind)

        head = sorted([r for r in rows if r.kind in opening_kinds] + opening, key=rank)
        tail = sorted([r for r in rows if r.kind in closing_kinds] + closing, key=rank)
        middle = [r for r in rows if r not in head and r not in tail]
        for position, row in enumerate(head + middle + tail):
            if row.pk is None or row.order != position:
                row.order = position
                row._history_user = by
                row.save()
        return len(opening) + len(closing)


def agenda_attachment_add(
    *, item: AgendaItem, title: str, upload, by: User | None
) -> AgendaAttachment:
    """Store a file for an item after checking it by its content, as every upload.

    Without a title, the file's name is the title, shortened to fit.
    """
    kind = attachment_check(upload=upload)
    title_length = AgendaAttachment._meta.get_field("title").max_length
    attachment = AgendaAttachment(
        item=item,
        title=title or filename_shortened(upload.name, max_length=title_length),
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    with file_removed_on_failure(attachment.file), transaction.atomic():
        meeting = _locked(item.meeting)
        _require_agenda_editable(meeting, by)
        attachment.order = next_position(item.attachments.all())
        attachment.file.save(upload.name, upload, save=False)
        attachment._history_user = by
        attachment.save()
    return attachment


def agenda_attachment_delete(*, attachment: AgendaAttachment, by: User) -> None:
    with transaction.atomic():
        meeting = _locked(attachment.item.meeting)
        _require_agenda_editable(meeting, by)
        published = meeting_selectors.published_attachment_ids(meeting=meeting)
        name = attachment.file.name
        attachment._history_user = by
        attachment.delete()
        # A file that a published agenda carried stays, as the version refers to it.
        if attachment.pk not in published and name:
            transaction.on_commit(lambda: default_storage.delete(name))


def agenda_publish(
    *,
    meeting: Meeting,
    by: User | None,
    at: datetime | None = None,
    notify: bool = True,
) -> AgendaVersion:
    """Freeze the agenda as a new version and send it to the invitees after commit.

    The first publication moves the meeting to "agenda published"; publishing again
    (a revised agenda) adds a version and sends it too. The version is dated `at`
    (now by default); with `notify` false it is not sent.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status == Status.PLANNED:
            _transition(meeting=meeting, to=Status.AGENDA_PUBLISHED, by=by, at=at)
        elif meeting.status == Status.AGENDA_PUBLISHED:
            _require(
                by,
                meeting_permissions.can_publish_agenda,
                _("Only the chair may do this."),
                meeting,
            )
        else:
            _refuse_if_cancelled(meeting)
            _refuse(
                _("The meeting has been held; its agenda can no longer change."),
                "agenda_closed",
            )
        content = meeting_selectors.agenda_content(meeting=meeting)
        if not content["items"]:
            _refuse(_("The agenda has no items."), "agenda_empty")
        latest = meeting.agenda_versions.aggregate(n=Max("number"))["n"] or 0
        if latest:
            previous = meeting.agenda_versions.get(number=latest)
            if previous.content == content:
                _refuse(
                    _("The agenda has not changed since version %(number)s.")
                    % {"number": latest},
                    "agenda_unchanged",
                )
        version = AgendaVersion.objects.create(
            meeting=meeting,
            number=latest + 1,
            content=content,
            published_by=by,
            published_at=at or timezone.now(),
        )
        if notify:
            # A job row, written with the version: the e-mails (whose PDFs the
            # secretariat app renders) are queued by its task after the commit, and
            # the job shows whether that happened and can be retried.
            job_enqueue(
                kind="agenda_mail",
                task_name=SEND_AGENDA_TASK,
                arguments={"version_id": version.pk},
                requested_by=by,
            )
    return version


# The meeting and its minutes


def meeting_mark_held(
    *, meeting: Meeting, by: User | None, at: datetime | None = None
) -> Meeting:
    """Record that the meeting took place, following its latest published agenda.

    The move is recorded at `at` (now by default).
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        _transition(meeting=meeting, to=Status.HELD, by=by, at=at)
        meeting.followed_version = meeting_selectors.agenda_latest_version(
            meeting=meeting
        )
        meeting.save(update_fields=["followed_version"])
        existing = set(meeting.attendances.values_list("membership_id", flat=True))
        for membership in meeting_selectors.meeting_invitees(meeting=meeting):
            if membership.pk not in existing:
                attendance = Attendance(
                    meeting=meeting,
                    membership=membership,
                    status=Attendance.Status.PRESENT,
                )
                attendance._history_user = by
                attendance.save()
    return meeting


def meeting_cancel(
    *, meeting: Meeting, reason: str, by: User | None, at: datetime | None = None
) -> Meeting:
    """Call off a meeting that has not been held, saying why.

    Calendars show it cancelled; those sent the agenda are sent the cancellation
    (`METHOD:CANCEL`), in their language, once the change commits.
    """
    reason = reason.strip()
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_transition(meeting=meeting, to=Status.CANCELLED, by=by)
        move = workflow.TRANSITIONS.find(source=meeting.status, target=Status.CANCELLED)
        if move.note_required and not reason:
            raise MeetingError(
                {
                    "note": ValidationError(
                        _("Say why the meeting is cancelled."), code="note_required"
                    )
                }
            )
        _transition(meeting=meeting, to=Status.CANCELLED, by=by, at=at, note=reason)
        if meeting.agenda_versions.exists():
            meeting_notifications.meeting_cancelled_enqueue(
                meeting=meeting, reason=reason
            )
    return meeting


def _require_minutes_editable(meeting: Meeting, by: User | None) -> None:
    _require(
        by,
        meeting_permissions.can_prepare_meetings,
        _("Only the secretariat may write the minutes."),
    )
    if not meeting.minutes_are_editable:
        _refuse(_("The minutes cannot be edited now."), "minutes_closed")


def attendance_save(
    *, meeting: Meeting, rows: dict[int, tuple[str, str]], by: User | None
):
    """Record attendance: `rows` maps a seat's id to its status and substitute."""
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_minutes_editable(meeting, by)
        current = {a.membership_id: a for a in meeting.attendances.all()}
        for membership_id, (status, substitute) in rows.items():
            attendance = current.get(membership_id) or Attendance(
                meeting=meeting, membership_id=membership_id
            )
            substitute = substitute if status == Attendance.Status.DEPUTY else ""
            if (
                attendance.pk
                and attendance.status == status
                and attendance.substitute == substitute
            ):
                continue
            attendance.status = status
            attendance.substitute = substitute
            attendance.full_clean()
            attendance._history_user = by
            attendance.save()


def agenda_item_decide(
    *, item: AgendaItem, by: User | None, token: str | None = None
) -> AgendaItem:
    """Save an item's decision and outcome while the minutes are being written."""
    with transaction.atomic():
        meeting = _locked(item.meeting)
        _require_minutes_editable(meeting, by)
        item.full_clean()
        return save_tracked(item, by=by, token=token)


def minutes_approve(
    *,
    meeting: Meeting,
    method: str,
    approved_on: date,
    approved_at: Meeting | None,
    by: User | None,
    at: datetime | None = None,
) -> Meeting:
    """Approve the minutes, at a later meeting of the body or by circulation.

    The move is recorded at `at` (now by default).
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_transition(meeting=meeting, to=Status.MINUTES_APPROVED, by=by)
        undecided = meeting.agenda_items.filter(
            kind=AgendaItem.Kind.MATTER, outcome=""
        ).count()
        if undecided:
            _refuse(
                _("Record the outcome of every matter first (%(count)s missing).")
                % {"count": undecided},
                "outcome_missing",
            )
        if method == Meeting.MinutesApproval.NEXT_MEETING:
            if approved_at is None or approved_at.body_id != meeting.body_id:
                _refuse(
                    _("Name the later meeting of the body that approved the minutes."),
                    "approval_meeting_missing",
                )
            if approved_at.starts_at <= meeting.starts_at:
                _refuse(
                    _("The minutes can only be approved at a later meeting."),
                    "approval_meeting_earlier",
                )
        else:
            approved_at = None
        if approved_on < timezone.localtime(meeting.starts_at).date():
            _refuse(
                _("The minutes cannot be approved before the meeting."),
                "approved_before_meeting",
            )
        _transition(meeting=meeting, to=Status.MINUTES_APPROVED, by=by, at=at)
        meeting.minutes_approval = method
        meeting.minutes_approved_on = approved_on
        meeting.minutes_approved_at = approved_at
        meeting.save(
            update_fields=[
                "minutes_approval",
                "minutes_approved_on",
                "minutes_approved_at",
            ]
        )
    return meeting


# Action items


def action_item_save(
    *,
    item: ActionItem,
    by: User | None,
    token: str | None = None,
    today: date | None = None,
) -> ActionItem:
    """Record or update an action item; finishing it records the day."""
    _require(
        by,
        meeting_permissions.can_prepare_meetings,
        _("Only the secretariat may record action items."),
    )
    if item.meeting.status not in {Status.HELD, Status.MINUTES_APPROVED}:
        _refuse(
            _("Action items are recorded in the minutes of a held meeting."),
            "meeting_not_held",
        )
    if item.agenda_item_id and item.agenda_item.meeting_id != item.meeting_id:
        _refuse(_("Choose an item of the same meeting."), "item_other_meeting")
    today = today or timezone.localdate()
    if item.status == ActionItem.Status.DONE and item.done_on is None:
        item.done_on = today
    elif item.status != ActionItem.Status.DONE:
        item.done_on = None
    item.full_clean()
    return save_tracked(item, by=by, token=token)
