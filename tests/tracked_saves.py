"""The check every service that writes a browser form must pass."""

import datetime
from unittest import mock

import pytest

from alliance.history import ConcurrentEdit, edit_token
from tests.factories import UserFactory

MOMENT = datetime.datetime(2023, 9, 15, 10, 0, tzinfo=datetime.UTC)


def assert_saves_are_tracked(*, save, argument: str, instance, field: str, values):
    """Check that `save` records who and when, and refuses a stale edit token.

    `save` is called as `save(<argument>=instance, by=..., token=...)`; `values` are
    three new values of `field`, for the first save, a second person's save, and a
    save made on the version the second person has since replaced.
    """
    author, other = UserFactory(), UserFactory()
    model = type(instance)
    setattr(instance, field, values[0])
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        save(**{argument: instance}, by=author, token=edit_token(instance))
    latest = instance.history.latest("history_id")
    assert (latest.history_user, latest.history_date) == (author, MOMENT)
    assert getattr(latest, field) == values[0]

    opened = edit_token(instance)
    theirs = model.objects.get(pk=instance.pk)
    setattr(theirs, field, values[1])
    save(**{argument: theirs}, by=other, token=opened)
    entries = instance.history.count()

    setattr(instance, field, values[2])
    with pytest.raises(ConcurrentEdit):
        save(**{argument: instance}, by=author, token=opened)
    assert getattr(model.objects.get(pk=instance.pk), field) == values[1]
    assert instance.history.count() == entries
