"""Writes of the members app."""

from members.models import User


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language for pages and e-mails."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
