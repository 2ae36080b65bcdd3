"""Who may see and change the secretariat's own objects."""

from members.permissions import can_edit_content, can_view_content, is_chair


def can_view_appointment(user) -> bool:
    return can_view_content(user)


def can_edit_appointment(user) -> bool:
    return can_edit_content(user)


def can_make_proposal_draft(user) -> bool:
    """Secretariat staff and the chair print drafts of the proposal at any time."""
    return can_edit_content(user)


def can_make_final_proposal(user) -> bool:
    """Only the chair makes a final, numbered version of the proposal."""
    return user.is_authenticated and is_chair(user)


def can_view_proposal_versions(user) -> bool:
    """Every role reads the final versions of the proposal."""
    return can_view_content(user)


def can_view_proposal(user) -> bool:
    """Every role reads the proposal for the cooperation model as it is written."""
    return can_view_content(user)


def can_edit_proposal(user) -> bool:
    """The secretariat's staff and the chair write the proposal's text."""
    return can_edit_content(user)


def can_request_progress_report(user) -> bool:
    """The secretariat (staff and the chair) makes and reads the progress reports."""
    return can_edit_content(user)


def can_set_publicity(user) -> bool:
    """The secretariat decides whether each document is public (Act 621/1999)."""
    return can_edit_content(user)


def can_see_publicity(user) -> bool:
    """Every role sees whether a document it can open is public."""
    return can_view_content(user)
