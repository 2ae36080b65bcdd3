import datetime

import pytest
from django.core.management import call_command

from alliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_run_daily_removes_events_past_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 730
    now = datetime.datetime.now(datetime.UTC)
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.SIGN_IN, at=now - datetime.timedelta(days=731)
    )
    kept = AuditEvent.objects.create(
        kind=AuditEvent.Kind.SIGN_IN, at=now - datetime.timedelta(days=729)
    )
    call_command("run_daily")
    assert list(AuditEvent.objects.all()) == [kept]
