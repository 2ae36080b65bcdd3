"""Sending tasks to the broker once the change behind them has committed.

The row that a task acts on (a job, an outgoing e-mail) is written in the change's
transaction; the task is sent only after the commit, and sending can fail without
failing the change: the connection and publish timeouts are short (see the `CELERY_`
settings), a failure is logged and the row says that it waits to be sent, and a
periodic task sends it again. The request that made the change notes each side effect
left waiting, and `UnsentNoticeMiddleware` tells the user that it will follow.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import current_app
from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What the user is told about a side effect left waiting, by its kind.
NOTICES = {
    "document": _(
        "Saved. The document will follow: the background service cannot be "
        "reached just now, and it is sent again automatically."
    ),
    "notification": _(
        "Saved. The e-mail notification will follow: the background service "
        "cannot be reached just now, and it is sent again automatically."
    ),
}

_unsent_in_request: ContextVar[set[str] | None] = ContextVar(
    "unsent_in_request", default=None
)


def task_send(*, task_name: str, kwargs: dict) -> bool:
    """Send a task by its name now; return whether the broker took it.

    By name, so that `alliance` never imports the app that owns the task. Without a
    broker the task runs in-process, as `apply_async` does when eager.
    """
    try:
        current_app.tasks[task_name].apply_async(kwargs=kwargs)
    except Exception:
        logger.warning("Task %s %s was not sent.", task_name, kwargs, exc_info=True)
        return False
    return True


def task_send_on_commit(
    *, task_name: str, kwargs: dict, notice: str, on_unsent: Callable[[], None]
) -> None:
    """Send a task once the current transaction commits.

    When the broker does not take it, call `on_unsent` to mark the row waiting and
    note `notice` (a key of `NOTICES`) for the request's page.
    """
    if notice not in NOTICES:
        raise ValueError(f"Unknown notice {notice!r}.")

    def send() -> None:
        if task_send(task_name=task_name, kwargs=kwargs):
            return
        on_unsent()
        unsent = _unsent_in_request.get()
        if unsent is not None:
            unsent.add(notice)

    # Robust: whatever happens here, the committed change is reported as saved.
    transaction.on_commit(send, robust=True)


@contextmanager
def unsent_noted() -> Iterator[set[str]]:
    """Collect the notices of the side effects left waiting within the block."""
    unsent: set[str] = set()
    token = _unsent_in_request.set(unsent)
    try:
        yield unsent
    finally:
        _unsent_in_request.reset(token)


class UnsentNoticeMiddleware:
    """Tell the user which side effects of their change wait to be sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with unsent_noted() as unsent:
            response = self.get_response(request)
        for notice in sorted(unsent):
            messages.warning(request, NOTICES[notice], fail_silently=True)
        return response
