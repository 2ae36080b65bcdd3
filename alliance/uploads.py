"""Stored files: what may be uploaded, and how every stored file is sent back.

An upload is checked by its content, not by its name. The `filetype` library recognises
the file from its first bytes. DOCX, XLSX and ODT are ZIP archives, so for them the
archive's own table of contents must also show the parts that make it that kind of
document: a renamed ZIP archive, or any other archive, is refused, and so is an Office
document that carries macros. The name's extension must agree with the content, so that
no one downloads a file that opens as something else than its name says.

An upload far over the limit is not read to its end: `UploadLimitHandler` stops taking
in its bytes, and `uploaded_files` hands the form a stand-in that the field refuses with
the limit, so the person sees why at the field.

Every stored file, uploaded or generated, goes back to the browser through
`download_response`, and every file built for a request through `download_headers`: as
a download that is neither cached nor run as a page of the site.
"""

import lzma
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.functional import lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# filetype reads this much of the beginning of a file.
HEAD_BYTES = 8192
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Parts and content types that only macro-enabled Office documents have (.docm, .xlsm).
_MACRO_PART_SUFFIX = "vbaproject.bin"
_MACRO_CONTENT_TYPE_MARKERS = (b"macroenabled", b"vbaproject")
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# An Office document unpacks to a few times its size; an archive that claims to unpack
# to more than this many times the upload limit is a zip bomb, not a document. zipfile
# reads no more than the sizes the archive declares, so the bound holds when it is read.
UNPACKED_RATIO = 10
# The longest name of a file most file systems allow, in bytes.
FILENAME_MAX_BYTES = 255


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    extensions: frozenset[str]
    # For ZIP-based documents: parts the archive must contain.
    required_parts: tuple[str, ...] = ()
    # For OpenDocument: the content of the archive's first part, "mimetype".
    opendocument_mimetype: str = ""


PDF = Kind("pdf", "application/pdf", frozenset({"pdf"}))
PNG = Kind("png", "image/png", frozenset({"png"}))
JPEG = Kind("jpg", "image/jpeg", frozenset({"jpg", "jpeg"}))
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    frozenset({"docx"}),
    required_parts=("[Content_Types].xml", "word/document.xml"),
)
XLSX = Kind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    frozenset({"xlsx"}),
    required_parts=("[Content_Types].xml", "xl/workbook.xml"),
)
ODT = Kind(
    "odt",
    "application/vnd.oasis.opendocument.text",
    frozenset({"odt"}),
    required_parts=("mimetype", "content.xml"),
    opendocument_mimetype="application/vnd.oasis.opendocument.text",
)
ALLOWED_KINDS = (PDF, DOCX, XLSX, ODT, PNG, JPEG)
_BY_CONTENT_TYPE = {kind.content_type: kind for kind in ALLOWED_KINDS}
_ZIP_KINDS = (DOCX, XLSX, ODT)
_ZIP_CONTENT_TYPE = "application/zip"


def attachment_max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def upload_max_bytes() -> int:
    """Return the size of the largest file that any form of the site accepts."""
    return max(attachment_max_bytes(), settings.MONITORING_IMPORT_MAX_BYTES)


class CutOffUpload(UploadedFile):
    """A file that `UploadLimitHandler` stopped reading; none of it is kept."""

    def __init__(self, *, name: str, received: int):
        super().__init__(file=None, name=name, size=received)


class UploadLimitHandler(FileUploadHandler):
    """Stop reading a request once a file in it is past the largest allowed size.

    Placed first in FILE_UPLOAD_HANDLERS. A few bytes over the limit still reach the
    field, which names the file's exact size; beyond that margin the upload stops
    without resetting the connection, so that the response reaches the person. The
    handlers after this one drop what they had stored of the file.
    """

    # One chunk of the parser (64 KiB) over the limit.
    margin_bytes = 64 * 1024

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.limit = upload_max_bytes() + self.margin_bytes

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > self.limit:
            self.request.upload_cut_off = CutOffUpload(
                name=self.file_name or "", received=received
            )
            self.request.upload_cut_off_field = self.field_name
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        # The next handler builds the file.
        return None


