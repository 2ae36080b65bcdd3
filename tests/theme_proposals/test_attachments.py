"""Attachments: checked by content, limited in size, stored only when allowed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.uploads import DEFAULT_MAX_BYTES, UploadLimitHandler, attachment_check
from tests.downloads import assert_private_download
from tests.theme_proposals.factories import (
    docx_bytes,
    elf_bytes,
    exe_bytes,
    image_bytes,
    odt_bytes,
    pdf_bytes,
    plain_zip_bytes,
    proposal_in_status,
    upload,
    xlsx_bytes,
)
from themes.proposals import services as services
from themes.proposals.models import ProposalAttachment, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status


@pytest.fixture
def draft(world):
    return proposal_in_status(world, Status.DRAFT)


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


ALLOWED = [
    ("selvitys.pdf", pdf_bytes, "application/pdf"),
    ("Selvitys.PDF", pdf_bytes, "application/pdf"),
    (
        "muistio.docx",
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "luvut.xlsx",
        xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("muistio.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
    ("kaavio.png", lambda: image_bytes("PNG"), "image/png"),
    ("kuva.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("kuva.jpeg", lambda: image_bytes("JPEG"), "image/jpeg"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED)
def test_allowed_files_are_stored_under_a_random_name(
    world, draft, settings, name, content, content_type
):
    data = content()

    attachment = services.proposal_attachment_add(
        proposal=draft, upload=upload(name, data), by=world.users["nyholm"]
    )

    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    assert attachment.uploaded_by == world.users["nyholm"]
    stored = attachment.file.name
    assert stored.startswith("theme-proposals/")
    assert name.rsplit(".", 1)[0] not in stored
    assert len(stored.split("/")[-1].split(".")[0]) == 32
    with attachment.file.open("rb") as handle:
        assert handle.read() == data
    assert _stored_files(settings) != []


REFUSED = [
    ("muistiinpanot.txt", lambda: b"Pelkkaa tekstia.\n" * 10, "type_not_allowed"),
    ("kuva.gif", lambda: b"GIF89a" + b"\x00" * 40, "type_not_allowed"),
    ("ohjelma.pdf", exe_bytes, "type_not_allowed"),
    ("ohjelma.exe", exe_bytes, "type_not_allowed"),
    ("ohjelma.pdf", elf_bytes, "type_not_allowed"),
    ("paketti.docx", plain_zip_bytes, "type_not_allowed"),
    ("paketti.zip", plain_zip_bytes, "type_not_allowed"),
    ("makrot.docx", lambda: docx_bytes(macros=True), "macros_not_allowed"),
    (
        "makrot.docx",
        lambda: docx_bytes(macro_content_type=True),
        "macros_not_allowed",
    ),
    ("sivu.pdf", lambda: b"<html><script>alert(1)</script></html>", "type_not_allowed"),
    ("kaavio.pdf", lambda: image_bytes("PNG"), "extension_mismatch"),
    ("selvitys.docx", pdf_bytes, "extension_mismatch"),
    ("selvitys", pdf_bytes, "extension_mismatch"),
    ("tyhja.pdf", lambda: b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "code"), REFUSED)
def test_wrong_files_are_refused_and_nothing_is_stored(
    world, draft, settings, name, content, code
):
    with pytest.raises(ValidationError) as refused:
        services.proposal_attachment_add(
            proposal=draft, upload=upload(name, content()), by=world.users["nyholm"]
        )

    assert refused.value.code == code
    assert not ProposalAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_the_limit_is_20_mb_by_default(settings):
    assert settings.ATTACHMENT_MAX_BYTES == DEFAULT_MAX_BYTES
    data = pdf_bytes()
    exactly = upload("iso.pdf", data + b"\x00" * (DEFAULT_MAX_BYTES - len(data)))
    over = upload("liian-iso.pdf", data + b"\x00" * (DEFAULT_MAX_BYTES + 1 - len(data)))

    assert attachment_check(upload=exactly).extension == "pdf"
    with pytest.raises(ValidationError) as refused:
        attachment_check(upload=over)
    assert refused.value.code == "too_large"


def test_an_oversize_file_is_refused_with_a_message_next_to_the_field(
    client, world, draft, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(world.users["nyholm"])
    with translation_en(client):
        response = client.post(
            reverse("theme_proposals:proposal_attachment_add", args=[draft.pk]),
            {"file": upload("iso.pdf", pdf_bytes() + b"\x00" * 2000)},
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert "The file is too large" in page
    assert "1.0\xa0KB" in page
    assert not ProposalAttachment.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ohjelma.pdf", exe_bytes, "This type of file cannot be attached"),
        ("paketti.docx", plain_zip_bytes, "This type of file cannot be attached"),
        (
            "muistiinpanot.txt",
            lambda: b"tekstia",
            "This type of file cannot be attached",
        ),
        ("kaavio.pdf", lambda: image_bytes("PNG"), "does not match its name"),
    ],
)
def test_the_view_shows_why_a_file_was_refused(
    client, world, draft, settings, name, content, message
):
    client.force_login(world.users["nyholm"])
    with translation_en(client):
        response = client.post(
            reverse("theme_proposals:proposal_attachment_add", args=[draft.pk]),
            {"file": upload(name, content())},
        )

    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('id="id_file_error"') :]
    assert message in errors[: errors.index("</div>")]
    assert not ProposalAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_htmx_gets_the_attachments_section_back(client, world, draft):
    client.force_login(world.users["nyholm"])

    response = client.post(
        reverse("theme_proposals:proposal_attachment_add", args=[draft.pk]),
        {"file": upload("selvitys.pdf", pdf_bytes())},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<section class="proposal-attachments" id="attachments"')
    assert "selvitys.pdf" in page
    assert "<html" not in page
    assert draft.attachments.count() == 1


def test_a_plain_form_post_returns_to_the_proposal(client, world, draft):
    client.force_login(world.users["nyholm"])

    response = client.post(
        reverse("theme_proposals:proposal_attachment_add", args=[draft.pk]),
        {"file": upload("selvitys.pdf", pdf_bytes())},
    )

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url() + "#attachments"
    assert draft.attachments.get().original_name == "selvitys.pdf"


def test_removing_an_attachment_removes_its_file_after_commit(
    client, world, draft, settings, django_capture_on_commit_callbacks
):
    attachment = services.proposal_attachment_add(
        proposal=draft, upload=upload("selvitys.pdf", pdf_bytes()), by=draft.author
    )
    client.force_login(world.users["nyholm"])
    url = reverse(
        "theme_proposals:proposal_attachment_delete", args=[draft.pk, attachment.pk]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not ProposalAttachment.objects.exists()
    assert _stored_files(settings) == []
    deletion = attachment.history.filter(history_type="-").get()
    assert deletion.history_user == world.users["nyholm"]


def test_a_download_never_goes_through_a_public_media_address(client, world, draft):
    attachment = services.proposal_attachment_add(
        proposal=draft, upload=upload("selvitys.pdf", pdf_bytes()), by=draft.author
    )
    client.force_login(world.users["nyholm"])

    page = client.get(draft.get_absolute_url()).content.decode()

    assert attachment.file.name not in page
    assert "/media/" not in page
    download = reverse(
        "theme_proposals:proposal_attachment_download", args=[draft.pk, attachment.pk]
    )
    assert download in page
    response = client.get(download)
    assert assert_private_download(response, filename="selvitys.pdf") == pdf_bytes()


class translation_en:
    """Show the pages in English, whatever the catalogues hold."""

    def __init__(self, client):
        self.client = client

    def __enter__(self):
        self.client.cookies["django_language"] = "en"

    def __exit__(self, *exc):
        self.client.cookies.pop("django_language", None)


@pytest.fixture
def bytes_read_by_limit_handler(monkeypatch):
    """Record how many bytes of each file `UploadLimitHandler` was handed."""
    received = []
    receive = UploadLimitHandler.receive_data_chunk

    def recording(handler, raw_data, start):
        received.append(start + len(raw_data))
        return receive(handler, raw_data, start)

    monkeypatch.setattr(UploadLimitHandler, "receive_data_chunk", recording)
    return received


def test_a_file_far_over_the_limit_is_not_read_to_its_end(
    client, world, draft, settings, bytes_read_by_limit_handler
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.MONITORING_IMPORT_MAX_BYTES = 1024
    limit = 1024 + UploadLimitHandler.margin_bytes
    chunk = 64 * 1024  # the parser's chunk
    client.force_login(world.users["nyholm"])
    with translation_en(client):
        response = client.post(
            reverse("theme_proposals:proposal_attachment_add", args=[draft.pk]),
            {"file": upload("iso.pdf", pdf_bytes() + b"\x00" * (limit + 4 * chunk))},
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert "The file is larger than 1.0\xa0KB" in page
    assert "This field is required" not in page
    assert max(bytes_read_by_limit_handler) <= limit + chunk
    assert not ProposalAttachment.objects.exists()
    assert _stored_files(settings) == []
