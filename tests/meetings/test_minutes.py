"""The meeting's workflow after publishing: held, minutes written, minutes approved."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from alliance.history import edit_token
from secretariat.documents import document_render, minutes_document
from secretariat.meetings import services as meeting_services
from secretariat.meetings import workflow as meeting_workflow
from secretariat.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatusChange,
)
from tests.meetings.factories import (
    MEETING_DAY,
    MeetingFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(alliance):
    meeting = MeetingFactory(body=alliance.secretariat, number=2)
    meeting_services.agenda_standard_items_add(
        meeting=meeting, by=alliance.users["staff"]
    )
    meeting_services.agenda_item_save(
        item=AgendaItem(
            meeting=meeting,
            title="Esitys yhteistyömallista",
            decision_proposal="Hyväksytään esitys.",
        ),
        by=alliance.users["staff"],
    )
    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    return meeting


def test_transitions_follow_the_table_and_record_who(alliance, published):
    chair, staff = alliance.users["chair"], alliance.users["staff"]
    with pytest.raises(ValidationError) as error:
        meeting_services.minutes_approve(
            meeting=published,
            method="circulation",
            approved_on=MEETING_DAY,
            approved_at=None,
            by=chair,
        )
    assert error.value.code == "transition_not_allowed"
    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_mark_held(meeting=published, by=staff)
    assert error.value.code == "not_permitted"

    meeting_services.meeting_mark_held(meeting=published, by=chair)

    published.refresh_from_db()
    assert published.status == Meeting.Status.HELD
    assert published.followed_version.number == 1
    assert published.attendances.count() == 3
    assert list(
        MeetingStatusChange.objects.values_list("to_status", "by__username")
    ) == [("agenda_published", "palonen"), ("held", "palonen")]
    assert [(t.source, t.target) for t in meeting_workflow.TRANSITIONS] == [
        ("planned", "agenda_published"),
        ("agenda_published", "held"),
        ("held", "minutes_approved"),
        ("planned", "cancelled"),
        ("agenda_published", "cancelled"),
    ]


def test_minutes_are_written_then_approved_by_circulation(client, alliance, published):
    chair, staff = alliance.users["chair"], alliance.users["staff"]
    meeting_services.meeting_mark_held(meeting=published, by=chair)
    client.force_login(staff)
    absent, deputy = alliance.secretariat_seats[1], alliance.secretariat_seats[2]

    response = client.post(
        reverse("meetings:minutes_edit", args=[published.pk]),
        {
            f"status_{alliance.secretariat_seats[0].pk}": "present",
            f"status_{absent.pk}": "absent",
            f"status_{deputy.pk}": "deputy",
            f"substitute_{deputy.pk}": "",
        },
    )
    assert response.status_code == 400  # a deputy needs a name
    response = client.post(
        reverse("meetings:minutes_edit", args=[published.pk]),
        {
            f"status_{alliance.secretariat_seats[0].pk}": "present",
            f"status_{absent.pk}": "absent",
            f"status_{deputy.pk}": "deputy",
            f"substitute_{deputy.pk}": "Varajäsen Ville Virtanen",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(membership=deputy).substitute == (
        "Varajäsen Ville Virtanen"
    )

    matter = published.agenda_items.get(kind="matter")
    with pytest.raises(ValidationError) as error:
        meeting_services.minutes_approve(
            meeting=published,
            method="circulation",
            approved_on=MEETING_DAY,
            approved_at=None,
            by=chair,
        )
    assert error.value.code == "outcome_missing"
    response = client.post(
        reverse("meetings:minutes_decision_edit", args=[matter.pk]),
        {
            "outcome": "amended",
            "decision": "Hyväksyttiin esitys muutettuna.",
            "edit_token": edit_token(matter),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/minutes_item.html"

    meeting_services.minutes_approve(
        meeting=published,
        method="circulation",
        approved_on=MEETING_DAY + datetime.timedelta(days=3),
        approved_at=None,
        by=chair,
    )

    published.refresh_from_db()
    assert published.status == Meeting.Status.MINUTES_APPROVED
    assert published.minutes_approval == "circulation"
    # Approved minutes are closed to edits.
    response = client.get(reverse("meetings:minutes_edit", args=[published.pk]))
    assert response.status_code == 403

    pdf = document_render(minutes_document(meeting=published, language="fi"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "PÖYTÄKIRJA 2/2023" in text
    assert "Hyväksyttiin esitys muutettuna." in text
    assert "Varajäsen Ville Virtanen" in text
    assert "TEM077:00/2023" in text


def test_minutes_approved_at_the_next_meeting_must_name_a_later_one(
    alliance, published
):
    chair = alliance.users["chair"]
    meeting_services.meeting_mark_held(meeting=published, by=chair)
    published.agenda_items.update(outcome="noted")
    earlier = MeetingFactory(
        body=alliance.secretariat, number=1, starts_at=at(MEETING_DAY, 8)
    )
    later = MeetingFactory(
        body=alliance.secretariat,
        number=3,
        starts_at=at(MEETING_DAY + datetime.timedelta(days=30), 9),
        ends_at=None,
    )

    with pytest.raises(ValidationError) as error:
        meeting_services.minutes_approve(
            meeting=published,
            method="next_meeting",
            approved_on=MEETING_DAY,
            approved_at=earlier,
            by=chair,
        )
    assert error.value.code == "approval_meeting_earlier"

    meeting_services.minutes_approve(
        meeting=published,
        method="next_meeting",
        approved_on=MEETING_DAY + datetime.timedelta(days=30),
        approved_at=later,
        by=chair,
    )
    published.refresh_from_db()
    assert published.minutes_approved_at == later


def test_drafts_of_minutes_are_for_the_secretariat_and_approved_ones_for_all(
    client, alliance, published
):
    meeting_services.meeting_mark_held(meeting=published, by=alliance.users["chair"])
    url = reverse("meetings:meeting_detail", args=[published.pk])
    client.force_login(alliance.users["observer"])
    assert "attendance" not in client.get(url).context
    minutes_pdf = reverse(
        "secretariat:document_request", args=[published.pk, "minutes"]
    )
    assert client.post(minutes_pdf).status_code == 404

    client.force_login(alliance.users["staff"])
    assert client.get(url).context["attendance"]
