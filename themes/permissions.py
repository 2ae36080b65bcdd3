"""Who may see and change themes, measures and milestones."""

from members.permissions import can_edit_content, can_view_content


def can_view_theme_content(user) -> bool:
    """Every role reads the themes, their measures and milestones."""
    return can_view_content(user)


def can_edit_theme_content(user) -> bool:
    return can_edit_content(user)
