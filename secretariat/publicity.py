"""The documents whose publicity the secretariat decides, one kind per model.

Each kind names its rows, who may see one inside the service, and the files the
public page may hand out of one once it is public. The publicity record itself is
`alliance.Publicity`, shared by every app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.models import Job
from alliance.services import JobError
from secretariat import document_services, documents
from secretariat.meetings import permissions as meeting_rules
from secretariat.meetings.models import AgendaAttachment, AgendaVersion, Meeting
from secretariat.models import ModelProposalVersion
from secretariat.permissions import can_request_progress_report
from themes.proposals.models import ProposalAttachment
from themes.proposals.permissions import can_view_proposal


@dataclass(frozen=True)
class PublicFile:
    file: models.fields.files.FieldFile
    filename: str
    content_type: str | None = None


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    label: str
    rows: Callable[[], models.QuerySet]
    may_see: Callable[[object, models.Model], bool]
    title: Callable[[models.Model], str]
    # The variants of a public document that can be downloaded (a language, a format).
    variants: Callable[[models.Model], list[str]]
    public_file: Callable[[models.Model, str], PublicFile | None]


def _stored(field_file, *, filename: str = "", content_type=None) -> PublicFile | None:
    if not field_file or not default_storage.exists(field_file.name):
        return None
    name = filename or field_file.name.rsplit("/", 1)[-1]
    return PublicFile(file=field_file, filename=name, content_type=content_type)


def _meeting_pdf(meeting: Meeting, name: str, language: str, version: int | None):
    """The stored PDF of a meeting's document as it reads now, if one was made."""
    if language not in {"fi", "sv"}:
        return None
    try:
        built = documents.document_build(
            name=name, meeting=meeting, version_number=version, language=language
        )
    except JobError:
        return None
    job = document_services.stored_job(built.content_key)
    if job is None:
        return None
    return _stored(job.result, filename=built.filename, content_type="application/pdf")


def _made_in(document, public_file) -> list[str]:
    """The languages in which a meeting's document has been made as a PDF."""
    return [
        language
        for language in ("fi", "sv")
        if public_file(document, language) is not None
    ]


def _agenda_version_file(version: AgendaVersion, variant: str):
    return _meeting_pdf(version.meeting, "agenda", variant, version.number)


def _minutes_file(meeting: Meeting, variant: str):
    return _meeting_pdf(meeting, "minutes", variant, None)


def _attachment_file(attachment: AgendaAttachment, variant: str):
    if variant != "file":
        return None
    return _stored(attachment.file, content_type=attachment.content_type)


def _proposal_version_file(version: ModelProposalVersion, variant: str):
    stored = version.files.filter(format=variant).first()
    return _stored(stored.file) if stored is not None else None


def _progress_report_file(job: Job, variant: str):
    if variant != "file":
        return None
    return _stored(job.result, content_type="application/pdf")


def _proposal_attachment_file(attachment: ProposalAttachment, variant: str):
    if variant != "file":
        return None
    return _stored(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


KINDS = {
    kind.slug: kind
    for kind in [
        DocumentKind(
            slug="agenda_version",
            label=_("Agenda"),
            rows=lambda: AgendaVersion.objects.select_related("meeting__body"),
            may_see=lambda user, version: meeting_rules.can_view_meetings(user),
            title=str,
            variants=lambda version: _made_in(version, _agenda_version_file),
            public_file=_agenda_version_file,
        ),
        DocumentKind(
            slug="minutes",
            label=_("Minutes"),
            rows=lambda: Meeting.objects.select_related("body").filter(
                status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED]
            ),
            may_see=meeting_rules.can_see_minutes,
            title=str,
            variants=lambda meeting: _made_in(meeting, _minutes_file),
            public_file=_minutes_file,
        ),
        DocumentKind(
            slug="agenda_attachment",
            label=_("Attachment of an agenda item"),
            rows=lambda: AgendaAttachment.objects.select_related("item__meeting"),
            may_see=lambda user, attachment: meeting_rules.can_prepare_meetings(user),
            title=lambda attachment: f"{attachment.item.meeting}: {attachment.title}",
            variants=lambda attachment: ["file"],
            public_file=_attachment_file,
        ),
        DocumentKind(
            slug="proposal_version",
            label=_("Final version of the proposal"),
            rows=lambda: ModelProposalVersion.objects.all(),
            may_see=lambda user, version: True,
            title=str,
            variants=lambda version: [stored.format for stored in version.files.all()],
            public_file=_proposal_version_file,
        ),
        DocumentKind(
            slug="progress_report",
            label=_("Progress report"),
            rows=lambda: Job.objects.filter(
                kind=document_services.PROGRESS_REPORT_KIND, state=Job.State.DONE
            ).exclude(result=""),
            may_see=lambda user, job: can_request_progress_report(user),
            title=lambda job: job.result.name.rsplit("/", 1)[-1],
            variants=lambda job: ["file"],
            public_file=_progress_report_file,
        ),
        DocumentKind(
            slug="proposal_attachment",
            label=_("Attachment of a theme proposal"),
            rows=lambda: ProposalAttachment.objects.select_related("proposal__city"),
            may_see=lambda user, attachment: can_view_proposal(
                user, attachment.proposal
            ),
            title=lambda attachment: attachment.original_name,
            variants=lambda attachment: ["file"],
            public_file=_proposal_attachment_file,
        ),
    ]
}


def document_get(*, kind: str, pk: int) -> tuple[DocumentKind, models.Model] | None:
    found = KINDS.get(kind)
    if found is None:
        return None
    document = found.rows().filter(pk=pk).first()
    return (found, document) if document is not None else None