def uploaded_files(request) -> MultiValueDict:
    """Return the request's files, a file stopped at the limit as a `CutOffUpload`.

    Forms with an `AttachmentField` get their files from here, so that a file that was
    too large to read is refused for its size, not as missing.
    """
    files = request.FILES.copy()
    cut_off = getattr(request, "upload_cut_off", None)
    if cut_off is not None:
        files[request.upload_cut_off_field] = cut_off
    return files


def allowed_extensions() -> list[str]:
    return sorted({ext for kind in ALLOWED_KINDS for ext in kind.extensions})


# What zipfile raises on an archive crafted to break it: encrypted parts, unknown
# compression methods, corrupt compressed data. Such a file is simply not allowed.
UNREADABLE_ARCHIVE = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    KeyError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
)


def _has_macros(archive: zipfile.ZipFile, names: list[str]) -> bool:
    """Tell whether an Office archive is a macro-enabled document (even renamed)."""
    if any(name.lower().endswith(_MACRO_PART_SUFFIX) for name in names):
        return True
    if "[Content_Types].xml" not in names:
        return False
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _CONTENT_TYPES_MAX_BYTES:
        # Not an honest table of content types: do not unpack it.
        return True
    content_types = archive.read(info).lower()
    return any(marker in content_types for marker in _MACRO_CONTENT_TYPE_MARKERS)


def _macros_not_allowed() -> ValidationError:
    return ValidationError(
        _(
            "Documents with macros cannot be attached. Save the document without "
            "macros (as .docx or .xlsx) and attach it again."
        ),
        code="macros_not_allowed",
    )


def _too_large_unpacked(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "The file unpacks to more than %(limit)s. Save it again without unused "
            "sheets or images, or split it into smaller files."
        ),
        code="too_large_unpacked",
        params={"limit": filesizeformat(limit)},
    )


def _zip_kind(upload, *, unpacked_limit: int) -> Kind | None:
    """Return the document kind whose parts the ZIP archive holds, or None.

    Raise ValidationError when the archive is a macro-enabled Office document or
    declares more than `unpacked_limit` bytes of content.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > unpacked_limit:
                raise _too_large_unpacked(unpacked_limit)
            names = archive.namelist()
            if _has_macros(archive, names):
                raise _macros_not_allowed()
            for kind in _ZIP_KINDS:
                if not all(part in names for part in kind.required_parts):
                    continue
                if kind.opendocument_mimetype:
                    # The first part, stored uncompressed, names the document type.
                    first = archive.infolist()[0]
                    if first.filename != "mimetype" or first.file_size > 200:
                        continue
                    if archive.read(first).decode("ascii", "replace").strip() != (
                        kind.opendocument_mimetype
                    ):
                        continue
                return kind
    except UNREADABLE_ARCHIVE:
        return None
    finally:
        upload.seek(0)
    return None


def _not_allowed() -> ValidationError:
    return ValidationError(
        _(
            "This type of file cannot be attached. Attach a PDF, DOCX, XLSX or ODT "
            "document or a PNG or JPEG image."
        ),
        code="type_not_allowed",
    )


def attachment_check(*, upload, max_bytes: int | None = None) -> Kind:
    """Return the kind of an uploaded file, or raise ValidationError with a code.

    `upload` is a file object with `name` and `size` (a Django `UploadedFile`). Its
    position is left at the start. `max_bytes` is the size limit (by default the
    attachments' one); a ZIP-based document may unpack to UNPACKED_RATIO times it.
    """
    limit = attachment_max_bytes() if max_bytes is None else max_bytes
    if isinstance(upload, CutOffUpload):
        # Only the beginning of the file was read: its size is not known.
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large: %(size)s. The largest allowed is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size or 0),
                "limit": filesizeformat(limit),
            },
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = filetype.guess(head)
    kind = _BY_CONTENT_TYPE.get(detected.mime) if detected else None
    if kind in _ZIP_KINDS or (detected and detected.mime == _ZIP_CONTENT_TYPE):
        # filetype looks only at the first entries; the archive's table decides.
        kind = _zip_kind(upload, unpacked_limit=limit * UNPACKED_RATIO)
    if kind is None:
        raise _not_allowed()
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file's content does not match its name: it is a %(kind)s file. "
                "Rename it to end in .%(extension)s, or attach the right file."
            ),
            code="extension_mismatch",
            params={"kind": kind.extension.upper(), "extension": kind.extension},
        )
    return kind


def validate_attachment(upload) -> None:
    """Refuse an upload that `attachment_check` refuses (a form field validator)."""
    attachment_check(upload=upload)


def _attachment_help_text() -> str:
    return _(
        "A PDF, DOCX, XLSX or ODT document or a PNG or JPEG image, at most %(limit)s."
    ) % {"limit": filesizeformat(attachment_max_bytes())}


class AttachmentField(forms.FileField):
    """A file field that accepts only what `attachment_check` accepts.

    The help text names the limit in force when the form is shown, not when the
    module was imported.
    """

    default_validators = [validate_attachment]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("File"))
        kwargs.setdefault("help_text", lazy(_attachment_help_text, str)())
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(
            "." + extension for extension in allowed_extensions()
        )
        return attrs


def safe_filename(name: str, *, default: str = "download") -> str:
    """Return the last part of `name` without control characters or quotes."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        character
        for character in name
        if unicodedata.category(character)[0] != "C" and character not in '"<>'
    ).strip(" .")
    return name or default


