"""What the audit trail records, and that nothing changes a recorded event."""

import datetime
import logging

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse

from alliance.frozen import FrozenRecordError
from alliance.models import AuditEvent, Job
from alliance.services import job_run
from secretariat.bootstrap import bootstrap
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind
ADDRESS = "198.51.100.7"


def _kinds():
    return list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_sign_in_failure_sign_out_and_lock_out_are_recorded(client):
    user = UserFactory(username="nyholm")
    login = reverse("login")
    client.post(login, {"username": "nyholm", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    client.post(
        login,
        {"username": "nyholm", "password": "secret-password"},
        REMOTE_ADDR=ADDRESS,
    )
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)
    assert _kinds() == [Kind.SIGN_IN_FAILED, Kind.SIGN_IN, Kind.SIGN_OUT]
    failed, signed_in, signed_out = AuditEvent.objects.order_by("pk")
    assert (failed.user, failed.username, failed.address) == (None, "nyholm", ADDRESS)
    assert (signed_in.user, signed_in.address) == (user, ADDRESS)
    assert signed_out.user == user

    for _attempt in range(5):
        client.post(
            login, {"username": "nyholm", "password": "wrong"}, REMOTE_ADDR=ADDRESS
        )
    locked = AuditEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert (locked.username, locked.address) == ("nyholm", ADDRESS)


def test_a_refusal_is_recorded_and_logged_in_one_line(client, caplog, world):
    client.force_login(world.users["observer"])
    url = reverse("members:account_list")
    with caplog.at_level(logging.INFO):
        response = client.get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=Kind.PERMISSION_REFUSED)
    assert (event.user, event.address, event.path) == (
        world.users["observer"],
        ADDRESS,
        url,
    )
    refusals = [r for r in caplog.records if "refused" in r.getMessage() or r.exc_info]
    assert [r.getMessage() for r in refusals] == [
        f"Permission refused: GET {url} for observer from {ADDRESS}"
    ]
    assert all(r.exc_info is None for r in caplog.records)


def test_role_and_account_changes_are_recorded_with_who_and_where(client, world):
    chair, observer = world.users["chair"], world.users["observer"]
    client.force_login(chair)
    staff = Group.objects.get(name="secretariat-staff")
    client.post(
        reverse("members:account_roles", args=[observer.pk]),
        {"roles": [staff.pk]},
        REMOTE_ADDR=ADDRESS,
    )
    client.post(
        reverse("members:account_set_active", args=[observer.pk]),
        {"active": "0"},
        REMOTE_ADDR=ADDRESS,
    )
    roles, account = AuditEvent.objects.filter(
        kind__in=[Kind.ROLES_CHANGED, Kind.ACCOUNT_CHANGED]
    ).order_by("pk")
    assert (roles.kind, roles.user, roles.address) == (
        Kind.ROLES_CHANGED,
        chair,
        ADDRESS,
    )
    assert roles.what == "observer: observer → secretariat-staff"
    assert (account.kind, account.what) == (
        Kind.ACCOUNT_CHANGED,
        "observer: deactivated",
    )


def test_exports_and_downloads_are_recorded(client, world):
    user = world.users["staff"]
    client.force_login(user)
    assert client.get(reverse("themes:theme_export")).status_code == 200
    job = Job.objects.create(kind="ping", task_name="alliance.ping", requested_by=user)
    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"pdf", name="esitys.pdf"))
    response = client.get(reverse("alliance:job_download", args=[job.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    export, download = AuditEvent.objects.filter(
        kind__in=[Kind.EXPORT, Kind.DOWNLOAD]
    ).order_by("pk")
    assert (export.kind, export.user, export.what) == (
        Kind.EXPORT,
        user,
        "themes.xlsx",
    )
    assert (download.kind, download.user) == (Kind.DOWNLOAD, user)
    assert download.what.endswith(".pdf")


def test_a_bulk_load_is_one_event(organisations):
    bootstrap(demo=False, today=datetime.date(2023, 9, 15))
    assert _kinds() == [Kind.BULK_WRITE]
    bootstrap(demo=False, today=datetime.date(2023, 9, 15))
    assert _kinds() == [Kind.BULK_WRITE]


def test_no_code_path_changes_or_deletes_an_event():
    event = AuditEvent.objects.create(kind=Kind.SIGN_IN, username="nyholm")
    event.what = "changed"
    with pytest.raises(FrozenRecordError):
        event.save()
    with pytest.raises(FrozenRecordError):
        event.delete()
    with pytest.raises(FrozenRecordError):
        AuditEvent.objects.update(what="changed")
    with pytest.raises(FrozenRecordError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.what == ""


def test_the_admin_grants_nobody_a_change(client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    event = AuditEvent.objects.create(kind=Kind.SIGN_IN, username="nyholm")
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)

    client.force_login(superuser)
    change = reverse("admin:alliance_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"kind": Kind.SIGN_OUT, "username": "x", "what": "x"})
    client.post(
        reverse("admin:alliance_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:alliance_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert client.post(reverse("admin:alliance_auditevent_add"), {}).status_code == 403
    event.refresh_from_db()
    assert (event.kind, event.username, event.what) == (Kind.SIGN_IN, "nyholm", "")
