"""The review workflow of the cities' theme proposals, as one explicit table.

Every move a proposal can make is a row below: from which status to which, the rule of
`permissions` that says who may make it and whether a note is required.
`themes.proposals.services.proposal_transition` is the only code that changes a
proposal's status, and it refuses anything not in this table.
"""

from django.utils.translation import gettext_lazy as _

from alliance.workflow import Transition, TransitionTable
from themes.proposals.models import ThemeProposal
from themes.proposals.permissions import (
    can_move_as_chair,
    can_move_as_city,
    can_move_as_secretariat,
)

Status = ThemeProposal.Status

TRANSITIONS = TransitionTable(
    Transition(
        name="submit",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        rule=can_move_as_city,
        label=_("Submit to the secretariat"),
        done=_("The proposal was submitted to the secretariat."),
        note_label=_("Note for the secretariat"),
    ),
    Transition(
        name="resubmit",
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        rule=can_move_as_city,
        label=_("Resubmit"),
        done=_("The revised proposal was submitted to the secretariat."),
        note_label=_("Note for the secretariat"),
    ),
    Transition(
        name="start_review",
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        rule=can_move_as_secretariat,
        label=_("Start the review"),
        done=_("The review has started."),
        note_label=_("Note for the record"),
    ),
    Transition(
        name="return",
        source=Status.UNDER_REVIEW,
        target=Status.RETURNED,
        rule=can_move_as_secretariat,
        label=_("Return for revision"),
        done=_("The proposal was returned to the city for revision."),
        note_label=_("Reason for the city"),
        note_required=True,
    ),
    Transition(
        name="accept",
        source=Status.UNDER_REVIEW,
        target=Status.ACCEPTED,
        rule=can_move_as_secretariat,
        label=_("Accept"),
        done=_("The proposal was accepted."),
        note_label=_("Note for the city"),
        # Accepting also decides the theme and the measures; its form asks for them.
        needs_form=True,
    ),
    Transition(
        name="reject",
        source=Status.UNDER_REVIEW,
        target=Status.REJECTED,
        rule=can_move_as_secretariat,
        label=_("Reject"),
        done=_("The proposal was rejected."),
        note_label=_("Reason for the city"),
        note_required=True,
    ),
    Transition(
        name="reopen",
        source=Status.ACCEPTED,
        target=Status.UNDER_REVIEW,
        rule=can_move_as_chair,
        label=_("Reopen"),
        done=_("The decision was reopened: the proposal is under review again."),
        note_label=_("Note for the record"),
    ),
    Transition(
        name="reopen",
        source=Status.REJECTED,
        target=Status.UNDER_REVIEW,
        rule=can_move_as_chair,
        label=_("Reopen"),
        done=_("The decision was reopened: the proposal is under review again."),
        note_label=_("Note for the record"),
    ),
)
