from members.permissions import can_manage_accounts, is_secretariat


def roles(request):
    """What the navigation offers; every view checks the same rules again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_may_manage_accounts": can_manage_accounts(user),
        "user_is_secretariat": is_secretariat(user),
    }
