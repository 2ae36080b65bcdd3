"""Every document of the service, assembled here: its template, header and context.

A document is a template that extends `pdf/base.html` and a context of plain data
(strings, numbers, lists), so that the same content always gives the same key: the
sha256 of the template's name and version and of the context's canonical JSON. The
stored PDF of a key is reused; the PDF bytes themselves carry timestamps and are never
compared.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance import pdf
from alliance.services import JobError
from members.models import Membership, Organisation
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import standard_items
from secretariat.meetings.models import AgendaItem, Attendance, Meeting
from secretariat.selectors import current_appointment

# The document types as Finnish, Swedish and English official documents name them.
DOCUMENT_TYPES = {
    "agenda": {"fi": "Esityslista", "sv": "Föredragningslista", "en": "Agenda"},
    "minutes": {"fi": "Pöytäkirja", "sv": "Protokoll", "en": "Minutes"},
    "progress_report": {
        "fi": "Seurantaraportti",
        "sv": "Uppföljningsrapport",
        "en": "Progress report",
    },
}

# The first word of each document's file name, in its language: ASCII in Finnish, as
# the service has always named its files, the Swedish and English words as they are.
FILE_NAMES = {
    "agenda": {"fi": "esityslista", "sv": "föredragningslista", "en": "agenda"},
    "minutes": {"fi": "poytakirja", "sv": "protokoll", "en": "minutes"},
}
DRAFT_FILE_NAMES = {"fi": "luonnos", "sv": "utkast", "en": "draft"}

# Raise a version when its template changes what the same context prints.
TEMPLATES = {
    "agenda": ("pdf/agenda.html", 3),
    "minutes": ("pdf/minutes.html", 3),
}


@dataclass(frozen=True)
class Document:
    name: str
    template_name: str
    template_version: int
    language: str
    context: dict
    filename: str
    # Served to the template at chart:<key>: objects with .svg() (alliance.charts),
    # drawn from data the context's key already covers.
    charts: Mapping = field(default_factory=dict, compare=False, repr=False)

    @property
    def content_key(self) -> str:
        return content_key(
            template_name=self.template_name,
            template_version=self.template_version,
            context=self.context,
        )


def _document_type(name: str, language: str) -> str:
    names = DOCUMENT_TYPES[name]
    return names.get(language, names["fi"])


def _file_name(name: str, language: str) -> str:
    names = FILE_NAMES[name]
    return names.get(language, names["fi"])


def _draft(language: str) -> str:
    return DRAFT_FILE_NAMES.get(language, DRAFT_FILE_NAMES["fi"])


def content_key(*, template_name: str, template_version: int, context: dict) -> str:
    """Return the sha256 of the template's name and version and the context's JSON."""
    canonical = json.dumps(
        {"template": template_name, "version": template_version, "context": context},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _time(value: datetime) -> str:
    # Finnish government style in every language: 9.00, 13.30.
    return date_format(timezone.localtime(value), "G.i")


def meeting_time_text(starts_at: datetime, ends_at: datetime | None) -> str:
    """Return '12.9.2023 klo 9.00–11.00' in the active language."""
    day = _day(timezone.localtime(starts_at))
    if ends_at is None:
        return _("%(day)s at %(start)s") % {"day": day, "start": _time(starts_at)}
    if timezone.localtime(ends_at).date() != timezone.localtime(starts_at).date():
        # Each end has spaces of its own ("klo"), so the dash between them has spaces.
        start_text = _("%(day)s at %(start)s") % {"day": day, "start": _time(starts_at)}
        end_text = _("%(day)s at %(start)s") % {
            "day": _day(timezone.localtime(ends_at)),
            "start": _time(ends_at),
        }
        return f"{start_text} – {end_text}"
    return _("%(day)s at %(start)s–%(end)s") % {
        "day": day,
        "start": _time(starts_at),
        "end": _time(ends_at),
    }


def document_header(*, document_type: str, number: str, day, unit: str) -> dict:
    """The header of every document: organisation, type, number, date, diary number."""
    appointment = current_appointment()
    if appointment is None:
        raise JobError(_("Load the appointment decision before making documents."))
    organisation: Organisation = appointment.issuer
    language = translation.get_language()
    return {
        "organisation": organisation.official_name_in(language),
        "unit": unit,
        # Bodies have names in Finnish and Swedish only.
        "unit_language": "sv" if language == "sv" else "fi",
        "document_type": document_type.upper(),
        "number": number,
        "date": _day(day),
        "diary_number": appointment.diary_number,
    }


def _body_name(meeting_data: dict, language: str) -> str:
    return (
        meeting_data["body_name_sv"]
        if language == "sv"
        else meeting_data["body_name_fi"]
    )


def _organisation_name(entry: dict, language: str) -> str:
    official = entry.get("organisation_official", {}).get(language)
    if official:
        return official
    return entry["organisation_sv"] if language == "sv" else entry["organisation_fi"]


def _seat_texts(
    *, name_fi: str, title_fi: str, name_sv: str, title_sv: str, language: str
) -> dict:
    """A seat's name (or position) and title as a document in `language` prints
    them, each with the language it is in: Swedish where the seat has it."""
    swedish = language == "sv"
    name_language = "sv" if swedish and name_sv and name_sv != name_fi else "fi"
    title_language = "sv" if swedish and title_sv and title_sv != title_fi else "fi"
    return {
        "name": name_sv if name_language == "sv" else name_fi,
        "name_language": name_language,
        "title": title_sv if title_language == "sv" else title_fi,
        "title_language": title_language,
    }


def _agenda_item(item: dict, language: str) -> dict:
    """A published item as the agenda prints it: standard texts in `language`."""
    title = standard_items.title_text(
        kind=item["kind"], title=item["title"], language=language
    )
    proposal = standard_items.proposal_text(
        kind=item["kind"], proposal=item["decision_proposal"], language=language
    )
    return {
        **item,
        "title": title.text,
        "title_language": title.language,
        "decision_proposal": proposal.text,
        "proposal_language": proposal.language,
    }


def agenda_document(
    *, meeting: Meeting, version_number: int | None = None, language: str = "fi"
) -> Document:
    """The agenda (esityslista): a published version as frozen, or the draft."""
    with translation.override(language):
        if version_number is not None:
            version = meeting.agenda_versions.filter(number=version_number).first()
            if version is None:
                raise JobError(_("That version of the agenda does not exist."))
            content, draft = version.content, False
        else:
            content, draft = meeting_selectors.agenda_content(meeting=meeting), True
        if not content["items"]:
            raise JobError(_("The agenda has no items."))
        data = content["meeting"]
        starts_at = datetime.fromisoformat(data["starts_at"])
        ends_at = datetime.fromisoformat(data["ends_at"]) if data["ends_at"] else None
        number = f"{data['number']}/{timezone.localtime(starts_at).year}"
        body_name = _body_name(data, language)
        document_type = _document_type("agenda", language)
        title = f"{document_type} {number} – {body_name}"
        context = {
            "language": language,
            "title": title,
            "header": document_header(
                document_type=document_type,
                number=number,
                day=timezone.localtime(starts_at).date(),
                unit=body_name,
            ),
            "draft": draft,
            "version": version_number,
            "meeting": {
                "body": body_name,
                "number": number,
                "time": meeting_time_text(starts_at, ends_at),
                "place": data["place"],
                "online_link": data["online_link"],
            },
            "items": [
                _agenda_item(item, language)
                for item in meeting_selectors.numbered_items(content["items"])
            ],
            "distribution": [
                {
                    **_seat_texts(
                        name_fi=entry["name"],
                        title_fi=entry["title"],
                        name_sv=entry.get("name_sv", ""),
                        title_sv=entry.get("title_sv", ""),
                        language=language,
                    ),
                    "organisation": _organisation_name(entry, language),
                }
                for entry in content.get("distribution", [])
            ],
        }
    suffix = f"-v{version_number}" if version_number else f"-{_draft(language)}"
    year = timezone.localtime(starts_at).year
    filename = f"{_file_name('agenda', language)}-{data['number']}-{year}"
    return Document(
        name="agenda",
        template_name=TEMPLATES["agenda"][0],
        template_version=TEMPLATES["agenda"][1],
        language=language,
        context=context,
        filename=f"{filename}{suffix}-{language}.pdf",
    )


def _attendance_rows(attendances: list[Attendance], language: str) -> dict:
    rows = {"present": [], "deputy": [], "absent": []}
    for attendance in attendances:
        membership: Membership = attendance.membership
        organisation = membership.organisation
        rows[attendance.status].append(
            {
                **_seat_texts(
                    name_fi=membership.holder_name_in("fi"),
                    title_fi=membership.title_in("fi"),
                    name_sv=membership.holder_name_in("sv"),
                    title_sv=membership.title_in("sv"),
                    language=language,
                ),
                "role": membership.get_role_display(),
                "organisation": (
                    organisation.official_name_in(language) if organisation else ""
                ),
                "substitute": attendance.substitute,
            }
        )
    return rows


def _minutes_item(
    item: AgendaItem,
    *,
    number: int,
    meeting: Meeting,
    next_meeting: Meeting | None,
    language: str,
    action_items: list[dict],
) -> dict:
    """An item as the minutes print it: a standard item by what happened, in the
    minutes' language; a matter with its proposal, outcome and decision."""
    title = standard_items.title_text(
        kind=item.kind, title=item.title, language=language
    )
    decision = standard_items.decision_text(
        kind=item.kind,
        decision=item.decision,
        meeting=meeting,
        next_meeting=next_meeting,
        language=language,
    )
    outcome = standard_items.decision_outcome(kind=item.kind, outcome=item.outcome)
    return {
        "number": number,
        "kind": item.kind,
        "standard": standard_items.is_standard(item.kind),
        "title": title.text,
        "title_language": title.language,
        "presenter": item.presenter,
        "description": item.description,
        "decision_proposal": item.decision_proposal,
        "decision": decision.text,
        "decision_language": decision.language,
        "outcome": str(AgendaItem.Outcome(outcome).label) if outcome else "",
        "attachments": [a.title for a in item.attachments.all()],
        "action_items": action_items,
    }


