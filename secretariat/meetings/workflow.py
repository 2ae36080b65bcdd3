"""The status moves of a meeting, as one explicit table.

A meeting is planned, its agenda published, it is held and its minutes are approved,
in this order, unless it is cancelled, with a reason, before it is held. Each move is
a row below with the rule of `permissions` that says who may make it. The services of
`services.py` make the moves and refuse any other; the meeting page shows a button
for each move that the user may make.
"""

from django.utils.translation import gettext_lazy as _

from alliance.workflow import Transition, TransitionTable
from secretariat.meetings.models import Meeting
from secretariat.meetings.permissions import (
    can_approve_minutes,
    can_cancel_meeting,
    can_mark_held,
    can_publish_agenda,
)

Status = Meeting.Status

# The name of each move is the name of its service and of its URL.
AGENDA_PUBLISH = Transition(
    name="agenda_publish",
    source=Status.PLANNED,
    target=Status.AGENDA_PUBLISHED,
    rule=can_publish_agenda,
    label=_("Publish the agenda"),
    done=_(
        "Version %(number)s of the agenda was published; it is being sent "
        "to the distribution list."
    ),
)
MEETING_MARK_HELD = Transition(
    name="meeting_mark_held",
    source=Status.AGENDA_PUBLISHED,
    target=Status.HELD,
    rule=can_mark_held,
    label=_("Mark the meeting held"),
    done=_("The meeting was marked as held."),
)
MINUTES_APPROVE = Transition(
    name="minutes_approve",
    source=Status.HELD,
    target=Status.MINUTES_APPROVED,
    rule=can_approve_minutes,
    label=_("Approve the minutes"),
    done=_("The minutes were approved."),
    # The approval names how and when: its button opens the approval form.
    needs_form=True,
)


def _meeting_cancel(source: str) -> Transition:
    return Transition(
        name="meeting_cancel",
        source=source,
        target=Status.CANCELLED,
        rule=can_cancel_meeting,
        label=_("Cancel the meeting"),
        done=_("The meeting was cancelled."),
        # The button opens a page that asks for the reason and a confirmation.
        needs_form=True,
        note_label=_("Reason for the cancellation"),
        note_required=True,
    )


MEETING_CANCEL_PLANNED = _meeting_cancel(Status.PLANNED)
MEETING_CANCEL_PUBLISHED = _meeting_cancel(Status.AGENDA_PUBLISHED)

TRANSITIONS = TransitionTable(
    AGENDA_PUBLISH,
    MEETING_MARK_HELD,
    MINUTES_APPROVE,
    MEETING_CANCEL_PLANNED,
    MEETING_CANCEL_PUBLISHED,
)
