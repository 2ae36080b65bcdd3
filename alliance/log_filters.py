"""Filters for the project's logging configuration (no models: read before setup)."""

import logging

from django.core.exceptions import PermissionDenied


class RefusalWithoutTraceback(logging.Filter):
    """Drop django.request's record of a refused permission, traceback and all.

    `alliance.views.permission_denied` logs each refusal in one line with who and
    from where, and records it in the audit trail; other 403s (CSRF) still log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        return not isinstance(exception, PermissionDenied)
