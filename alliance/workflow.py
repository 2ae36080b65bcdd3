"""Workflows as data: a table of the moves between statuses and who may make each.

An app writes its table in its own `workflow.py` and makes every move in one service,
which finds the move here, checks its rule, locks the row and records the step. The
page of the object shows one button per move that `TransitionTable.allowed` returns,
so that what the page offers and what the service accepts are the same table.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise

from alliance.permissions import rule_permits


@dataclass(frozen=True)
class Transition:
    """One move of an object from the status `source` to the status `target`."""

    name: str
    source: str
    target: str
    # `rule(user, obj)`: whether the user may make this move with this object; a rule
    # function of the app's permissions module.
    rule: Callable[..., bool]
    label: Promise
    # The message shown to the user after the move.
    done: Promise
    # The move asks for more than a confirmation: its button opens a form page.
    needs_form: bool = False
    # The label of the move's note field, where the move takes a note.
    note_label: Promise | None = None
    note_required: bool = False

    def permits(self, *, user, obj) -> bool:
        """Whether `user` may make this move with `obj` now; `None` is the system.

        The system (the bootstrap, a task, an import) makes only the moves the table
        has, but no role rule applies to it.
        """
        if self.source != obj.status:
            return False
        return rule_permits(user, self.rule, obj)


class TransitionTable:
    """The moves of one workflow, in the order the page shows them."""

    def __init__(self, *transitions: Transition):
        self._transitions = transitions
        self._by_move = {(t.source, t.target): t for t in transitions}
        if len(self._by_move) != len(transitions):
            raise ValueError("A workflow has one row per move.")

    def __iter__(self) -> Iterator[Transition]:
        return iter(self._transitions)

    def find(self, *, source: str, target: str) -> Transition | None:
        """Return the row for this move, or None when the table does not have it."""
        return self._by_move.get((source, target))

    def from_status(self, *, source: str) -> list[Transition]:
        """Return the moves out of `source`, in the order of the table."""
        return [t for t in self._transitions if t.source == source]

    def allowed(self, *, user, obj) -> list[Transition]:
        """Return the moves out of `obj.status` that `user` may make."""
        return [t for t in self.from_status(source=obj.status) if t.rule(user, obj)]
