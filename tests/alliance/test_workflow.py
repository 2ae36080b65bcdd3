"""The transition table type that the proposals' and the meetings' workflows share."""

from types import SimpleNamespace

import pytest

from alliance.workflow import Transition, TransitionTable


def _is_chair(user, obj) -> bool:
    return user == "chair"


def _move(source, target, name="move") -> Transition:
    return Transition(
        name=name,
        source=source,
        target=target,
        rule=_is_chair,
        label="Move",
        done="Moved.",
    )


TABLE = TransitionTable(_move("a", "b", "first"), _move("b", "c"), _move("a", "c"))


def test_the_table_finds_a_move_and_lists_those_out_of_a_status():
    assert TABLE.find(source="a", target="b").name == "first"
    assert TABLE.find(source="c", target="a") is None
    assert [(t.source, t.target) for t in TABLE.from_status(source="a")] == [
        ("a", "b"),
        ("a", "c"),
    ]


def test_allowed_moves_are_those_out_of_the_status_that_the_rule_permits():
    obj = SimpleNamespace(status="a")

    assert [t.target for t in TABLE.allowed(user="chair", obj=obj)] == ["b", "c"]
    assert TABLE.allowed(user="staff", obj=obj) == []


def test_the_system_may_make_any_move_of_the_table_but_only_from_its_source():
    move = TABLE.find(source="a", target="b")

    assert move.permits(user=None, obj=SimpleNamespace(status="a"))
    assert not move.permits(user=None, obj=SimpleNamespace(status="b"))
    assert not move.permits(user="staff", obj=SimpleNamespace(status="a"))


def test_a_table_has_one_row_per_move():
    with pytest.raises(ValueError):
        TransitionTable(_move("a", "b"), _move("a", "b"))
