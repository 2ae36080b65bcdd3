"""Rows made once for all the tests of a module, as Django's `setUpTestData` does."""

from django.db import transaction


def made_once_per_module(django_db_blocker, make):
    """Yield what `make` returns, its rows kept in a transaction held open around the
    module's tests and rolled back after the last of them.

    Each test's own transaction (the `db` fixture) is then a savepoint inside it, so
    every test finds the rows as they were made and leaves them so, and none outlives
    the module: the same isolation as making them for each test, without paying for it
    each time. Not for a module with transactional tests, whose flush would empty them.
    Hand each test a deep copy of the objects, so that one test's changes to them in
    memory do not reach the next (as `setUpTestData` does).
    """
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
    try:
        with django_db_blocker.unblock():
            made = make()
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
