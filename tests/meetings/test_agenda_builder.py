"""Building the agenda: items, order, standard items, attachments."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from alliance.history import edit_token
from alliance.uploads import UploadLimitHandler
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaAttachment, AgendaItem, Meeting
from tests.downloads import assert_private_download
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
)
from tests.theme_proposals.factories import docx_bytes

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(alliance):
    return MeetingFactory(body=alliance.group)


def _titles(meeting):
    return list(meeting.agenda_items.order_by("order").values_list("title", flat=True))


def _kinds(meeting):
    return list(meeting.agenda_items.order_by("order").values_list("kind", flat=True))


def test_standard_items_are_added_once_around_the_matters(alliance, meeting):
    staff = alliance.users["staff"]
    meeting_services.agenda_item_save(
        item=AgendaItem(meeting=meeting, title="Teemat"), by=staff
    )

    added = meeting_services.agenda_standard_items_add(meeting=meeting, by=staff)

    assert added == 5
    assert _kinds(meeting) == [
        "opening",
        "quorum",
        "agenda_approval",
        "matter",
        "next_meeting",
        "closing",
    ]
    assert _titles(meeting)[0] == "Kokouksen avaus"
    assert meeting_services.agenda_standard_items_add(meeting=meeting, by=staff) == 0
    assert meeting.agenda_items.count() == 6

    # A new matter goes before the closing items, not after them.
    meeting_services.agenda_item_save(
        item=AgendaItem(meeting=meeting, title="Seuranta"), by=staff
    )
    assert _titles(meeting)[3:5] == ["Teemat", "Seuranta"]
    assert _kinds(meeting)[-2:] == ["next_meeting", "closing"]


def test_a_removed_standard_item_can_be_added_again_in_its_place(alliance, meeting):
    staff = alliance.users["staff"]
    meeting_services.agenda_standard_items_add(meeting=meeting, by=staff)
    meeting.agenda_items.get(kind="quorum").delete()
    AgendaItemFactory(meeting=meeting, order=99, title="Loppuun lisätty")

    assert meeting_services.agenda_standard_items_add(meeting=meeting, by=staff) == 1

    kinds = _kinds(meeting)
    assert kinds[:3] == ["opening", "quorum", "agenda_approval"]
    assert kinds[-2:] == ["next_meeting", "closing"]
    assert list(meeting.agenda_items.values_list("order", flat=True)).count(0) == 1


def test_builder_adds_edits_moves_and_removes_items_through_the_pages(
    client, alliance, meeting
):
    client.force_login(alliance.users["staff"])
    add = reverse("meetings:agenda_item_add", args=[meeting.pk])
    for title in ("Ensimmäinen", "Toinen"):
        response = client.post(
            add,
            {
                "title": title,
                "presenter": "Olli Voutilainen",
                "decision_proposal": "Hyväksytään.",
            },
        )
        assert response.status_code == 302
    first, second = meeting.agenda_items.order_by("order")

    response = client.post(
        reverse("meetings:agenda_item_move", args=[second.pk, "up"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/agenda_items.html"
    assert _titles(meeting) == ["Toinen", "Ensimmäinen"]

    response = client.post(
        reverse("meetings:agenda_item_edit", args=[first.pk]),
        {"title": "Ensimmäinen, korjattu", "edit_token": edit_token(first), "next": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Ensimmäinen, korjattu"

    response = client.post(reverse("meetings:agenda_item_delete", args=[second.pk]))
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=second.pk).exists()
    page = client.get(reverse("meetings:agenda_builder", args=[meeting.pk]))
    assert first.title in page.content.decode()


def test_the_agenda_of_a_held_meeting_cannot_change(alliance, meeting):
    item = AgendaItemFactory(meeting=meeting)
    meeting.status = Meeting.Status.HELD
    meeting.save()

    with pytest.raises(ValidationError) as error:
        meeting_services.agenda_item_save(
            item=AgendaItem(meeting=meeting, title="Myöhässä"),
            by=alliance.users["staff"],
        )
    assert error.value.code == "agenda_closed"
    with pytest.raises(ValidationError):
        meeting_services.agenda_item_move(
            item=item, direction="up", by=alliance.users["staff"]
        )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_attachments_are_checked_by_content_and_served_only_when_visible(
    client, alliance, meeting
):
    item = AgendaItemFactory(meeting=meeting)
    staff = alliance.users["staff"]
    attachment = meeting_services.agenda_attachment_add(
        item=item,
        title="Taustamuistio",
        upload=SimpleUploadedFile("muistio.pdf", PDF_BYTES, "application/pdf"),
        by=staff,
    )
    meeting_services.agenda_attachment_add(
        item=item,
        title="Kaavio",
        upload=SimpleUploadedFile("kaavio.png", _png(), "image/png"),
        by=staff,
    )
    for name, content, code in [
        ("ohjelma.exe", b"MZ\x90\x00", "type_not_allowed"),
        ("naamioitu.pdf", _png(), "extension_mismatch"),
    ]:
        with pytest.raises(ValidationError) as error:
            meeting_services.agenda_attachment_add(
                item=item,
                title="",
                upload=SimpleUploadedFile(name, content),
                by=staff,
            )
        assert error.value.code == code
    assert AgendaAttachment.objects.count() == 2

    url = reverse("meetings:agenda_attachment_download", args=[attachment.pk])
    client.force_login(staff)
    response = client.get(url)
    assert assert_private_download(response, filename="muistio.pdf") == PDF_BYTES
    # Not in a published agenda yet: other roles do not see it.
    client.force_login(alliance.users["observer"])
    assert client.get(url).status_code == 404

    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])

    assert client.get(url).status_code == 200
    client.force_login(alliance.users["none"])
    assert client.get(url).status_code == 403


def test_attachment_upload_page_refuses_a_wrong_type(client, alliance, meeting):
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(alliance.users["staff"])
    url = reverse("meetings:agenda_attachment_add", args=[item.pk])

    response = client.post(
        url, {"title": "", "file": SimpleUploadedFile("x.txt", b"hello")}
    )

    assert response.status_code == 400
    assert not AgendaAttachment.objects.exists()
    response = client.post(
        url, {"title": "", "file": SimpleUploadedFile("muistio.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    assert AgendaAttachment.objects.get().title == "muistio.pdf"


@pytest.mark.parametrize(
    "content",
    [docx_bytes(macros=True), docx_bytes(macro_content_type=True)],
    ids=["vba-project-part", "macro-enabled-content-type"],
)
def test_a_macro_enabled_document_is_refused_as_an_agenda_attachment(
    client, alliance, meeting, content
):
    item = AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError) as refused:
        meeting_services.agenda_attachment_add(
            item=item,
            title="",
            upload=SimpleUploadedFile("makrot.docx", content),
            by=alliance.users["staff"],
        )
    assert refused.value.code == "macros_not_allowed"

    client.force_login(alliance.users["staff"])
    response = client.post(
        reverse("meetings:agenda_attachment_add", args=[item.pk]),
        {"title": "", "file": SimpleUploadedFile("makrot.docx", content)},
    )
    assert response.status_code == 400
    assert not AgendaAttachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_an_agenda_attachment_over_the_limit_in_settings_is_refused(
    client, alliance, meeting
):
    item = AgendaItemFactory(meeting=meeting)
    small = PDF_BYTES + b"\x00" * (1024 - len(PDF_BYTES))
    large = PDF_BYTES + b"\x00" * (1025 - len(PDF_BYTES))
    with pytest.raises(ValidationError) as refused:
        meeting_services.agenda_attachment_add(
            item=item,
            title="",
            upload=SimpleUploadedFile("iso.pdf", large),
            by=alliance.users["staff"],
        )
    assert refused.value.code == "too_large"

    client.force_login(alliance.users["staff"])
    client.cookies["django_language"] = "en"
    url = reverse("meetings:agenda_attachment_add", args=[item.pk])
    page = client.get(url).content.decode()
    assert "at most 1.0\xa0KB" in page
    response = client.post(
        url, {"title": "", "file": SimpleUploadedFile("iso.pdf", large)}
    )
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not AgendaAttachment.objects.exists()

    response = client.post(
        url, {"title": "", "file": SimpleUploadedFile("iso.pdf", small)}
    )
    assert response.status_code == 302
    assert AgendaAttachment.objects.get().size == 1024


def test_each_item_has_its_own_action_names_on_one_row(client, alliance, meeting):
    staff = alliance.users["staff"]
    meeting_services.agenda_item_save(
        item=AgendaItem(meeting=meeting, title="Teemat"), by=staff
    )
    meeting_services.agenda_standard_items_add(meeting=meeting, by=staff)
    client.force_login(staff)

    page = client.get(reverse("meetings:agenda_builder", args=[meeting.pk]))

    html = page.content.decode()
    # A form inside a <p> closes the paragraph, and each button fell on its own line.
    assert '<p class="inline-actions">' not in html
    assert 'aria-label="Poista Teemat esityslistalta"' in html
    assert 'aria-label="Poista Kokouksen avaus esityslistalta"' in html
    assert 'aria-label="Muokkaa: Teemat"' in html
    # A standard item's title is not repeated in its badge.
    assert '<span class="badge">Kokouksen avaus</span>' not in html
    assert html.count('<span class="badge">vakiokohta</span>') == 5


def _stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return (
        [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
    )


def test_a_long_file_name_is_shortened_to_the_fields_and_stored(
    client, alliance, meeting, settings
):
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(alliance.users["staff"])
    name = "Pöytäkirjan liite " + "x" * 228 + ".pdf"
    assert len(name) == 250

    response = client.post(
        reverse("meetings:agenda_attachment_add", args=[item.pk]),
        {"title": "", "file": SimpleUploadedFile(name, PDF_BYTES)},
    )

    assert response.status_code == 302
    attachment = AgendaAttachment.objects.get()
    assert len(attachment.title) == 200
    assert attachment.title.startswith("Pöytäkirjan liite ")
    assert attachment.title.endswith(".pdf")
    assert attachment.filename.endswith(".pdf")
    assert len(attachment.file.name) <= 300
    assert attachment.file.read() == PDF_BYTES
    assert len(_stored_files(settings)) == 1


def test_a_failed_save_leaves_no_file_on_disk(alliance, meeting, settings, monkeypatch):
    item = AgendaItemFactory(meeting=meeting)

    def refuse(*args, **kwargs):
        raise DatabaseError("refused by the database")

    monkeypatch.setattr(AgendaAttachment, "save", refuse)
    with pytest.raises(DatabaseError):
        meeting_services.agenda_attachment_add(
            item=item,
            title="",
            upload=SimpleUploadedFile("muistio.pdf", PDF_BYTES),
            by=alliance.users["staff"],
        )

    assert not AgendaAttachment.objects.exists()
    assert _stored_files(settings) == []


@override_settings(ATTACHMENT_MAX_BYTES=1024, MONITORING_IMPORT_MAX_BYTES=1024)
def test_an_agenda_attachment_far_over_the_limit_is_not_read_to_its_end(
    client, alliance, meeting, settings, monkeypatch
):
    received = []
    receive = UploadLimitHandler.receive_data_chunk

    def recording(handler, raw_data, start):
        received.append(start + len(raw_data))
        return receive(handler, raw_data, start)

    monkeypatch.setattr(UploadLimitHandler, "receive_data_chunk", recording)
    item = AgendaItemFactory(meeting=meeting)
    limit = 1024 + UploadLimitHandler.margin_bytes
    chunk = 64 * 1024  # the parser's chunk
    client.force_login(alliance.users["staff"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:agenda_attachment_add", args=[item.pk]),
        {
            "title": "Liite",
            "file": SimpleUploadedFile(
                "iso.pdf", PDF_BYTES + b"\x00" * (limit + 4 * chunk)
            ),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert "The file is larger than 1.0\xa0KB" in page
    assert "This field is required" not in page
    assert 'value="Liite"' in page
    assert max(received) <= limit + chunk
    assert not AgendaAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
