"""Who may see and change the secretariat's own objects."""

from members.permissions import can_edit_content, can_view_content


def can_view_appointment(user) -> bool:
    return can_view_content(user)


def can_edit_appointment(user) -> bool:
    return can_edit_content(user)


def can_view_proposal(user) -> bool:
    """Every role reads the proposal for the cooperation model as it is written."""
    return can_view_content(user)


def can_edit_proposal(user) -> bool:
    """The secretariat's staff and the chair write the proposal's text."""
    return can_edit_content(user)
