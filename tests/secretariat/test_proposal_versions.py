"""Drafts and final versions of the proposal: who makes them, what never changes."""

import datetime
import hashlib
import io
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from alliance.frozen import FrozenRecordError
from alliance.models import Job
from alliance.services import JobError
from secretariat import proposal_versions
from secretariat.models import ModelProposalFile, ModelProposalVersion
from secretariat.proposal_versions import (
    proposal_draft_request,
    proposal_file_retry,
    proposal_final_make,
)
from secretariat.selectors import model_proposal_deadline
from tests.secretariat.proposals import proposal_create

pytestmark = pytest.mark.django_db

ON_TIME = datetime.datetime(2023, 9, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _jobs_run_at_once():
    """The test's transaction never commits: send each job as it is queued."""
    with mock.patch(
        "alliance.services.transaction.on_commit",
        side_effect=lambda callback, *args, **kwargs: callback(),
    ):
        yield


@pytest.fixture
def proposal(world):
    return proposal_create()


@pytest.fixture
def fast_render():
    """Files that print in no time: the renderers have tests of their own."""

    def render(snapshot, format):
        return f"{format}:{snapshot['version']['number']}".encode()

    with mock.patch.object(proposal_versions, "proposal_render", side_effect=render):
        yield


def _version(proposal, world, **kwargs):
    return proposal_final_make(proposal=proposal, by=world.users["chair"], **kwargs)


# Who may make what.


@pytest.mark.parametrize("role", ["staff", "city-helsinki", "observer", "no-role"])
def test_only_the_chair_makes_a_final_version(proposal, world, role):
    with pytest.raises(PermissionDenied):
        proposal_final_make(proposal=proposal, by=world.users[role])
    assert not ModelProposalVersion.objects.exists()


@pytest.mark.parametrize("role", ["city-helsinki", "observer", "no-role"])
def test_only_the_secretariat_makes_a_draft(proposal, world, role):
    with pytest.raises(PermissionDenied):
        proposal_draft_request(proposal=proposal, format="pdf", by=world.users[role])


def test_the_chair_makes_version_1_with_both_files(proposal, world, fast_render):
    version = _version(proposal, world)

    assert version.number == 1
    assert version.snapshot["version"]["number"] == 1
    assert version.snapshot["version"]["made_by"] == "Katja Palonen"
    files = {file.format: file for file in version.files.all()}
    assert set(files) == {"pdf", "docx"}
    assert files["pdf"].sha256 == hashlib.sha256(b"pdf:1").hexdigest()
    assert files["pdf"].size == len(b"pdf:1")
    with files["docx"].file.open("rb") as stored:
        assert stored.read() == b"docx:1"
    jobs = Job.objects.filter(task_name=proposal_versions.FILE_TASK)
    assert {job.state for job in jobs} == {Job.State.DONE}


def test_identical_content_is_refused_and_a_change_is_a_new_number(
    proposal, world, fast_render
):
    _version(proposal, world, at=ON_TIME)
    with pytest.raises(ValidationError) as refused:
        _version(proposal, world, at=ON_TIME + datetime.timedelta(days=1))
    assert refused.value.code == "unchanged"
    assert "versiosta 1" in " ".join(refused.value.messages).lower() or (
        "version 1" in " ".join(refused.value.messages).lower()
    )
    world.measure.title = "Uusi nimi"
    world.measure.save()
    second = _version(proposal, world)
    assert second.number == 2
    assert ModelProposalVersion.objects.count() == 2


def test_a_number_is_never_reused_after_a_failed_file_job(proposal, world):
    def broken(snapshot, format):
        if format == "docx":
            raise JobError("Word ei onnistunut")
        return b"pdf"

    with mock.patch.object(proposal_versions, "proposal_render", side_effect=broken):
        first = _version(proposal, world)
    failed = Job.objects.get(state=Job.State.FAILED)
    assert failed.error == "Word ei onnistunut"
    assert list(first.files.values_list("format", flat=True)) == ["pdf"]

    world.measure.title = "Toinen"
    world.measure.save()
    with mock.patch.object(proposal_versions, "proposal_render", return_value=b"x"):
        second = _version(proposal, world)
        assert second.number == 2
        # The failed file is printed again from the same, first snapshot.
        proposal_file_retry(job=failed, by=world.users["chair"])
    failed.refresh_from_db()
    assert failed.state == Job.State.DONE
    assert first.files.count() == 2
    assert ModelProposalVersion.objects.filter(number=1).count() == 1


def test_a_file_job_is_idempotent(proposal, world, fast_render):
    version = _version(proposal, world)
    pdf = version.files.get(format="pdf")
    job = Job.objects.get(kind="proposal_final_pdf")
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)

    proposal_versions.proposal_file_job_run(
        job_id=job.pk, version_id=version.pk, format="pdf"
    )
    stored = proposal_versions.proposal_file_write(version=version, format="pdf")

    assert stored.pk == pdf.pk
    assert version.files.filter(format="pdf").count() == 1
    assert stored.file.name == pdf.file.name


