"""Addresses of many objects of one kind, with one `reverse()`.

A page that links hundreds of rows (the schedule's milestone marks) spent a good part
of its time in Django's URL reversing, which matches the view's patterns anew for
each id. `id_url(view)` reverses once with a stand-in id and returns a function that
puts each id in its place; an integer needs no quoting, so the address is the one
`reverse()` would give.
"""

from collections.abc import Callable

from django.urls import reverse

_STAND_IN = 9_876_543_210_123


def id_url(view_name: str) -> Callable[[int], str]:
    """Return `pk -> reverse(view_name, args=[pk])` for a view of one integer id."""
    head, found, tail = reverse(view_name, args=[_STAND_IN]).rpartition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{view_name} does not take the id in its path")
    return lambda pk: f"{head}{int(pk)}{tail}"
