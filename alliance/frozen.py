"""Rows that are written once and never changed: frozen versions and their files.

A frozen row is inserted once; its `save()` on an existing row, its `delete()`, and
its queryset's `update()`, `bulk_update()` and `delete()` all raise
`FrozenRecordError`, so that no code path changes what was delivered.
"""

from django.db import models


class FrozenQuerySet(models.QuerySet):
    """Rows that are written once: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise FrozenRecordError(self.model)

    def delete(self):
        raise FrozenRecordError(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise FrozenRecordError(self.model)


class FrozenRecordError(Exception):
    def __init__(self, model):
        super().__init__(
            f"A stored {model._meta.verbose_name} never changes; make a new one."
        )


class FrozenModel(models.Model):
    """A row that is inserted once and never changed or deleted by any code path."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenRecordError(type(self))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecordError(type(self))
