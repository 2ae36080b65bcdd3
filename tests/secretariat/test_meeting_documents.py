"""Agendas and minutes read back in Finnish and Swedish: what happened, who signs,
every standard text and organisation name in the document's language."""

import datetime
import html
import io
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from alliance.models import Job
from secretariat import document_services
from secretariat.documents import agenda_document, document_render, minutes_document
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import ActionItem, AgendaItem
from tests.meetings.factories import MEETING_DAY, MeetingFactory, at

pytestmark = pytest.mark.django_db

# The standard items as a Finnish agenda and Finnish minutes print them.
FINNISH_STANDARD_TEXTS = [
    "Kokouksen avaus",
    "Kokouksen laillisuus ja päätösvaltaisuus",
    "Esityslistan hyväksyminen",
    "Seuraava kokous",
    "Kokouksen päättäminen",
    "Puheenjohtaja avaa kokouksen.",
    "Puheenjohtaja avasi kokouksen",
    "Hyväksytään esityslista kokouksen työjärjestykseksi.",
    "Esityslista hyväksyttiin kokouksen työjärjestykseksi.",
    "Puheenjohtaja",
    "Päätösehdotus",
]


def _pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pdftotext(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def _both_readings(data: bytes) -> list[str]:
    """The text as pypdf and as pdftotext extract it, each with its lines joined."""
    return [" ".join(text.split()) for text in (_pypdf_text(data), _pdftotext(data))]


@pytest.fixture
def held(alliance):
    """A secretariat meeting 13.00–15.00, held with its standard items, a matter and
    an action item, the minutes taken by Voutilainen and approved by circulation."""
    staff, chair = alliance.users["staff"], alliance.users["chair"]
    taker = alliance.secretariat_seats[1]
    taker.title = "erityisasiantuntija"
    taker.save()
    meeting = MeetingFactory(
        body=alliance.secretariat,
        number=1,
        starts_at=at(MEETING_DAY, 13),
        ends_at=at(MEETING_DAY, 15),
        minutes_taker=taker,
    )
    meeting_services.agenda_standard_items_add(meeting=meeting, by=staff)
    matter = meeting_services.agenda_item_save(
        item=AgendaItem(
            meeting=meeting,
            title="Esitys yhteistyömallista",
            decision_proposal="Hyväksytään esitys.",
        ),
        by=staff,
    )
    meeting_services.agenda_publish(meeting=meeting, by=chair)
    meeting = meeting_services.meeting_mark_held(meeting=meeting, by=chair)
    matter.outcome = AgendaItem.Outcome.APPROVED
    matter.decision = "Hyväksyttiin esitys."
    meeting_services.agenda_item_decide(item=matter, by=staff)
    meeting_services.action_item_save(
        item=ActionItem(
            meeting=meeting,
            agenda_item=matter,
            title="Kaupunkien täydennykset",
            owner=alliance.secretariat_seats[2],
            due_date=datetime.date(2023, 10, 20),
        ),
        by=staff,
        today=MEETING_DAY,
    )
    meeting_services.minutes_approve(
        meeting=meeting,
        method="circulation",
        approved_on=datetime.date(2023, 10, 16),
        approved_at=None,
        by=chair,
    )
    meeting.refresh_from_db()
    return meeting


def test_finnish_minutes_record_what_happened_and_are_signed_by_two(held):
    data = document_render(minutes_document(meeting=held, language="fi"))

    for text in _both_readings(data):
        assert "PÖYTÄKIRJA 1/2023" in text
        assert "Puheenjohtaja avasi kokouksen klo 13.00." in text
        assert (
            "Kokous todettiin laillisesti koolle kutsutuksi ja päätösvaltaiseksi."
            in text
        )
        assert "Esityslista hyväksyttiin kokouksen työjärjestykseksi." in text
        assert "Puheenjohtaja päätti kokouksen klo 15.00." in text
        # A procedural item is recorded by what happened, not by what was proposed.
        assert "Puheenjohtaja avaa kokouksen." not in text
        assert "merkitty tiedoksi" not in text
        # The matter keeps its proposal and its decision.
        assert "Hyväksytään esitys." in text
        assert "Hyväksyttiin esitys." in text
        assert "Pöytäkirja hyväksyttiin sähköisessä menettelyssä 16.10.2023." in text
        assert "Pöytäkirjan laatija" in text
        assert "erityisasiantuntija" in text
        assert "Helsingin kaupunki" in text
        assert "Työ- ja elinkeinoministeriö" in text
        assert "Vastuuhenkilö:" in text
        assert "Määräaika: 20.10.2023" in text
    pypdf_text = _both_readings(data)[0]
    signatures = pypdf_text[pypdf_text.index("Pöytäkirja hyväksyttiin") :]
    chair, taker = held.minutes_taker.body.memberships.order_by("order")[:2]
    assert signatures.index("Puheenjohtaja") < signatures.index(chair.person.full_name)
    assert signatures.index("Pöytäkirjan laatija") < signatures.index(
        taker.person.full_name
    )


def test_swedish_minutes_have_no_finnish_standard_text(held):
    data = document_render(minutes_document(meeting=held, language="sv"))

    for text in _both_readings(data):
        assert "PROTOKOLL 1/2023" in text
        assert "Arbets- och näringsministeriet" in text
        assert "Mötets öppnande" in text
        assert "Ordföranden öppnade mötet kl. 13.00." in text
        assert "Föredragningslistan godkändes som arbetsordning för mötet." in text
        assert "Ordföranden avslutade mötet kl. 15.00." in text
        assert "Helsingfors stad" in text
        assert "Protokollförare" in text
        assert "Ordförande" in text
        assert "Ansvarsperson:" in text
        assert "Tidsfrist: 20.10.2023" in text
        for finnish in FINNISH_STANDARD_TEXTS:
            assert finnish not in text, finnish
        # The matter is printed as it was written.
        assert "Esitys yhteistyömallista" in text


def test_agendas_print_the_standard_items_in_their_language(alliance, held):
    finnish = document_render(
        agenda_document(meeting=held, version_number=1, language="fi")
    )
    swedish = document_render(
        agenda_document(meeting=held, version_number=1, language="sv")
    )

    for text in _both_readings(finnish):
        assert "Kokouksen avaus" in text
        assert "Puheenjohtaja avaa kokouksen." in text
        assert "Hyväksytään esityslista kokouksen työjärjestykseksi." in text
        assert "Helsingin kaupunki" in text
    for text in _both_readings(swedish):
        assert "FÖREDRAGNINGSLISTA 1/2023" in text
        assert "Mötets öppnande" in text
        assert "Ordföranden öppnar mötet." in text
        assert "Föredragningslistan godkänns som arbetsordning för mötet." in text
        assert "Helsingfors stad" in text
        for finnish in FINNISH_STANDARD_TEXTS:
            assert finnish not in text, finnish


def test_a_changed_standard_text_is_printed_as_written(alliance, held):
    held.agenda_items.filter(kind=AgendaItem.Kind.OPENING).update(
        decision="Puheenjohtaja avasi kokouksen klo 13.05 ja toivotti jäsenet "
        "tervetulleiksi."
    )

    context = minutes_document(meeting=held, language="sv").context

    opening = context["items"][0]
    assert opening["title"] == "Mötets öppnande"
    assert opening["decision"].startswith("Puheenjohtaja avasi kokouksen klo 13.05")
    assert opening["decision_language"] == "fi"


def test_an_agenda_published_before_the_official_names_keeps_working(held):
    version = held.agenda_versions.get(number=1)
    for entry in version.content["distribution"]:
        del entry["organisation_official"]
    version.save()

    document = agenda_document(meeting=held, version_number=1, language="sv")

    assert "Helsingfors" in [
        entry["organisation"] for entry in document.context["distribution"]
    ]


def test_file_names_are_in_the_documents_language(held):
    names = {
        language: (
            agenda_document(meeting=held, language=language).filename,
            agenda_document(meeting=held, version_number=1, language=language).filename,
            minutes_document(meeting=held, language=language).filename,
        )
        for language in ("fi", "sv", "en")
    }

    assert names == {
        "fi": (
            "esityslista-1-2023-luonnos-fi.pdf",
            "esityslista-1-2023-v1-fi.pdf",
            "poytakirja-1-2023-fi.pdf",
        ),
        "sv": (
            "föredragningslista-1-2023-utkast-sv.pdf",
            "föredragningslista-1-2023-v1-sv.pdf",
            "protokoll-1-2023-sv.pdf",
        ),
        "en": (
            "agenda-1-2023-draft-en.pdf",
            "agenda-1-2023-v1-en.pdf",
            "minutes-1-2023-en.pdf",
        ),
    }


def test_english_documents_use_english_names_of_organisations(held):
    context = minutes_document(meeting=held, language="en").context

    assert context["header"]["organisation"] == (
        "Ministry of Economic Affairs and Employment"
    )
    assert "City of Helsinki" in [
        row["organisation"] for row in context["attendance"]["present"]
    ]
    assert context["items"][2]["decision"] == (
        "The agenda was approved as the order of business."
    )


def test_the_download_is_named_for_the_document_whatever_the_storage_calls_it(
    client, alliance, held, django_capture_on_commit_callbacks
):
    chair = alliance.users["chair"]
    with django_capture_on_commit_callbacks(execute=True):
        job = document_services.document_request(name="minutes", meeting=held, by=chair)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    # Storages add a suffix to a name already taken; the download does not show it.
    with job.result.open("rb") as file:
        stored = default_storage.save(
            f"jobs/{job.pk}/poytakirja-1-2023-fi.pdf", ContentFile(file.read())
        )
    assert stored != f"jobs/{job.pk}/poytakirja-1-2023-fi.pdf"
    Job.objects.filter(pk=job.pk).update(result=stored)
    client.force_login(chair)

    response = client.get(reverse("alliance:job_download", args=[job.pk]))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="poytakirja-1-2023-fi.pdf"'
    )