def test_staff_cannot_retry_a_file_job(proposal, world):
    with mock.patch.object(
        proposal_versions, "proposal_render", side_effect=JobError("x")
    ):
        _version(proposal, world)
    job = Job.objects.filter(state=Job.State.FAILED).first()
    with pytest.raises(PermissionDenied):
        proposal_file_retry(job=job, by=world.users["staff"])


# A version and its files never change.


def test_a_version_and_its_files_cannot_be_changed_by_any_code_path(
    proposal, world, fast_render
):
    version = _version(proposal, world)
    file = version.files.first()
    for row in (version, file):
        with pytest.raises(FrozenRecordError):
            row.save()
        with pytest.raises(FrozenRecordError):
            row.delete()
    version.snapshot["summary"] = "Muutettu"
    with pytest.raises(FrozenRecordError):
        version.save(update_fields=["snapshot"])
    for queryset in (ModelProposalVersion.objects.all(), ModelProposalFile.objects):
        with pytest.raises(FrozenRecordError):
            queryset.update(created_at=ON_TIME)
        with pytest.raises(FrozenRecordError):
            queryset.delete()
        with pytest.raises(FrozenRecordError):
            queryset.bulk_update(list(queryset.all()), ["created_at"])
    version.refresh_from_db()
    assert version.snapshot["summary"] == "Sihteeristö esittää **mallia**."
    assert ModelProposalFile.objects.count() == 2


def test_the_admin_only_shows_versions_and_files(world):
    request = RequestFactory().get("/")
    request.user = world.users["chair"]
    request.user.is_superuser = True
    for model in (ModelProposalVersion, ModelProposalFile):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


# The deadline on the dashboard: the first final version's day against 30.9.2023.


@pytest.mark.parametrize(
    ("made_at", "met"),
    [
        # 23.30 in Helsinki on the day of the deadline is still on time.
        (datetime.datetime(2023, 9, 30, 20, 30, tzinfo=datetime.UTC), True),
        (datetime.datetime(2023, 9, 30, 21, 30, tzinfo=datetime.UTC), False),
        (ON_TIME, True),
    ],
)
def test_the_deadline_is_met_by_the_first_version(
    proposal, world, fast_render, made_at, met
):
    appointment = world.appointment
    today = datetime.date(2023, 10, 5)
    before = model_proposal_deadline(appointment=appointment, today=today)
    assert not before.is_met and before.is_missed

    _version(proposal, world, at=made_at)
    deadline = model_proposal_deadline(appointment=appointment, today=today)

    assert deadline.is_met is met
    assert deadline.is_missed is not met


def test_a_later_version_does_not_change_when_the_deadline_was_met(
    proposal, world, fast_render
):
    _version(proposal, world, at=ON_TIME)
    world.measure.title = "Myöhemmin"
    world.measure.save()
    _version(proposal, world, at=datetime.datetime(2023, 11, 1, tzinfo=datetime.UTC))
    deadline = model_proposal_deadline(
        appointment=world.appointment, today=datetime.date(2023, 11, 2)
    )
    assert deadline.is_met
    assert deadline.delivered_on == datetime.date(2023, 9, 28)


def test_done_tasks_alone_do_not_meet_the_deadline(world):
    world.appointment.tasks.filter(number__lte=3).update(status="done")
    deadline = model_proposal_deadline(
        appointment=world.appointment, today=datetime.date(2023, 9, 15)
    )
    assert not deadline.is_met
    assert deadline.days_left == 15


def test_the_dashboard_says_met_with_the_day(as_role, proposal, world, fast_render):
    _version(proposal, world, at=ON_TIME)
    page = as_role("staff").get(reverse("secretariat:dashboard")).content.decode()
    assert "badge--ok" in page
    assert "28.9.2023" in page


