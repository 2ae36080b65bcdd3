"""Idempotent loading: write a row only when something in it differs."""

from collections.abc import Callable

from django.db import models


def ensure_row(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict | None = None,
    save: Callable[[models.Model], object] | None = None,
) -> tuple[models.Model, bool]:
    """Return the row found by `lookup`, created or updated to hold `values`.

    A row that already holds the values is not saved, so a second load changes no row
    and writes no history. `save`, when given, writes the row instead of the plain
    `save()`: a service, so that its rules and history apply. Should it change one of
    `values` (the place of a new row, say), the row is saved once more to hold them.
    Returns the row and whether anything was written.
    """
    values = values or {}
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        _save(row, save, update_fields=None)
        written = True
    else:
        written = False
    changed = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            current, wanted = getattr(row, field.attname), getattr(value, "pk", value)
            attribute = field.attname
        else:
            current, wanted, attribute = getattr(row, name), value, name
        if current != wanted:
            setattr(row, attribute, wanted)
            changed.append(name)
    if changed:
        _save(row, save, update_fields=changed)
    return row, written or bool(changed)


def _save(row: models.Model, save, *, update_fields: list[str] | None) -> None:
    if save is not None:
        save(row)
    elif update_fields is None:
        row.save(force_insert=True)
    else:
        row.save(update_fields=update_fields)
