"""Who changed what and when, from django-simple-history, and refusing lost updates.

Every editable model carries `history = HistoricalRecords()`. A form remembers the
latest history entry it was rendered from (its *edit token*); a save whose token is no
longer the latest is refused and shown what the other person changed meanwhile.
Related objects, many-to-many fields tracked with `m2m_fields` included, are shown by
their names.
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


def edit_token_subquery(model: type[models.Model]) -> models.Subquery:
    """The id of each row's latest history entry, as `edit_token` gives it (None for
    no history), to annotate a queryset of `model` with in the same query.

    An aggregate rather than the first entry by history_id: PostgreSQL would walk the
    whole history backwards for that.
    """
    return models.Subquery(
        model.history.filter(id=models.OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(latest=models.Max("history_id"))
        .values("latest")
    )


def edit_token(instance: models.Model) -> str:
    """Return the id of the latest history entry of `instance`, or "0" for none."""
    if instance.pk is None:
        return "0"
    latest = (
        instance.history.order_by("-history_id").values_list("history_id", flat=True)
    ).first()
    return str(latest or 0)


class _RelatedNames:
    """The names of the objects that a set of history records points to.

    One query per related model, however many records there are; an object deleted
    since is shown by its id.
    """

    def __init__(self, wanted: dict[type[models.Model], set]):
        # Each model's default ordering is kept, so that lists read as elsewhere.
        self._names = {
            model: {
                item.pk: str(item) for item in model._default_manager.filter(pk__in=pks)
            }
            for model, pks in wanted.items()
            if pks
        }

    def one(self, model: type[models.Model], pk) -> str:
        return self._names.get(model, {}).get(pk, str(pk))

    def several(self, model: type[models.Model], pks: frozenset) -> str:
        known = self._names.get(model, {})
        names = [name for pk, name in known.items() if pk in pks]
        names += sorted(str(pk) for pk in pks if pk not in known)
        return ", ".join(names) or "–"


def _display(field: models.Field, value, names: _RelatedNames) -> str:
    if field.many_to_many:
        return names.several(field.related_model, value)
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.one(field.related_model, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _m2m_members(records: list, field: models.ManyToManyField) -> dict[int, frozenset]:
    """Return the related ids of `field` as each record saw them, in one query."""
    through = getattr(records[0], field.name).model
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    members: dict[int, set] = {record.history_id: set() for record in records}
    rows = through.objects.filter(history_id__in=list(members)).values_list(
        "history_id", target
    )
    for history_id, pk in rows:
        members[history_id].add(pk)
    return {history_id: frozenset(pks) for history_id, pks in members.items()}


def _changes_of_pairs(pairs: list[tuple]) -> list[list[FieldChange]]:
    """Return the field changes of each (newer, older) pair of history records.

    The many-to-many rows and the related objects of all the records are read at once,
    so the number of queries does not grow with the number of pairs.
    """
    compared = [(new, old) for new, old in pairs if old is not None]
    if not compared:
        return [[] for _pair in pairs]
    records = list({r.history_id: r for pair in compared for r in pair}.values())
    model = records[0].instance_type
    m2m_fields = [
        model._meta.get_field(field.name) for field in records[0]._history_m2m_fields
    ]
    members = {field.name: _m2m_members(records, field) for field in m2m_fields}
    wanted: dict[type[models.Model], set] = {}
    raw_changes = []
    for new, old in pairs:
        if old is None:
            raw_changes.append([])
            continue
        delta = new.diff_against(
            old, excluded_fields=[field.name for field in m2m_fields]
        )
        changed = []
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    value for value in (change.old, change.new) if value is not None
                )
            changed.append((field, change.old, change.new))
        for field in m2m_fields:
            before = members[field.name][old.history_id]
            after = members[field.name][new.history_id]
            if before != after:
                wanted.setdefault(field.related_model, set()).update(before | after)
                changed.append((field, before, after))
        raw_changes.append(sorted(changed, key=lambda item: item[0].name))
    names = _RelatedNames(wanted)
    return [
        [
            FieldChange(
                field=field.name,
                label=str(field.verbose_name),
                old=_display(field, old_value, names),
                new=_display(field, new_value, names),
            )
            for field, old_value, new_value in changed
        ]
        for changed in raw_changes
    ]


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
    shown = records[:limit]
    previous = [*records[1:], None][:limit]
    changes = _changes_of_pairs(list(zip(shown, previous, strict=True)))
    return [
        HistoryEntry(
            when=record.history_date,
            who=_who(record),
            kind=labels[record.history_type],
            changes=record_changes,
        )
        for record, record_changes in zip(shown, changes, strict=True)
    ]


def changes_since(instance: models.Model, token: str) -> tuple[list, list]:
    """Return what changed after the entry `token`, as field changes and entries."""
    history = instance.history.select_related("history_user").order_by("history_id")
    # A token not made by this site counts as the oldest: everything is news to it.
    base_id = int(token) if token and token.isascii() and token.isdigit() else 0
    base = history.filter(history_id=base_id).first()
    newer = list(history.filter(history_id__gt=base_id))
    if not newer:
        return [], []
    changes = _changes_of_pairs([(newer[-1], base)])[0]
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
        if instance.pk is None:
            instance.save()
            _set_m2m(instance, m2m or {})
        else:
            # Set first, unrecorded, and then save: one history entry holds the whole
            # edit, where set() alone records its removals and additions apart.
            instance.skip_history_when_saving = True
            try:
                _set_m2m(instance, m2m or {})
            finally:
                del instance.skip_history_when_saving
            instance.save()
    return instance


def _set_m2m(instance: models.Model, m2m: dict) -> None:
    for name, values in m2m.items():
        getattr(instance, name).set(values)
