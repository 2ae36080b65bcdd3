import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.uploads import attachment_check, filename_shortened, safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("selvitys.pdf", "selvitys.pdf"),
        ("jobs/2026/12/esityslista.pdf", "esityslista.pdf"),
        ("C:\\Users\\x\\muistio.docx", "muistio.docx"),
        ('a"b\r\nSet-Cookie: x.pdf', "abSet-Cookie: x.pdf"),
        ("Äänestys <1>.pdf", "Äänestys 1.pdf"),
        ("../..", "download"),
        ("", "download"),
    ],
)
def test_a_download_name_keeps_only_a_harmless_last_part(name, safe):
    assert safe_filename(name) == safe


def _docx_with_broken_content_types(breakage: str) -> bytes:
    """A DOCX whose [Content_Types].xml is crafted so that zipfile cannot read it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>" * 20)
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    data = bytearray(buffer.getvalue())
    name = b"[Content_Types].xml"
    header = data.index(b"PK\x03\x04" + b"\x14\x00")
    central = data.index(b"PK\x01\x02")
    if breakage == "encrypted":
        data[header + 6] |= 0x01
        data[central + 8] |= 0x01
    elif breakage == "unknown_method":
        data[header + 8 : header + 10] = (99).to_bytes(2, "little")
        data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    else:
        start = header + 30 + len(name)
        data[start : start + 4] = b"\xff\xff\xff\xff"
    return bytes(data)


@pytest.mark.parametrize("breakage", ["encrypted", "unknown_method", "corrupt"])
def test_an_archive_crafted_to_break_the_reader_is_refused_not_a_crash(breakage):
    upload = SimpleUploadedFile(
        "muistio.docx", _docx_with_broken_content_types(breakage)
    )

    with pytest.raises(ValidationError) as refusal:
        attachment_check(upload=upload)

    assert refusal.value.code == "type_not_allowed"


@pytest.mark.parametrize(
    ("name", "max_length", "shortened"),
    [
        ("muistio.pdf", 200, "muistio.pdf"),
        ("a" * 250 + ".pdf", 200, "a" * 196 + ".pdf"),
        ("kansio/" + "b" * 30 + ".docx", 10, "bbbbb.docx"),
        # Within the characters, but not within the bytes a file system allows.
        ("ä" * 200 + ".pdf", 243, "ä" * 125 + ".pdf"),
        ("nimi." + "x" * 300, 50, "nimi." + "x" * 45),
        ("ilman-paatetta", 5, "ilman"),
    ],
)
def test_a_long_file_name_is_shortened_with_its_extension(name, max_length, shortened):
    result = filename_shortened(name, max_length=max_length)
    assert result == shortened
    assert len(result) <= max_length
    assert len(result.encode()) <= 255
