"""Who may change themes, measures and milestones."""

from members.permissions import can_edit_content


def can_edit_theme_content(user) -> bool:
    return can_edit_content(user)
