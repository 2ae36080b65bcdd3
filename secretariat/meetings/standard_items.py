"""The standard items of every agenda: their titles, proposals and decisions.

The texts are source strings that the catalogues translate, so that every document
prints them in its own language. The agenda stores them in Finnish, the language it is
written in; a stored text that is still a standard text is printed as the standard text
of the document's language, and a text the secretariat has changed is printed as
written. A standard item whose decision was never written has the standard decision,
in the past tense, as the minutes record what happened.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.meetings.models import AgendaItem, Meeting

Kind = AgendaItem.Kind
Outcome = AgendaItem.Outcome

# The languages the documents are made in; a standard text in any of them is standard.
LANGUAGES = ("fi", "sv", "en")

OPENING_KINDS = [Kind.OPENING, Kind.QUORUM, Kind.AGENDA_APPROVAL]
CLOSING_KINDS = [Kind.NEXT_MEETING, Kind.CLOSING]


@dataclass(frozen=True)
class StandardItem:
    kind: str
    proposal: Promise
    outcome: str


STANDARD_ITEMS = {
    item.kind: item
    for item in (
        StandardItem(
            Kind.OPENING, gettext_lazy("The chair opens the meeting."), Outcome.NOTED
        ),
        StandardItem(
            Kind.QUORUM,
            gettext_lazy("The meeting is declared lawfully convened and quorate."),
            Outcome.NOTED,
        ),
        StandardItem(
            Kind.AGENDA_APPROVAL,
            gettext_lazy("The agenda is approved as the order of business."),
            Outcome.APPROVED,
        ),
        StandardItem(
            Kind.NEXT_MEETING,
            gettext_lazy("The time of the next meeting is agreed."),
            Outcome.NOTED,
        ),
        StandardItem(
            Kind.CLOSING, gettext_lazy("The chair closes the meeting."), Outcome.NOTED
        ),
    )
}


def is_standard(kind: str) -> bool:
    return kind in STANDARD_ITEMS


def standard_title(kind: str) -> str:
    """Return the item's title in the active language."""
    return str(Kind(kind).label)


def standard_proposal(kind: str) -> str:
    """Return the item's proposal for decision in the active language."""
    return str(STANDARD_ITEMS[kind].proposal)


def standard_outcome(kind: str) -> str:
    return STANDARD_ITEMS[kind].outcome


def _clock(value: datetime) -> str:
    # Finnish government style in every language: 9.00, 13.30.
    return date_format(timezone.localtime(value), "G.i")


def standard_decision(
    kind: str, *, meeting: Meeting, next_meeting: Meeting | None
) -> str:
    """Return what the minutes record of the item, in the active language."""
    if kind == Kind.OPENING:
        return _("The chair opened the meeting at %(time)s.") % {
            "time": _clock(meeting.starts_at)
        }
    if kind == Kind.QUORUM:
        return _("The meeting was declared lawfully convened and quorate.")
    if kind == Kind.AGENDA_APPROVAL:
        return _("The agenda was approved as the order of business.")
    if kind == Kind.NEXT_MEETING:
        if next_meeting is None:
            return _("The time of the next meeting was agreed.")
        return _("The next meeting will be held on %(day)s at %(time)s.") % {
            "day": date_format(
                timezone.localtime(next_meeting.starts_at), "SHORT_DATE_FORMAT"
            ),
            "time": _clock(next_meeting.starts_at),
        }
    if meeting.ends_at is None:
        return _("The chair closed the meeting.")
    return _("The chair closed the meeting at %(time)s.") % {
        "time": _clock(meeting.ends_at)
    }


def _in_each_language(text_of) -> set[str]:
    texts = set()
    for language in LANGUAGES:
        with translation.override(language):
            texts.add(text_of())
    return texts


@dataclass(frozen=True)
class Text:
    """A text as a document prints it, and the language it is in."""

    text: str
    language: str


def title_text(*, kind: str, title: str, language: str) -> Text:
    """Return an item's title for a document in `language` (active)."""
    if is_standard(kind) and title in _in_each_language(lambda: standard_title(kind)):
        return Text(standard_title(kind), language)
    return Text(title, "fi")


def proposal_text(*, kind: str, proposal: str, language: str) -> Text:
    """Return an item's proposal for decision for a document in `language`."""
    if is_standard(kind) and proposal in _in_each_language(
        lambda: standard_proposal(kind)
    ):
        return Text(standard_proposal(kind), language)
    return Text(proposal, "fi")


def decision_text(
    *,
    kind: str,
    decision: str,
    meeting: Meeting,
    next_meeting: Meeting | None,
    language: str,
) -> Text:
    """Return an item's decision for the minutes in `language`: as written, or the
    standard decision of a standard item that has none or still has the standard."""
    if not is_standard(kind):
        return Text(decision, "fi")
    standard = _in_each_language(
        lambda: standard_decision(kind, meeting=meeting, next_meeting=next_meeting)
    )
    if not decision or decision in standard:
        return Text(
            standard_decision(kind, meeting=meeting, next_meeting=next_meeting),
            language,
        )
    return Text(decision, "fi")


def decision_outcome(*, kind: str, outcome: str) -> str:
    """Return the item's outcome: as recorded, or a standard item's usual outcome."""
    if outcome or not is_standard(kind):
        return outcome
    return standard_outcome(kind)
