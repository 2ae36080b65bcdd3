"""E-mail about a meeting's own moves: its cancellation.

Those on the distribution list with an address get one message each, in their own
language, written to the outbox in the transaction that cancels: no cancellation, no
message. Its .ics (`METHOD:CANCEL`) takes the meeting off their calendars.
"""

from django.conf import settings
from django.utils import translation

from alliance.outbox import Attachment, message_enqueue_rendered
from secretariat.meetings import ical
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.models import Meeting


def meeting_cancelled_enqueue(*, meeting: Meeting, reason: str) -> int:
    """Queue the cancellation for every invitee with an address; return how many."""
    url = settings.SITE_URL + meeting.get_absolute_url()
    count = 0
    for recipient in meeting_selectors.meeting_distribution(meeting=meeting):
        if not recipient.has_address:
            continue
        with translation.override(recipient.language):
            data, content_type = ical.meeting_mail_calendar(
                meeting=meeting, method=ical.CANCEL
            )
            calendar = Attachment(ical.meeting_file_name(meeting), data, content_type)
        message_enqueue_rendered(
            key=f"meeting_cancelled:{meeting.pk}:{recipient.address}",
            recipient=recipient.address,
            language=recipient.language,
            templates="meetings/email/meeting_cancelled",
            context={"meeting": meeting, "reason": reason, "url": url},
            attachments=[calendar],
        )
        count += 1
    return count
