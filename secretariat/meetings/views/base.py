"""What every view of meetings starts from: the meeting, refusals, the agenda list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from members.permissions import require_reader
from secretariat.meetings import permissions as rules
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import Meeting


def meeting_or_404(request, pk) -> Meeting:
    require_reader(request.user)
    meeting = meeting_selectors.meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def items_context(request, meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "items": meeting_selectors.agenda_items(meeting=meeting),
        "may_edit_agenda": rules.can_edit_agenda(request.user, meeting),
    }