def minutes_document(*, meeting: Meeting, language: str = "fi") -> Document:
    """The minutes (pöytäkirja) of a held meeting."""
    if meeting.status not in {Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED}:
        raise JobError(_("The meeting has not been held yet."))
    with translation.override(language):
        items = list(meeting_selectors.agenda_items(meeting=meeting))
        attendances = meeting_selectors.meeting_attendance(meeting=meeting)
        today = timezone.localdate()
        action_items = list(
            meeting_selectors.action_items_of_meeting(meeting=meeting, today=today)
        )
        next_meeting = meeting_selectors.meeting_next(meeting=meeting)
        starts_at = timezone.localtime(meeting.starts_at)
        number = f"{meeting.number}/{starts_at.year}"
        body_name = meeting.body.name
        document_type = _document_type("minutes", language)
        approved = meeting.status == Meeting.Status.MINUTES_APPROVED
        approval = ""
        if approved and meeting.minutes_approval == Meeting.MinutesApproval.CIRCULATION:
            approval = _("The minutes were approved by circulation on %(day)s.") % {
                "day": _day(meeting.minutes_approved_on)
            }
        elif approved and meeting.minutes_approved_at_id:
            later = meeting.minutes_approved_at
            approval = _(
                "The minutes were approved at meeting %(number)s on %(day)s."
            ) % {
                "number": f"{later.number}/{timezone.localtime(later.starts_at).year}",
                "day": _day(meeting.minutes_approved_on),
            }
        elif approved:
            approval = _("The minutes were approved on %(day)s.") % {
                "day": _day(meeting.minutes_approved_on)
            }
        actions_by_item: dict[int | None, list[dict]] = {}
        for action in action_items:
            owner = _seat_texts(
                name_fi=action.owner.holder_name_in("fi"),
                title_fi="",
                name_sv=action.owner.holder_name_in("sv"),
                title_sv="",
                language=language,
            )
            actions_by_item.setdefault(action.agenda_item_id, []).append(
                {
                    "title": action.title,
                    "owner": owner["name"],
                    "owner_language": owner["name_language"],
                    "due": _day(action.due_date),
                    "status": action.get_status_display(),
                }
            )
        context = {
            "language": language,
            "title": f"{document_type} {number} – {body_name}",
            "header": document_header(
                document_type=document_type,
                number=number,
                day=starts_at.date(),
                unit=body_name,
            ),
            "draft": not approved,
            "approval": approval,
            "followed_version": (
                meeting.followed_version.number if meeting.followed_version_id else None
            ),
            "meeting": {
                "body": body_name,
                "number": number,
                "time": meeting_time_text(meeting.starts_at, meeting.ends_at),
                "place": meeting.place,
                "online_link": meeting.online_link,
            },
            "attendance": _attendance_rows(attendances, language),
            "items": [
                _minutes_item(
                    item,
                    number=index,
                    meeting=meeting,
                    next_meeting=next_meeting,
                    language=language,
                    action_items=actions_by_item.get(item.pk, []),
                )
                for index, item in enumerate(items, 1)
            ],
            "other_action_items": actions_by_item.get(None, []),
            "signatures": _signatures(meeting, attendances, language),
        }
    filename = f"{_file_name('minutes', language)}-{meeting.number}-{starts_at.year}"
    return Document(
        name="minutes",
        template_name=TEMPLATES["minutes"][0],
        template_version=TEMPLATES["minutes"][1],
        language=language,
        context=context,
        filename=f"{filename}-{language}.pdf",
    )


