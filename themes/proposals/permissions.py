"""Who may see and do what with the cities' theme proposals.

City scope is a rule (`members.permissions.can_act_for` on the proposal's city), never
a grant on the proposal row.
"""

from members.permissions import (
    can_act_for,
    can_edit_content,
    can_view_content,
    is_chair,
    is_secretariat,
    organisations_acted_for,
)
from themes.proposals.models import (
    EDITABLE_STATUSES,
    PRIVATE_STATUSES,
    ThemeProposal,
)


def can_view_proposal(user, proposal) -> bool:
    """Drafts: the own city only; returned: also the secretariat; later: every role."""
    if not can_view_content(user):
        return False
    if proposal.status == ThemeProposal.Status.DRAFT:
        return can_act_for(user, proposal.city)
    if proposal.status in PRIVATE_STATUSES:
        return is_secretariat(user) or can_act_for(user, proposal.city)
    return True


def can_list_proposals(user) -> bool:
    """Every role reads the list; what it shows is decided row by row."""
    return can_view_content(user)


def can_add_proposal(user) -> bool:
    """A member of a city group proposes for that city."""
    return can_view_content(user) and organisations_acted_for(user).exists()


def can_change_proposal(user, proposal) -> bool:
    """The own city edits its proposal while it is a draft or returned for revision."""
    return proposal.status in EDITABLE_STATUSES and can_act_for(user, proposal.city)


def can_comment_proposal(user, proposal) -> bool:
    """The secretariat and the proposing city discuss a proposal once it is sent."""
    return (
        proposal.status != ThemeProposal.Status.DRAFT
        and can_view_proposal(user, proposal)
        and (is_secretariat(user) or can_act_for(user, proposal.city))
    )


# The rules of the workflow table's moves: `rule(user, proposal)`.


def can_move_as_city(user, proposal) -> bool:
    """The group of the proposal's own city submits and resubmits it."""
    return can_view_content(user) and can_act_for(user, proposal.city)


def can_move_as_secretariat(user, proposal) -> bool:
    """The chair and the secretariat staff review, return, accept and reject."""
    return can_view_content(user) and is_secretariat(user)


def can_move_as_chair(user, proposal) -> bool:
    """Only the chair reopens a decision."""
    return can_view_content(user) and is_chair(user)


def can_review_proposals(user) -> bool:
    return can_edit_content(user)


def can_set_proposal_closing_date(user) -> bool:
    return can_edit_content(user)


def can_reopen_proposal_submissions(user) -> bool:
    return user.is_authenticated and is_chair(user)
