"""The state of the services the app depends on, for `/healthz`.

Each check answers within a few seconds and reports only "up", "down" or how the service
is set up: an error's text can carry a host name or a password from a URL, so it goes
to the log, never into the answer.
"""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)

# A load balancer asks every few seconds; a service slower than this counts as down.
BROKER_TIMEOUT_SECONDS = 2
PROBE_CONTENT = b"allianssi health probe\n"


@dataclass(frozen=True)
class ServiceState:
    up: bool
    state: str


UP = ServiceState(up=True, state="up")
DOWN = ServiceState(up=False, state="down")


def database_state() -> ServiceState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return DOWN
    return UP


def broker_state() -> ServiceState:
    if not settings.CELERY_BROKER_URL:
        # Tasks run in the web process itself: nothing to reach, nothing to be down.
        return ServiceState(up=True, state="not configured: in-process")
    from alliance.celery import app

    try:
        with app.connection_for_write(
            url=settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={"socket_timeout": BROKER_TIMEOUT_SECONDS},
        ) as broker:
            broker.ensure_connection(max_retries=0)
    except Exception:
        logger.exception("Health check: the broker does not answer")
        return DOWN
    return UP


def storage_state() -> ServiceState:
    """Write, read back and delete a small file where the uploads are stored."""
    name = None
    try:
        name = default_storage.save(
            f"healthz-probe-{uuid.uuid4().hex}", ContentFile(PROBE_CONTENT)
        )
        with default_storage.open(name, "rb") as probe:
            read_back = probe.read()
        default_storage.delete(name)
    except Exception:
        logger.exception("Health check: the file storage cannot be written or read")
        if name is not None:
            _delete_quietly(name)
        return DOWN
    return UP if read_back == PROBE_CONTENT else DOWN


def _delete_quietly(name):
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("Health check: the probe file %s was left behind", name)


def service_states() -> dict[str, ServiceState]:
    return {
        "database": database_state(),
        "broker": broker_state(),
        "storage": storage_state(),
    }
