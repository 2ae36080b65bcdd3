"""Ordered lists: where a new row goes, and moving a row up or down.

Every ordered model keeps its place in a field named `order` (ascending, ties broken
by primary key) among its siblings: the rows of the same list, such as the measures of
one theme. Its lists must therefore be queried with an explicit `order_by`, because
Django drops `Meta.ordering` from a query that groups rows (an annotated count).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse

from alliance.editing import safe_next

DIRECTIONS = ("up", "down")


def next_position(siblings) -> int:
    """Return the `order` that puts a new row after all of `siblings`."""
    last = siblings.aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def move_in_order(instance, *, siblings, direction: str, by) -> None:
    """Swap `instance` with its neighbour among `siblings` (ordered by `order`).

    Orders are renumbered 0, 1, 2… on the way, so gaps and ties left by earlier edits
    never make a move do nothing. Each row whose order changes is saved with history.
    """
    with transaction.atomic():
        rows = list(siblings.select_for_update().order_by("order", "pk"))
        index = next(i for i, row in enumerate(rows) if row.pk == instance.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(rows):
            return
        rows[index], rows[target] = rows[target], rows[index]
        for position, row in enumerate(rows):
            if row.order != position:
                row.order = position
                row._history_user = by
                row.save(update_fields=["order"])


def move_and_respond(
    request,
    *,
    direction: str,
    move,
    list_template: str,
    list_context,
    fallback_url: str,
):
    """Move a row up or down (POST), then show its list again.

    The view has already checked that the user may see and reorder the row. `move`
    takes `direction` and `by`; a move that it refuses with ValidationError is shown
    as a message. htmx gets the list fragment back; without JavaScript the browser
    returns to the form's `next`, or else to `fallback_url`.
    """
    if direction not in DIRECTIONS:
        raise Http404
    try:
        move(direction=direction, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.htmx:
        return TemplateResponse(request, list_template, list_context())
    return HttpResponseRedirect(safe_next(request) or fallback_url)