def _presiding(attendances: list[Attendance]) -> Membership | None:
    """The chair who was present, or else the vice chair who chaired instead."""
    present = [
        attendance.membership
        for attendance in attendances
        if attendance.status == Attendance.Status.PRESENT
    ]
    for role in (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR):
        for membership in present:
            if membership.role == role:
                return membership
    return None


def _signatures(
    meeting: Meeting, attendances: list[Attendance], language: str
) -> list[dict]:
    """Who signs the minutes: the one who chaired and the one who took them."""
    signatures = []
    presiding = _presiding(attendances)
    if presiding is not None:
        signatures.append(
            {
                "label": presiding.get_role_display(),
                **_seat_texts(
                    name_fi=presiding.holder_name_in("fi"),
                    title_fi="",
                    name_sv=presiding.holder_name_in("sv"),
                    title_sv="",
                    language=language,
                ),
            }
        )
    taker = meeting.minutes_taker
    if taker is not None:
        signatures.append(
            {
                "label": _("Minutes taken by"),
                **_seat_texts(
                    name_fi=taker.holder_name_in("fi"),
                    title_fi=taker.title_in("fi"),
                    name_sv=taker.holder_name_in("sv"),
                    title_sv=taker.title_in("sv"),
                    language=language,
                ),
            }
        )
    return signatures


def document_build(
    *, name: str, meeting: Meeting, version_number: int | None, language: str
) -> Document:
    if name == "agenda":
        return agenda_document(
            meeting=meeting, version_number=version_number, language=language
        )
    if name == "minutes":
        return minutes_document(meeting=meeting, language=language)
    raise JobError(_("Unknown document."))


def document_render(document: Document) -> bytes:
    """Render a document's PDF in its own language."""
    with translation.override(document.language):
        return pdf.render_pdf(
            document.template_name, document.context, charts=document.charts
        )


def document_preview_html(document: Document) -> str:
    with translation.override(document.language):
        return pdf.render_html(document.template_name, document.context)
