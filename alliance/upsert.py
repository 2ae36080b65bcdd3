"""Idempotent loading: write a row only when something in it differs."""

from django.db import models


def ensure_row(
    model: type[models.Model], *, lookup: dict, values: dict | None = None
) -> tuple[models.Model, bool]:
    """Return the row found by `lookup`, created or updated to hold `values`.

    A row that already holds the values is not saved, so a second load changes no row
    and writes no history. Returns the row and whether anything was written.
    """
    values = values or {}
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), True
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
        row.save(update_fields=changed)
    return row, bool(changed)
