"""Who may see and change the secretariat's own objects."""

from members.permissions import can_edit_content, can_view_content


def can_view_appointment(user) -> bool:
    return can_view_content(user)


def can_edit_appointment(user) -> bool:
    return can_edit_content(user)


def can_request_progress_report(user) -> bool:
    """The secretariat (staff and the chair) makes and reads the progress reports."""
    return can_edit_content(user)
