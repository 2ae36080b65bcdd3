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
from themes.proposals.models import ThemeProposal
from themes.proposals.workflow import (
    EDITABLE_STATUSES,
    PRIVATE_STATUSES,
    Actor,
    transitions_from,
)


def proposal_actors(user, proposal) -> frozenset:
    """Return the workflow actors that `user` is for `proposal`."""
    actors = set()
    if can_act_for(user, proposal.city):
        actors.add(Actor.CITY)
    if is_secretariat(user):
        actors.add(Actor.SECRETARIAT)
    if is_chair(user):
        actors.add(Actor.CHAIR)
    return frozenset(actors)


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


def can_transition_proposal(user, proposal, transition) -> bool:
    return (
        transition.source == proposal.status
        and can_view_content(user)
        and bool(transition.actors & proposal_actors(user, proposal))
    )


def can_review_proposals(user) -> bool:
    return can_edit_content(user)


def can_set_proposal_closing_date(user) -> bool:
    return can_edit_content(user)


def can_reopen_proposal_submissions(user) -> bool:
    return user.is_authenticated and is_chair(user)


def proposal_allowed_transitions(user, proposal) -> list:
    """Return the moves out of the proposal's status that `user` may make."""
    if not can_view_content(user):
        return []
    actors = proposal_actors(user, proposal)
    return [t for t in transitions_from(source=proposal.status) if t.actors & actors]
