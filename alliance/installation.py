"""Settings fixed once for the installation, the first time it is set up.

The environment gives a value (`settings.<NAME>`) and `setting_fix` stores it, once:
a later environment that says otherwise changes nothing stored. `setting_fixed`
reads the stored value, which the caller prefers to the environment's.
"""

from django.db import IntegrityError, transaction

from alliance.models import InstallationSetting


def setting_fix(*, name: str, value: str) -> tuple[str, bool]:
    """Store `value` under `name` unless a value is stored; return the stored value
    and whether it was stored now."""
    stored = setting_fixed(name=name)
    if stored is not None:
        return stored, False
    try:
        with transaction.atomic():
            InstallationSetting.objects.create(name=name, value=value)
    except IntegrityError:
        # Another process stored it first; its value stands.
        return setting_fixed(name=name), False
    return value, True


def setting_fixed(*, name: str) -> str | None:
    """Return the value stored under `name`, or None while nothing is stored."""
    return (
        InstallationSetting.objects.filter(name=name)
        .values_list("value", flat=True)
        .first()
    )
