"""Who changed what and when, from django-simple-history, and refusing lost updates.

Every editable model carries `history = HistoricalRecords()`. A form remembers the
latest history entry it was rendered from (its *edit token*); a save whose token is no
longer the latest is refused and shown what the other person changed meanwhile.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[FieldChange]


class ConcurrentEdit(Exception):
    """Someone else saved the object after this form was opened."""

    def __init__(self, changes: list[FieldChange], entries: list[HistoryEntry]):
        super().__init__(_("Someone else changed this meanwhile."))
        self.changes = changes
        self.entries = entries


def edit_token(instance: models.Model) -> str:
    """Return the id of the latest history entry of `instance`, or "0" for none."""
    if instance.pk is None:
        return "0"
    latest = (
        instance.history.order_by("-history_id").values_list("history_id", flat=True)
    ).first()
    return str(latest or 0)


def _display(record, field: models.Field, value) -> str:
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = getattr(record, field.name, None)
        return str(target) if target is not None else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _field_changes(new, old) -> list[FieldChange]:
    if old is None:
        return []
    model = new.instance_type
    delta = new.diff_against(old, foreign_keys_are_objs=False)
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                field=change.field,
                label=str(field.verbose_name),
                old=_display(old, field, change.old),
                new=_display(new, field, change.new),
            )
        )
    return changes


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def history_entries(instance: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """Return the newest entries first, each with the fields it changed."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_id")[
            : limit + 1
        ]
    )
    labels = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_who(record),
                kind=labels[record.history_type],
                changes=_field_changes(record, previous),
            )
        )
    return entries


def changes_since(instance: models.Model, token: str) -> tuple[list, list]:
    """Return what changed after the entry `token`, as field changes and entries."""
    history = instance.history.select_related("history_user").order_by("history_id")
    base = history.filter(history_id=int(token or 0)).first()
    newer = list(history.filter(history_id__gt=int(token or 0)))
    if not newer:
        return [], []
    changes = _field_changes(newer[-1], base) if base else []
    entries = [
        HistoryEntry(
            when=record.history_date,
            who=_who(record),
            kind=_("changed"),
            changes=[],
        )
        for record in newer
    ]
    return changes, entries


def save_tracked(
    instance: models.Model, *, by, token: str | None, m2m: dict | None = None
) -> models.Model:
    """Save `instance` as `by`, unless someone saved it after `token` was read.

    The row is locked first, so two saves of the same token cannot both pass. A new
    object (no pk) needs no token.
    """
    with transaction.atomic():
        if instance.pk is not None:
            type(instance).objects.select_for_update().filter(pk=instance.pk).first()
            if token is not None and edit_token(instance) != str(token):
                changes, entries = changes_since(instance, token)
                raise ConcurrentEdit(changes, entries)
        instance._history_user = by
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    return instance