# The page.


def test_staff_see_draft_buttons_and_the_chair_the_final_one(as_role, proposal):
    url = reverse("secretariat:proposal_versions")
    staff = as_role("staff").get(url).content.decode()
    assert 'value="pdf"' in staff and 'value="docx"' in staff
    assert reverse("secretariat:proposal_final") not in staff
    chair = as_role("chair").get(url).content.decode()
    assert reverse("secretariat:proposal_final") in chair
    city = as_role("city-helsinki").get(url)
    assert city.status_code == 200
    assert 'value="pdf"' not in city.content.decode()


@pytest.mark.parametrize("role", ["staff", "city-helsinki", "observer"])
def test_the_final_version_views_refuse_all_but_the_chair(as_role, proposal, role):
    client = as_role(role)
    url = reverse("secretariat:proposal_final")
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not ModelProposalVersion.objects.exists()


def test_drafts_are_refused_to_cities(as_role, proposal):
    response = as_role("city-helsinki").post(
        reverse("secretariat:proposal_draft"), {"format": "pdf"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("format", ["", "exe", "pdf\x00", "x" * 500])
def test_a_hostile_format_is_a_400(as_role, proposal, format):
    response = as_role("staff").post(
        reverse("secretariat:proposal_draft"), {"format": format}
    )
    assert response.status_code == 400


def test_the_chair_confirms_and_everyone_downloads(
    as_role, proposal, world, fast_render
):
    chair = as_role("chair")
    confirm = chair.get(reverse("secretariat:proposal_final"))
    assert confirm.status_code == 200
    response = chair.post(reverse("secretariat:proposal_final"))
    assert response.status_code == 302
    version = ModelProposalVersion.objects.get()
    page = chair.get(reverse("secretariat:proposal_versions")).content.decode()
    for file in version.files.all():
        assert file.sha256 in page
    for role in ["observer", "city-helsinki", "staff"]:
        client = as_role(role)
        for format in ["pdf", "docx"]:
            url = reverse("secretariat:proposal_version_file", args=[1, format])
            response = client.get(url)
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == f"{format}:1".encode()
            assert response["Cache-Control"] == "private, no-store"
    as_role("no-role")
    assert (
        as_role("no-role")
        .get(reverse("secretariat:proposal_version_file", args=[1, "pdf"]))
        .status_code
        == 403
    )
    assert (
        as_role("staff")
        .get(reverse("secretariat:proposal_version_file", args=[2, "pdf"]))
        .status_code
        == 404
    )
    assert (
        as_role("staff")
        .get(reverse("secretariat:proposal_version_file", args=[1, "exe"]))
        .status_code
        == 404
    )
    appointment = as_role("observer").get(world.appointment.get_absolute_url())
    assert (
        reverse("secretariat:proposal_version_file", args=[1, "pdf"])
        in appointment.content.decode()
    )


def test_the_chair_is_told_when_nothing_changed(as_role, proposal, fast_render):
    chair = as_role("chair")
    chair.post(reverse("secretariat:proposal_final"))
    response = chair.post(reverse("secretariat:proposal_final"), follow=True)
    assert ModelProposalVersion.objects.count() == 1
    assert "versio" in response.content.decode().lower()


def test_a_version_waiting_for_files_shows_progress_and_a_failed_one_a_retry(
    as_role, proposal, world
):
    with mock.patch.object(
        proposal_versions, "proposal_render", side_effect=JobError("Rikki")
    ):
        _version(proposal, world)
    failed = Job.objects.filter(state=Job.State.FAILED).first()
    page = as_role("chair").get(reverse("secretariat:proposal_versions"))
    text = page.content.decode()
    assert "Rikki" in text
    assert reverse("secretariat:proposal_file_retry", args=[failed.pk]) in text
    assert reverse("secretariat:proposal_version_file", args=[1, "pdf"]) not in text
    staff_page = as_role("staff").get(reverse("secretariat:proposal_versions"))
    assert (
        reverse("secretariat:proposal_file_retry", args=[failed.pk])
        not in staff_page.content.decode()
    )
    assert (
        as_role("staff")
        .post(reverse("secretariat:proposal_file_retry", args=[failed.pk]))
        .status_code
        == 403
    )
    with mock.patch.object(proposal_versions, "proposal_render", return_value=b"x"):
        response = as_role("chair").post(
            reverse("secretariat:proposal_file_retry", args=[failed.pk])
        )
    assert response.status_code == 302


def test_a_draft_job_prints_luonnos_and_only_its_requester_downloads_it(
    as_role, proposal, world
):
    response = as_role("staff").post(
        reverse("secretariat:proposal_draft"), {"format": "pdf"}
    )
    assert response.status_code == 302
    job = Job.objects.get(kind="proposal_draft_pdf")
    assert job.state == Job.State.DONE, job.error
    assert job.requested_by == world.users["staff"]
    download = as_role("staff").get(reverse("alliance:job_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert all("LUONNOS" in page for page in pages)
    other = as_role("chair").get(reverse("alliance:job_download", args=[job.pk]))
    assert other.status_code == 404
    assert not ModelProposalVersion.objects.exists()


def test_the_versions_page_takes_the_same_queries_at_any_size(
    as_role, proposal, world, fast_render, django_assert_max_num_queries
):
    client = as_role("chair")
    url = reverse("secretariat:proposal_versions")
    _version(proposal, world)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(5):
        world.measure.title = f"Nimi {n}"
        world.measure.save()
        _version(proposal, world)
    with mock.patch.object(
        proposal_versions, "proposal_render", side_effect=JobError("x")
    ):
        world.measure.title = "Rikki"
        world.measure.save()
        _version(proposal, world)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.content.decode().count('class="proposal-version"') == 7
    assert len(large) <= len(small) + 1  # one query for the jobs of waiting versions


def test_a_final_version_prints_both_real_files_without_the_draft_mark(proposal, world):
    import docx

    version = _version(proposal, world)
    files = {file.format: file for file in version.files.all()}
    with files["pdf"].file.open("rb") as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == files["pdf"].sha256
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert not any("LUONNOS" in page for page in pages)
    assert "Luvun 1 teksti" in "\n".join(pages)
    with files["docx"].file.open("rb") as stored:
        document = docx.Document(io.BytesIO(stored.read()))
    assert any("Luvun 1 teksti" in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE secretariat_modelproposalversion SET number = 9",
        "DELETE FROM secretariat_modelproposalversion",
        "UPDATE secretariat_modelproposalfile SET sha256 = 'x'",
        "DELETE FROM secretariat_modelproposalfile",
    ],
)
def test_the_database_refuses_raw_sql_changes(proposal, world, fast_render, statement):
    from django.db import DatabaseError, transaction

    if statement.startswith("DELETE") and connection.vendor == "sqlite":
        pytest.skip("SQLite refuses raw UPDATE only, so test databases can be flushed")
    _version(proposal, world)
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert ModelProposalVersion.objects.get().number == 1
    assert ModelProposalFile.objects.count() == 2


# url name: (arguments, method, expected status by role), with version 1 made and
# the proposal's own file job failed once.
LOGIN = "login"
READ = {
    "anonymous": LOGIN,
    "no-role": 403,
    "observer": 200,
    "city-helsinki": 200,
    "city-espoo": 200,
    "staff": 200,
    "chair": 200,
}
CHAIR_ONLY = {**READ, "observer": 403, "city-helsinki": 403, "city-espoo": 403}
CHAIR_ONLY["staff"] = 403
DRAFT = {**CHAIR_ONLY, "staff": 302, "chair": 302}
VERSION_URLS = {
    "secretariat:proposal_versions": ([], "get", READ),
    "secretariat:proposal_version_row": ([1], "get", READ),
    "secretariat:proposal_version_file": ([1, "pdf"], "get", READ),
    "secretariat:proposal_final": ([], "get", CHAIR_ONLY),
    "secretariat:proposal_draft": ([], "post", DRAFT),
    "secretariat:proposal_file_retry": (["job"], "post", {**CHAIR_ONLY, "chair": 302}),
}


@pytest.mark.parametrize("name", sorted(VERSION_URLS))
def test_the_versions_urls_by_role(name, proposal, world, as_role, fast_render):
    from tests.factories import ROLES

    _version(proposal, world)
    job = Job.objects.filter(kind="proposal_final_docx").first()
    args, method, expected = VERSION_URLS[name]
    url = reverse(name, args=[job.pk if a == "job" else a for a in args])
    for role in ROLES:
        if name == "secretariat:proposal_file_retry":
            Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
        client = as_role(role)
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, {"format": "pdf"})
        if expected[role] == LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("login")), role
        else:
            assert response.status_code == expected[role], (role, response.status_code)
