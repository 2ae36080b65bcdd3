"""The people, cities and proposals of the proposal tests.

Proposals in a given status are made through the same services that users trigger, so
that each carries the steps that led to it.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import Organisation, User
from tests.factories import cast_create
from tests.members.factories import standard_organisations_create
from tests.themes.factories import ThemeFactory
from themes.models import Theme
from themes.proposals import services as services
from themes.proposals.models import ThemeProposal

Status = ThemeProposal.Status


@dataclass
class World:
    cities: dict[str, Organisation]
    users: dict[str, User]
    theme: Theme

    def role(self, name: str) -> User:
        return self.users[ROLE_USERS[name]]


# The user who plays each role in the tests.
ROLE_USERS = {
    "own_city": "nyholm",
    "other_city": "ferm",
    "staff": "voutilainen",
    "chair": "palonen",
    "observer": "observer",
}


def proposal_world_create() -> World:
    """Create the ten organisations, the role groups, the cast and one theme."""
    cities = standard_organisations_create()
    users = cast_create()
    theme = ThemeFactory(title="Työllisyys", lead_organisation=cities["tem"])
    return World(cities=cities, users=users, theme=theme)


# The path of steps to each status: (to_status, acting user, keyword arguments).
_PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [(Status.SUBMITTED, "city", {})],
    Status.UNDER_REVIEW: [
        (Status.SUBMITTED, "city", {}),
        (Status.UNDER_REVIEW, "voutilainen", {}),
    ],
    Status.RETURNED: [
        (Status.SUBMITTED, "city", {}),
        (Status.UNDER_REVIEW, "voutilainen", {}),
        (Status.RETURNED, "voutilainen", {"note": "Tarkentakaa vaikutuksia."}),
    ],
    Status.ACCEPTED: [
        (Status.SUBMITTED, "city", {}),
        (Status.UNDER_REVIEW, "voutilainen", {}),
        (Status.ACCEPTED, "voutilainen", {"theme": "theme"}),
    ],
    Status.REJECTED: [
        (Status.SUBMITTED, "city", {}),
        (Status.UNDER_REVIEW, "voutilainen", {}),
        (Status.REJECTED, "voutilainen", {"note": "Ei kuulu allianssin teemoihin."}),
    ],
}
_CITY_AUTHORS = {"helsinki": "nyholm", "espoo": "ferm", "tampere": "keskinen"}


def proposal_in_status(
    world: World, status: str, *, city: str = "helsinki", title: str = ""
) -> ThemeProposal:
    """Create a proposal of `city` and take it through the steps to `status`."""
    author = world.users[_CITY_AUTHORS[city]]
    proposal = services.proposal_create(
        city=world.cities[city],
        by=author,
        title=title or f"Ehdotus ({status})",
        rationale="Perustelut.",
        proposed_measures="Ensimmäinen toimenpide\nToinen toimenpide",
        expected_impact="Vaikutukset.",
        theme=world.theme,
    )
    for to_status, who, arguments in _PATHS[status]:
        by = author if who == "city" else world.users[who]
        arguments = {
            key: world.theme if value == "theme" else value
            for key, value in arguments.items()
        }
        proposal = services.proposal_transition(
            proposal=proposal, to_status=to_status, by=by, **arguments
        )
    return proposal


class ThemeProposalFactory(factory.django.DjangoModelFactory):
    """A proposal row as such, without its steps: for lists of many rows."""

    class Meta:
        model = ThemeProposal

    title = factory.Sequence(lambda n: f"Ehdotus {n}")
    rationale = "Perustelut."
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


# Files


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _zip(entries: list[tuple[str, bytes]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            compress = (
                zipfile.ZIP_STORED
                if first_stored and index == 0
                else zipfile.ZIP_DEFLATED
            )
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False, macro_content_type: bool = False) -> bytes:
    """A minimal DOCX; with `macros` it carries a VBA project, with
    `macro_content_type` it declares itself macro-enabled (.docm) without one."""
    content_types = (
        b'<Types><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
        if macro_content_type
        else b"<Types/>"
    )
    entries = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    ]
    if macros:
        entries.append(("word/vbaProject.bin", b"\x00" * 64))
    return _zip(entries)


def xlsx_bytes() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def odt_bytes() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest/>"),
        ],
        first_stored=True,
    )


def plain_zip_bytes() -> bytes:
    return _zip([("readme.txt", b"hello"), ("data.csv", b"a,b\n1,2\n")])


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 47, 108)).save(buffer, format=kind)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows executable (the MZ and PE headers)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 50
        + b"PE\x00\x00"
    )


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 60


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


FIXED_NOW = timezone.make_aware(datetime.datetime(2023, 10, 16, 10, 0))
