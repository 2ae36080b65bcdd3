"""What the per-app generators of synthetic scale data share.

The generators add rows in bulk for benchmarks; this module holds the random source,
the fixed clock and the writing of rows together with their history in bulk, so that
every app's generator makes its rows the same way.
"""

import copy
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

# A prefix on every generated text, so that no one mistakes the rows for real ones.
SYNTHETIC = "[Synthetic]"
BATCH_SIZE = 2000
# The appointment decision is dated 31.8.2023; generated dates fall within the term.
TERM_START = date(2023, 9, 1)
TERM_END = date(2027, 8, 31)
# How often each edited object is edited after its creation, at least.
EDITS_PER_EDITED_OBJECT = 40


@dataclass
class ScaleContext:
    """The scale, the random source and the user the generated rows are credited to."""

    scale: Decimal
    rng: random.Random
    user: models.Model

    def count(self, at_scale_one: int) -> int:
        """Return how many rows to make of what there are `at_scale_one` at N=1."""
        return max(1, round(at_scale_one * self.scale))

    def day(self, index: int, total: int, *, start=TERM_START, end=TERM_END) -> date:
        """Return the `index`-th of `total` days spread evenly from start to end."""
        span = (end - start).days
        return start + timedelta(days=span * index // max(1, total))

    def moment(self, day: date, hour: int = 9) -> datetime:
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour))

    def edited(self, objects: list) -> list:
        """Return the tenth of `objects` that gets a long history of edits."""
        return objects[::10] if objects else []


def created_with_history(
    model: type[models.Model], objects: list, *, context: ScaleContext, at: datetime
) -> list:
    """Insert `objects` in bulk and write their creation in history in bulk."""
    created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if hasattr(model, "history"):
        model.history.bulk_history_create(
            created, batch_size=BATCH_SIZE, default_user=context.user, default_date=at
        )
    return created


def edits_written(
    model: type[models.Model],
    objects: list,
    *,
    context: ScaleContext,
    field: str,
    values,
    since: datetime,
) -> int:
    """Write a history of edits of `field` for each of `objects`, in bulk.

    `values(obj, k)` gives the field's value after the k-th edit; the last edit is the
    value the row holds, which is saved too. Return the number of history rows written.
    """
    revisions = []
    final = []
    for obj in objects:
        edits = EDITS_PER_EDITED_OBJECT + context.rng.randrange(0, 10)
        for k in range(1, edits + 1):
            revision = copy.copy(obj)
            setattr(revision, field, values(obj, k))
            revision._history_date = since + timedelta(hours=6 * k)
            revisions.append(revision)
        setattr(obj, field, values(obj, edits))
        final.append(obj)
    model.objects.bulk_update(final, [field], batch_size=BATCH_SIZE)
    model.history.bulk_history_create(
        revisions, batch_size=BATCH_SIZE, update=True, default_user=context.user
    )
    return len(revisions)
