"""Documents as background jobs: enqueued on commit, stored, reused, retried."""

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.models import Job
from alliance.services import job_retry
from secretariat import document_services, documents
from secretariat.meetings import services as meeting_services
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(alliance):
    meeting = MeetingFactory(body=alliance.group, number=5)
    AgendaItemFactory(meeting=meeting, title="Teemat ja toimenpiteet")
    return meeting


def test_the_content_key_depends_on_content_template_and_language(meeting):
    first = documents.agenda_document(meeting=meeting, language="fi")
    again = documents.agenda_document(meeting=meeting, language="fi")
    swedish = documents.agenda_document(meeting=meeting, language="sv")

    assert first.content_key == again.content_key
    assert len(first.content_key) == 64
    assert swedish.content_key != first.content_key
    assert (
        documents.content_key(
            template_name=first.template_name,
            template_version=first.template_version + 1,
            context=first.context,
        )
        != first.content_key
    )
    meeting.agenda_items.update(title="Muutettu otsikko")
    assert documents.agenda_document(meeting=meeting).content_key != first.content_key


def test_a_request_enqueues_on_commit_and_the_same_content_reuses_the_file(
    alliance, meeting, django_capture_on_commit_callbacks
):
    staff, observer = alliance.users["staff"], alliance.users["observer"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = document_services.document_request(
            name="agenda", meeting=meeting, by=staff
        )
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert len(callbacks) == 1
    assert job.content_key == documents.agenda_document(meeting=meeting).content_key

    callbacks[0]()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result.name.endswith(".pdf")
    assert job.result.read().startswith(b"%PDF-")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = document_services.document_request(
            name="agenda", meeting=meeting, by=staff
        )
    assert again.pk == job.pk
    assert callbacks == []
    # Someone else gets the same stored file on a job row of their own.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        theirs = document_services.document_request(
            name="agenda", meeting=meeting, by=observer
        )
    assert callbacks == []
    assert theirs.pk != job.pk
    assert theirs.state == Job.State.DONE
    assert theirs.result.name == job.result.name


def test_a_renderer_failure_is_shown_and_a_retry_succeeds(
    alliance, meeting, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(template_name, context, **kwargs):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("alliance.pdf.render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_request(
            name="agenda", meeting=meeting, by=alliance.users["staff"]
        )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "RuntimeError: WeasyPrint could not lay out the page"

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job=job)

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.attempts == 2
    assert job.result.read().startswith(b"%PDF-")


def test_an_empty_agenda_is_an_expected_failure(alliance):
    meeting = MeetingFactory(body=alliance.group)
    job = Job.objects.create(kind="agenda_pdf", task_name=document_services.RENDER_TASK)

    with translation.override("en"):
        document_services.document_job_run(
            job_id=job.pk,
            document="agenda",
            meeting_id=meeting.pk,
            version_number=None,
            language="en",
        )

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "The agenda has no items."


def test_the_document_view_returns_at_once_and_answers_htmx_with_the_job_status(
    client, alliance, meeting, django_capture_on_commit_callbacks
):
    client.force_login(alliance.users["staff"])
    url = reverse("secretariat:document_request", args=[meeting.pk, "agenda"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.templates[0].name == "alliance/job_status.html"
    # The page polls the job: it was queued when the response was made.
    assert 'hx-trigger="every 2s"' in response.content.decode()
    job = Job.objects.get()
    assert job.requested_by == alliance.users["staff"]
    assert job.state == Job.State.DONE
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert Job.objects.count() == 1


def test_other_roles_print_only_the_published_agenda(
    client, alliance, meeting, django_capture_on_commit_callbacks
):
    client.force_login(alliance.users["observer"])
    url = reverse("secretariat:document_request", args=[meeting.pk, "agenda"])
    assert client.post(url).status_code == 404  # nothing published yet

    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    AgendaItemFactory(meeting=meeting, title="Luonnos, ei julkaistu")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    job = Job.objects.get(kind="agenda_pdf")
    assert job.arguments["version_number"] == 1
    assert client.get(reverse("alliance:job_download", args=[job.pk])).status_code == (
        200
    )


def test_the_html_preview_is_for_the_secretariat(client, alliance, meeting):
    url = reverse("secretariat:document_preview", args=[meeting.pk, "agenda"])
    client.force_login(alliance.users["observer"])
    assert client.get(url).status_code == 403

    client.force_login(alliance.users["staff"])
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Teemat ja toimenpiteet" in page
    assert "/static/pdf/print.css" in page
    assert "TEM077:00/2023" in page