def filename_shortened(name: str, *, max_length: int) -> str:
    """Return the last part of `name`, cut to `max_length` characters, extension kept.

    A long name is shortened rather than refused: the person chose the file, not its
    name. The result also fits in FILENAME_MAX_BYTES of UTF-8, so that it can be
    stored; the extension stays, as the content check and the download read it.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    if not stem:
        stem, dot, extension = name, "", ""
    suffix = dot + extension
    stem_length = max_length - len(suffix)
    stem_bytes = FILENAME_MAX_BYTES - len(suffix.encode())
    if stem_length < 1 or stem_bytes < 1:
        # An "extension" that long is no extension.
        stem, suffix = name, ""
        stem_length, stem_bytes = max_length, FILENAME_MAX_BYTES
    stem = stem[:stem_length].encode()[:stem_bytes].decode("utf-8", "ignore")
    return stem + suffix


@contextmanager
def file_removed_on_failure(field_file):
    """Remove the file stored in `field_file` when the block fails.

    A file is stored before its row is saved; a refused or failed save would
    otherwise leave a file on disk that nothing refers to.
    """
    try:
        yield
    except BaseException:
        if field_file.name:
            field_file.storage.delete(field_file.name)
        raise


def download_headers(response, *, filename: str, audit_kind: str = "download"):
    """Mark `response` as a download that the browser neither caches nor runs.

    Every file the site sends, stored or built for the request (exports, .ics), goes
    out with these headers.
    """
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=safe_filename(filename)
    )
    # Files may be confidential: no copies in shared or browser caches.
    response["Cache-Control"] = "private, no-store"
    # Nothing in a downloaded file may load anything or run as a page of this site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    # What `alliance.audit.DownloadAuditMiddleware` records it as.
    response.audit_kind = audit_kind
    return response


def download_response(file, *, filename: str, content_type: str | None = None):
    """Send a stored file as a download (see `download_headers`).

    `file` is an open binary file (a `FieldFile` opened with "rb").
    """
    response = FileResponse(
        file,
        as_attachment=True,
        filename=safe_filename(filename),
        content_type=content_type,
    )
    return download_headers(response, filename=filename)
