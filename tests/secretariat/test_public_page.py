"""The public page: the appointment and the members for anyone, and of the documents
only those the secretariat has marked public; everything else answers 404."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from alliance.history import history_entries
from alliance.models import AuditEvent, Job, Publicity, SecrecyGround
from alliance.publicity import publicity_of
from members.models import Organisation
from secretariat import documents, seed
from secretariat.bootstrap import bootstrap
from secretariat.document_services import PROGRESS_REPORT_KIND
from secretariat.meetings import services as meeting_services
from secretariat.models import (
    AppointmentTask,
    ModelProposalFile,
    ModelProposalVersion,
)
from secretariat.publicity import KINDS
from secretariat.services import document_publicity_save, proposal_ensure
from tests.conftest import PDF_BYTES
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from themes.models import Measure, Theme
from themes.proposals.services import proposal_attachment_add, proposal_create

pytestmark = pytest.mark.django_db

PUBLIC_URL = "/julkinen/"
TODAY = datetime.date(2023, 10, 2)


@pytest.fixture
def fixed_day():
    moment = datetime.datetime(2023, 10, 2, 9, 0, tzinfo=datetime.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield TODAY


@dataclass
class Documents:
    agenda_version: object
    minutes: object
    agenda_attachment: object
    proposal_version: object
    progress_report: object
    proposal_attachment: object

    def all(self):
        return {name: getattr(self, name) for name in KINDS}


def _stored_pdf(*, kind: str, document, by) -> Job:
    """The PDF the document job would make, stored as its job would store it."""
    job = Job.objects.create(
        kind=kind,
        task_name="secretariat.render_document",
        state=Job.State.DONE,
        content_key=document.content_key,
        requested_by=by,
    )
    job.result.save(document.filename, ContentFile(PDF_BYTES))
    return job


@pytest.fixture
def scene(alliance, fixed_day):
    staff, chair = alliance.users["staff"], alliance.users["chair"]
    meeting = MeetingFactory(body=alliance.secretariat, number=1)
    item = AgendaItemFactory(meeting=meeting, title="Yhteistyömallin luonnos")
    attachment = meeting_services.agenda_attachment_add(
        item=item,
        title="Luonnos",
        upload=SimpleUploadedFile("luonnos.pdf", PDF_BYTES),
        by=staff,
    )
    meeting_services.agenda_publish(meeting=meeting, by=chair)
    meeting_services.meeting_mark_held(meeting=meeting, by=chair)
    item.decision = "Sihteeristö hyväksyi luonnoksen jatkovalmistelun pohjaksi."
    item.save()
    meeting.refresh_from_db()
    version = meeting.agenda_versions.get()
    for language in ("fi", "sv"):
        _stored_pdf(
            kind="agenda_pdf",
            document=documents.document_build(
                name="agenda", meeting=meeting, version_number=1, language=language
            ),
            by=staff,
        )
        _stored_pdf(
            kind="minutes_pdf",
            document=documents.document_build(
                name="minutes", meeting=meeting, version_number=None, language=language
            ),
            by=staff,
        )
    proposal_version = ModelProposalVersion.objects.create(
        proposal=proposal_ensure(appointment=alliance.appointment),
        number=1,
        snapshot={},
        created_by=chair,
        created_at=timezone.now(),
    )
    ModelProposalFile.objects.create(
        version=proposal_version,
        format=ModelProposalFile.Format.PDF,
        file=ContentFile(PDF_BYTES, name="esitys-v1.pdf"),
        sha256="0" * 64,
        size=len(PDF_BYTES),
        created_at=timezone.now(),
    )
    report = Job.objects.create(
        kind=PROGRESS_REPORT_KIND,
        task_name="secretariat.render_progress_report",
        state=Job.State.DONE,
        requested_by=staff,
    )
    report.result.save("seurantaraportti.pdf", ContentFile(PDF_BYTES))
    helsinki = Organisation.objects.get(slug="helsinki")
    city_proposal = proposal_create(
        city=helsinki,
        by=alliance.users["city"],
        title="Datatalouden kokeilut",
        rationale="Perustelu",
    )
    proposal_attachment = proposal_attachment_add(
        proposal=city_proposal,
        upload=SimpleUploadedFile("liite.pdf", PDF_BYTES, "application/pdf"),
        by=alliance.users["city"],
    )
    return Documents(
        agenda_version=version,
        minutes=meeting,
        agenda_attachment=attachment,
        proposal_version=proposal_version,
        progress_report=report,
        proposal_attachment=proposal_attachment,
    )


def _mark(document, *, by, status=Publicity.Status.PUBLIC, **values):
    record = publicity_of(document)
    record.status = status
    for name, value in values.items():
        setattr(record, name, value)
    kind = next(
        slug for slug, kind in KINDS.items() if isinstance(document, kind.rows().model)
    )
    return document_publicity_save(
        publicity=record,
        kind=kind,
        document=document,
        by=by,
        token=None,
    )


def _download_urls(kind: str, document) -> list[str]:
    return [
        reverse("secretariat:public_document", args=[kind, document.pk, variant])
        for variant in KINDS[kind].variants(document)
    ]


def _stored_file_urls() -> list[str]:
    """The media address of every stored file, as a guesser would try them."""
    names = [
        *(job.result.url for job in Job.objects.exclude(result="")),
        *(stored.file.url for stored in ModelProposalFile.objects.all()),
    ]
    for kind in ("agenda_attachment", "proposal_attachment"):
        names += [row.file.url for row in KINDS[kind].rows()]
    return names


def test_the_page_shows_the_appointment_and_members_to_anyone(alliance, client):
    response = client.get(PUBLIC_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "TEM077:00/2023" in page
    assert "31.8.2023" in page
    assert alliance.appointment.title_fi in page
    for seat in alliance.secretariat_seats:
        assert seat.person.full_name in page
    # The cooperation group is shown by position, its seats' addresses are not.
    assert "pääministeri" in page
    assert "pm@vnk.example.org" not in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    for label in ("Sukupuoli", "Nainen", "Mies", "gender"):
        assert label not in page


def test_the_page_is_in_swedish_after_the_language_switch(alliance, client):
    client.post(reverse("set_language"), {"language": "sv", "next": PUBLIC_URL})

    page = client.get(PUBLIC_URL).content.decode()

    assert '<html lang="sv">' in page
    assert alliance.appointment.title_sv in page
    assert alliance.group.name_sv in page
    assert "Suomeksi" in page


def test_nothing_is_public_until_marked(scene, client):
    page = client.get(PUBLIC_URL).content.decode()

    for kind, document in scene.all().items():
        urls = _download_urls(kind, document)
        assert urls, kind
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert url not in page
    for url in _stored_file_urls():
        assert client.get(url).status_code == 404, url
    assert "Sihteeristö hyväksyi" not in page


def test_a_document_marked_public_can_be_opened_and_others_stay_hidden(
    scene, client, alliance
):
    staff = alliance.users["staff"]
    _mark(scene.minutes, by=staff)
    _mark(scene.agenda_attachment, by=staff)
    _mark(scene.proposal_version, by=staff)
    _mark(scene.progress_report, by=staff)
    _mark(scene.proposal_attachment, by=staff)
    _mark(
        scene.agenda_version,
        by=staff,
        status=Publicity.Status.SECRET,
        ground=SecrecyGround.PRIVATE_BUSINESS_SECRET,
        secret_until=datetime.date(2048, 8, 31),
    )
    before = AuditEvent.objects.count()

    page = client.get(PUBLIC_URL).content.decode()

    assert "Sihteeristö hyväksyi luonnoksen" in page
    for kind, document in scene.all().items():
        for url in _download_urls(kind, document):
            response = client.get(url)
            if kind == "agenda_version":
                assert response.status_code == 404, url
                assert url not in page
            else:
                assert response.status_code == 200, url
                assert b"".join(response.streaming_content) == PDF_BYTES
                assert response["Cache-Control"] == "private, no-store"
                assert url in page
    # Public downloads are recorded like every other, without a user.
    downloads = AuditEvent.objects.filter(kind=AuditEvent.Kind.DOWNLOAD)
    assert downloads.count() - before >= 5
    assert downloads.filter(user__isnull=False).count() == 0
    # The stored files themselves have no address of their own.
    for url in _stored_file_urls():
        assert client.get(url).status_code == 404, url


def test_every_document_id_is_404_unless_public(scene, client, alliance):
    _mark(scene.proposal_attachment, by=alliance.users["staff"])
    public = scene.proposal_attachment.pk
    # The ids of every row of every kind's table, each asked as every kind, and one
    # beyond them. Not every id up to the highest: PostgreSQL does not roll back the
    # sequences that the run's earlier tests drew from, so there the highest id grows
    # with the run into the thousands, each asked for six kinds in five variants.
    ids = {
        pk
        for kind in KINDS.values()
        for pk in kind.rows().model.objects.values_list("pk", flat=True)
    }
    ids.add(max(ids) + 1)

    for kind in KINDS:
        for pk in sorted(ids):
            for variant in ("fi", "sv", "pdf", "docx", "file"):
                url = reverse("secretariat:public_document", args=[kind, pk, variant])
                expected = (
                    200
                    if (kind, pk, variant) == ("proposal_attachment", public, "file")
                    else 404
                )
                assert client.get(url).status_code == expected, url


def test_not_yet_public_becomes_public_on_its_day(scene, client, alliance):
    staff = alliance.users["staff"]
    _mark(
        scene.proposal_attachment,
        by=staff,
        status=Publicity.Status.NOT_YET_PUBLIC,
        public_from=TODAY + datetime.timedelta(days=1),
    )
    _mark(
        scene.progress_report,
        by=staff,
        status=Publicity.Status.NOT_YET_PUBLIC,
        public_event="Kun asia on ratkaistu",
    )
    url = _download_urls("proposal_attachment", scene.proposal_attachment)[0]
    assert client.get(url).status_code == 404
    assert (
        client.get(
            _download_urls("progress_report", scene.progress_report)[0]
        ).status_code
        == 404
    )

    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert client.get(url).status_code == 200


def test_a_secret_document_is_public_after_its_last_day_of_secrecy(
    scene, client, alliance
):
    _mark(
        scene.proposal_attachment,
        by=alliance.users["staff"],
        status=Publicity.Status.SECRET,
        ground=SecrecyGround.PRIVATE_BUSINESS_SECRET,
        secret_until=TODAY,
    )
    url = _download_urls("proposal_attachment", scene.proposal_attachment)[0]
    assert client.get(url).status_code == 404

    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert client.get(url).status_code == 200


def test_publicity_changes_are_recorded_with_who(scene, alliance):
    staff, chair = alliance.users["staff"], alliance.users["chair"]
    _mark(
        scene.agenda_attachment,
        by=staff,
        status=Publicity.Status.NOT_YET_PUBLIC,
        public_event="Kun asia on ratkaistu",
    )
    _mark(scene.agenda_attachment, by=chair)

    with translation.override("en"):
        entries = history_entries(publicity_of(scene.agenda_attachment))

    assert [entry.kind for entry in entries] == ["changed", "created"]
    assert entries[0].who == chair.get_full_name()
    assert entries[1].who == staff.get_full_name()
    assert any(change.field == "status" for change in entries[0].changes)


def test_only_the_secretariat_sets_publicity(scene, alliance):
    for role in ("observer", "city", "none"):
        with pytest.raises(PermissionDenied):
            _mark(scene.agenda_attachment, by=alliance.users[role])
    assert not Publicity.objects.exists()


def test_a_save_on_an_older_version_shows_the_conflict_and_saves_nothing(
    scene, client, alliance
):
    client.force_login(alliance.users["staff"])
    url = reverse(
        "secretariat:publicity_edit",
        args=["agenda_attachment", scene.agenda_attachment.pk],
    )
    _mark(scene.agenda_attachment, by=alliance.users["chair"])

    response = client.post(
        url,
        {
            "status": "not_yet_public",
            "public_event": "Kun asia on ratkaistu",
            "edit_token": "0",
        },
    )

    assert response.status_code == 409
    errors = response.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["concurrent_edit"]
    assert response.context["form"].data["edit_token"] != "0"
    assert Publicity.objects.get().status == Publicity.Status.PUBLIC


def test_the_form_refuses_a_secret_without_ground(scene, client, alliance):
    client.force_login(alliance.users["staff"])
    url = reverse(
        "secretariat:publicity_edit",
        args=["agenda_attachment", scene.agenda_attachment.pk],
    )
    assert client.get(url).status_code == 200

    response = client.post(url, {"status": "secret", "edit_token": "0"})

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert errors["ground"][0].code == "ground_required"
    assert errors["secret_until"][0].code == "secret_until_required"
    assert not Publicity.objects.exists()

    response = client.post(
        url,
        {
            "status": "secret",
            "ground": SecrecyGround.PRIVATE_LIFE,
            "secret_until": "2123-10-02",
            "edit_token": "0",
            "next": "/meetings/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/meetings/"
    assert publicity_of(scene.agenda_attachment).ground == SecrecyGround.PRIVATE_LIFE


def test_the_form_is_for_the_secretariat_only(scene, client, alliance):
    url = reverse(
        "secretariat:publicity_edit",
        args=["agenda_attachment", scene.agenda_attachment.pk],
    )
    assert client.get(url).status_code == 302
    client.force_login(alliance.users["observer"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "public"}).status_code == 403
    assert not Publicity.objects.exists()


def test_themes_show_once_published_and_never_examples(alliance, client):
    lead = alliance.organisations["tem"]
    theme = Theme.objects.create(
        title="Työllisyys",
        title_sv="Sysselsättning",
        summary_sv="Kort på svenska.",
        lead_organisation=lead,
    )
    measure = Measure.objects.create(
        theme=theme, title="Yhteiskehittäminen", lead_organisation=lead
    )
    Theme.objects.create(
        title="Esimerkkiteema", lead_organisation=lead, is_example=True, is_public=True
    )
    assert "Työllisyys" not in client.get(PUBLIC_URL).content.decode()

    Theme.objects.filter(pk=theme.pk).update(is_public=True)
    page = client.get(PUBLIC_URL).content.decode()
    assert "Työllisyys" in page
    assert "Yhteiskehittäminen" not in page
    assert "Esimerkkiteema" not in page

    Measure.objects.filter(pk=measure.pk).update(is_public=True)
    client.post(reverse("set_language"), {"language": "sv", "next": PUBLIC_URL})
    page = client.get(PUBLIC_URL).content.decode()
    assert "Sysselsättning" in page
    assert "Kort på svenska." in page
    assert "Yhteiskehittäminen" in page


def test_with_the_demo_data_only_the_appointment_and_members_show(client):
    bootstrap(demo=True, today=TODAY)

    for language in ("fi", "sv"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        response = client.get(PUBLIC_URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "TEM077:00/2023" in page
        assert "Katja Palonen" in page
        assert "Claes Krüger" in page
        for section in (
            "public-themes",
            "public-meetings",
            "public-documents",
        ):
            assert section not in page

    version = KINDS["agenda_version"].rows().order_by("pk").first()
    _mark(version, by=None)
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    page = client.get(PUBLIC_URL).content.decode()
    assert "public-documents" in page
    assert str(version) in page
    assert "public-meetings" not in page


def test_a_changed_status_keeps_nothing_of_the_former_one(scene, alliance):
    staff = alliance.users["staff"]
    _mark(
        scene.agenda_attachment,
        by=staff,
        status=Publicity.Status.SECRET,
        ground=SecrecyGround.PRIVATE_LIFE,
        secret_until=datetime.date(2123, 10, 2),
    )

    record = _mark(scene.agenda_attachment, by=staff)

    record.refresh_from_db()
    assert (record.ground, record.secret_until) == ("", None)


def test_each_document_page_shows_its_publicity_and_the_secretariat_may_set_it(
    scene, client, alliance
):
    _mark(scene.agenda_version, by=alliance.users["staff"])
    meeting_page = reverse("meetings:meeting_detail", args=[scene.minutes.pk])
    edit_version = reverse(
        "secretariat:publicity_edit", args=["agenda_version", scene.agenda_version.pk]
    )
    edit_minutes = reverse(
        "secretariat:publicity_edit", args=["minutes", scene.minutes.pk]
    )

    client.force_login(alliance.users["staff"])
    page = client.get(meeting_page).content.decode()
    assert edit_version in page
    assert edit_minutes in page

    client.force_login(alliance.users["observer"])
    page = client.get(meeting_page).content.decode()
    assert edit_version not in page
    assert "Julkisuus:" in page
    assert "Julkinen" in page


def _page_in(client, language):
    client.post(reverse("set_language"), {"language": language, "next": PUBLIC_URL})
    return client.get(PUBLIC_URL).content.decode()


def test_the_tasks_titles_and_positions_are_in_swedish_on_the_swedish_page(client):
    bootstrap(demo=False, today=TODAY)

    swedish, finnish = _page_in(client, "sv"), _page_in(client, "fi")

    for task_fi, task_sv in seed.TASKS:
        assert f"<li>{task_sv}</li>" in swedish
        assert task_fi not in swedish
        assert f'<li lang="fi">{task_fi}</li>' in finnish
        assert task_sv not in finnish
    for words in (seed.TITLES_SV, seed.POSITIONS_SV):
        for finnish_word, swedish_word in words.items():
            assert f"<td>{swedish_word}</td>" in swedish
            assert f">{finnish_word}<" not in swedish
            assert f"<td>{finnish_word}</td>" in finnish
            assert swedish_word not in finnish


def test_the_swedish_page_shows_the_finnish_marked_as_such_where_swedish_is_missing(
    alliance, client
):
    AppointmentTask.objects.create(
        appointment=alliance.appointment,
        number=1,
        text="Valmistella yhteistyömallin organisointi ja tavoitteet.",
        text_sv="Bereda samarbetsmodellens organisering och mål.",
    )
    AppointmentTask.objects.create(
        appointment=alliance.appointment,
        number=2,
        text="Toimia yhteistyöryhmän sihteeristönä.",
    )
    translated, untranslated = alliance.secretariat_seats[:2]
    translated.title, translated.title_sv = "johtava asiantuntija", "ledande sakkunnig"
    translated.save()
    untranslated.title = "erityisasiantuntija"
    untranslated.save()
    prime_minister = alliance.group_seats[0]
    prime_minister.position_sv = "statsminister"
    prime_minister.save()

    swedish = _page_in(client, "sv")

    assert "<li>Bereda samarbetsmodellens organisering och mål.</li>" in swedish
    assert '<li lang="fi">Toimia yhteistyöryhmän sihteeristönä.</li>' in swedish
    assert "<td>ledande sakkunnig</td>" in swedish
    assert '<td lang="fi">erityisasiantuntija</td>' in swedish
    assert "<td>statsminister</td>" in swedish
    assert '<td lang="fi">kunta- ja alueministeri</td>' in swedish

    finnish = _page_in(client, "fi")

    assert (
        '<li lang="fi">Valmistella yhteistyömallin organisointi ja tavoitteet.</li>'
        in finnish
    )
    assert "<td>johtava asiantuntija</td>" in finnish
    assert "<td>pääministeri</td>" in finnish
    for swedish_text in ("Bereda", "ledande sakkunnig", "statsminister"):
        assert swedish_text not in finnish
