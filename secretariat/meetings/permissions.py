"""Who may see and do what with meetings, agendas, minutes and action items.

Every role reads meetings, published agendas and approved minutes; the secretariat
(chair and staff) prepares them; the chair publishes the agenda, runs the meeting and
approves the minutes.
"""

from members.permissions import can_edit_content, can_view_content, is_chair
from secretariat.meetings.models import Meeting


def can_view_meetings(user) -> bool:
    return can_view_content(user)


def can_prepare_meetings(user) -> bool:
    """Plan meetings, build agendas, draft minutes, record action items."""
    return can_edit_content(user)


def can_decide(user) -> bool:
    """Publish the agenda, mark the meeting held, approve the minutes, cancel."""
    return user.is_authenticated and is_chair(user)


def meeting_is_closed(meeting) -> bool:
    """A meeting whose minutes are approved, or that was cancelled, is read-only,
    for everyone."""
    return meeting.status in {
        meeting.Status.MINUTES_APPROVED,
        meeting.Status.CANCELLED,
    }


def can_change_meeting(user, meeting) -> bool:
    """Change a meeting's facts, while it is not closed."""
    return can_prepare_meetings(user) and not meeting_is_closed(meeting)


# The rules of the workflow table's moves: `rule(user, meeting)`.


def can_publish_agenda(user, meeting) -> bool:
    return can_decide(user)


def can_mark_held(user, meeting) -> bool:
    return can_decide(user)


def can_approve_minutes(user, meeting) -> bool:
    return can_decide(user)


def can_cancel_meeting(user, meeting) -> bool:
    """Call off a meeting that has not been held: the chair convenes, and calls off."""
    return can_decide(user)


def can_see_draft_agenda(user, meeting) -> bool:
    return can_prepare_meetings(user)


LIVE_AGENDA = "live"
PUBLISHED_AGENDA = "published"


def agenda_items_shown_to(user, meeting, *, published: bool) -> str:
    """Return which items of the meeting's agenda the user sees, or "" for none.

    The secretariat sees the agenda as it is being edited (`LIVE_AGENDA`); every other
    role sees the items as frozen in the latest published version (`PUBLISHED_AGENDA`),
    whatever has been drafted since, and nothing before the first publication.
    `published` says whether the meeting has a published version.
    """
    if can_see_draft_agenda(user, meeting):
        return LIVE_AGENDA
    if published and can_view_meetings(user):
        return PUBLISHED_AGENDA
    return ""


def can_see_minutes(user, meeting) -> bool:
    """Approved minutes are public to every role; drafts to the secretariat."""
    if meeting.status == meeting.Status.MINUTES_APPROVED:
        return can_view_meetings(user)
    return can_prepare_meetings(user)


def minutes_statuses_shown_to(user) -> list[str]:
    """Return the meeting statuses whose minutes, and so decisions, the user sees.

    The rule of `can_see_minutes` for many meetings at once (the decision register):
    a meeting has minutes from when it is held.
    """
    from_status = [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
    if can_prepare_meetings(user):
        return from_status
    if can_view_meetings(user):
        return [Meeting.Status.MINUTES_APPROVED]
    return []


def can_edit_agenda(user, meeting) -> bool:
    return can_prepare_meetings(user) and meeting.agenda_is_editable


def can_edit_minutes(user, meeting) -> bool:
    return can_prepare_meetings(user) and meeting.minutes_are_editable


def can_see_attachment(user, attachment, *, published_ids: set[int]) -> bool:
    """The secretariat sees every file; others only those in a published agenda."""
    if can_prepare_meetings(user):
        return True
    return can_view_meetings(user) and attachment.pk in published_ids


def can_preview_documents(user) -> bool:
    """The HTML preview of a document's print template is a design tool."""
    return can_prepare_meetings(user)
