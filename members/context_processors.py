from members.permissions import (
    can_manage_accounts,
    can_read_audit_trail,
    is_secretariat,
)


def roles(request):
    """What the navigation offers; every view checks the same rules again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_may_manage_accounts": can_manage_accounts(user),
        "user_may_read_audit_trail": can_read_audit_trail(user),
        "user_is_secretariat": is_secretariat(user),
    }
