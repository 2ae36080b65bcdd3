"""The review workflow of the cities' theme proposals, as one explicit table.

Every move a proposal can make is a row below: from which status to which, who may make
it and whether a note is required. `themes.proposal_services.proposal_transition` is the
only code that changes a proposal's status, and it refuses anything not in this table.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from themes.proposals.models import ThemeProposal

Status = ThemeProposal.Status


class Actor(StrEnum):
    """Who acts on a proposal, relative to the proposal itself."""

    # The group of the proposal's own city (city scope by rule, members.permissions).
    CITY = "city"
    # The chair or the secretariat staff.
    SECRETARIAT = "secretariat"
    CHAIR = "chair"


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    actors: frozenset[Actor]
    label: Promise
    # The message shown to the user after the step.
    done: Promise
    # The label of the note's field: who reads the note.
    note_label: Promise
    note_required: bool = False
    # Accepting also decides the theme and the measures; its form asks for them.
    decides_theme: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        name="submit",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        actors=frozenset({Actor.CITY}),
        label=_("Submit to the secretariat"),
        done=_("The proposal was submitted to the secretariat."),
        note_label=_("Note for the secretariat"),
    ),
    Transition(
        name="resubmit",
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        actors=frozenset({Actor.CITY}),
        label=_("Resubmit"),
        done=_("The revised proposal was submitted to the secretariat."),
        note_label=_("Note for the secretariat"),
    ),
    Transition(
        name="start_review",
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        actors=frozenset({Actor.SECRETARIAT}),
        label=_("Start the review"),
        done=_("The review has started."),
        note_label=_("Note for the record"),
    ),
    Transition(
        name="return",
        source=Status.UNDER_REVIEW,
        target=Status.RETURNED,
        actors=frozenset({Actor.SECRETARIAT}),
        label=_("Return for revision"),
        done=_("The proposal was returned to the city for revision."),
        note_label=_("Reason for the city"),
        note_required=True,
    ),
    Transition(
        name="accept",
        source=Status.UNDER_REVIEW,
        target=Status.ACCEPTED,
        actors=frozenset({Actor.SECRETARIAT}),
        label=_("Accept"),
        done=_("The proposal was accepted."),
        note_label=_("Note for the city"),
        decides_theme=True,
    ),
    Transition(
        name="reject",
        source=Status.UNDER_REVIEW,
        target=Status.REJECTED,
        actors=frozenset({Actor.SECRETARIAT}),
        label=_("Reject"),
        done=_("The proposal was rejected."),
        note_label=_("Reason for the city"),
        note_required=True,
    ),
    Transition(
        name="reopen",
        source=Status.ACCEPTED,
        target=Status.UNDER_REVIEW,
        actors=frozenset({Actor.CHAIR}),
        label=_("Reopen"),
        done=_("The decision was reopened: the proposal is under review again."),
        note_label=_("Note for the record"),
    ),
    Transition(
        name="reopen",
        source=Status.REJECTED,
        target=Status.UNDER_REVIEW,
        actors=frozenset({Actor.CHAIR}),
        label=_("Reopen"),
        done=_("The decision was reopened: the proposal is under review again."),
        note_label=_("Note for the record"),
    ),
)

_BY_MOVE = {(t.source, t.target): t for t in TRANSITIONS}

# Statuses in which the city edits the proposal and adds or removes attachments.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses seen only by the proposing city (and, for a returned one, the secretariat).
PRIVATE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
# Statuses in which the proposal waits for the secretariat.
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})


def transition_find(*, source: str, target: str) -> Transition | None:
    """Return the table's row for this move, or None when the move does not exist."""
    return _BY_MOVE.get((source, target))


def transitions_from(*, source: str) -> list[Transition]:
    """Return the moves out of `source`, in the order of the table."""
    return [t for t in TRANSITIONS if t.source == source]