def test_the_decision_form_starts_a_standard_item_from_its_usual_decision(
    client, alliance, held
):
    held.status = "held"
    held.save(update_fields=["status"])
    agenda_approval = held.agenda_items.get(kind=AgendaItem.Kind.AGENDA_APPROVAL)
    client.force_login(alliance.users["staff"])

    response = client.get(
        reverse("meetings:minutes_decision_edit", args=[agenda_approval.pk])
    )

    form = response.context["form"]
    assert form["decision"].value() == (
        "Esityslista hyväksyttiin kokouksen työjärjestykseksi."
    )
    assert form["outcome"].value() == AgendaItem.Outcome.APPROVED


def _word_tops(data: bytes) -> dict[str, list[float]]:
    """Each word on the first page and the heights where it stands (pdftotext)."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    tops: dict[str, list[float]] = {}
    for match in re.finditer(
        r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>',
        result.stdout.decode("utf-8"),
    ):
        tops.setdefault(html.unescape(match.group(2)), []).append(float(match.group(1)))
    return tops


@pytest.mark.parametrize(
    "body_name",
    [
        "Sekretariatet",
        "Sekretariatet för samarbetsalliansen mellan staten och de stora städerna "
        "och dess ständiga sakkunniga",
    ],
)
def test_the_header_keeps_its_lines_and_the_swedish_labels_fit(held, body_name):
    held.body.name_sv = body_name
    held.body.save()

    data = document_render(minutes_document(meeting=held, language="sv"))

    tops = _word_tops(data)
    first_line = tops["Arbets-"][0]
    # The document type and the page number stay level with the organisation.
    assert tops["PROTOKOLL"][0] == pytest.approx(first_line, abs=0.5)
    page_count = next(word for word in tops if re.fullmatch(r"\(\d+\)", word))
    assert tops[page_count][0] == pytest.approx(first_line, abs=0.5)
    assert tops["12.10.2023"][0] > first_line
    # The agenda's label is one word in its column.
    assert "Föredragningslista" in tops
    assert "Föredrag-" not in tops


def test_the_minutes_taker_holds_a_seat_of_the_body_or_of_its_secretariat(alliance):
    staff = alliance.users["staff"]
    group_meeting = MeetingFactory(body=alliance.group, number=7)
    group_meeting.minutes_taker = alliance.secretariat_seats[1]

    meeting_services.meeting_save(meeting=group_meeting, by=staff)

    group_meeting.refresh_from_db()
    assert group_meeting.minutes_taker == alliance.secretariat_seats[1]
    assert group_meeting.history.first().history_user == staff
    secretariat_meeting = MeetingFactory(body=alliance.secretariat, number=8)
    secretariat_meeting.minutes_taker = alliance.group_seats[2]
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_save(meeting=secretariat_meeting, by=staff)
    assert error.value.error_dict["minutes_taker"][0].code == (
        "minutes_taker_other_body"
    )
    secretariat_meeting.refresh_from_db()
    assert secretariat_meeting.minutes_taker is None


def test_swedish_documents_print_the_swedish_title_where_the_seat_has_one(held):
    taker = held.minutes_taker
    taker.title_sv = "specialsakkunnig"
    taker.save()

    swedish = minutes_document(meeting=held, language="sv").context
    finnish = minutes_document(meeting=held, language="fi").context
    draft = agenda_document(meeting=held, language="sv").context
    published = agenda_document(meeting=held, version_number=1, language="sv").context

    def texts(entry):
        return (entry["title"], entry["title_language"])

    assert texts(swedish["signatures"][-1]) == ("specialsakkunnig", "sv")
    assert texts(finnish["signatures"][-1]) == ("erityisasiantuntija", "fi")
    name = taker.person.full_name
    assert [texts(e) for e in draft["distribution"] if e["name"] == name] == [
        ("specialsakkunnig", "sv")
    ]
    # A published version prints the title as it was when published.
    assert [texts(e) for e in published["distribution"] if e["name"] == name] == [
        ("erityisasiantuntija", "fi")
    ]
