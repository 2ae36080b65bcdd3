"""The meeting's status table: the services follow it, the page offers it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from alliance.history import edit_token
from secretariat.meetings import services as meeting_services
from secretariat.meetings import workflow as meeting_workflow
from secretariat.meetings.models import AgendaItem, Meeting, MeetingStatusChange
from secretariat.meetings.views.meetings import MeetingAccessMixin
from tests.meetings.factories import MEETING_DAY, MeetingFactory, at

pytestmark = pytest.mark.django_db
Status = Meeting.Status


@pytest.fixture
def planned(alliance):
    meeting = MeetingFactory(body=alliance.secretariat, number=2)
    meeting_services.agenda_item_save(
        item=AgendaItem(meeting=meeting, title="Esitys yhteistyömallista"),
        by=alliance.users["staff"],
    )
    return meeting


def _move(meeting, status, by):
    """Take `meeting` from where it is to `status` through the services."""
    path = [Status.PLANNED, Status.AGENDA_PUBLISHED, Status.HELD]
    path += [Status.MINUTES_APPROVED]
    for target in path[path.index(meeting.status) + 1 : path.index(status) + 1]:
        if target == Status.AGENDA_PUBLISHED:
            meeting_services.agenda_publish(meeting=meeting, by=by)
        elif target == Status.HELD:
            meeting_services.meeting_mark_held(meeting=meeting, by=by)
        else:
            meeting.agenda_items.update(outcome=AgendaItem.Outcome.NOTED)
            meeting_services.minutes_approve(
                meeting=meeting,
                method=Meeting.MinutesApproval.CIRCULATION,
                approved_on=MEETING_DAY,
                approved_at=None,
                by=by,
            )
        meeting.refresh_from_db()
    return meeting


def _form_data(meeting, **changes):
    return {
        "body": meeting.body_id,
        "number": meeting.number,
        "starts_at": "2023-10-12 09:00",
        "ends_at": "2023-10-12 11:00",
        "place": meeting.place,
        "online_link": "",
        "edit_token": edit_token(meeting),
        **changes,
    }


def test_an_approved_meeting_is_refused_by_meeting_save(alliance, planned):
    approved = _move(planned, Status.MINUTES_APPROVED, alliance.users["chair"])
    approved.place = "Toinen paikka"

    with pytest.raises(ValidationError) as error:
        meeting_services.meeting_save(meeting=approved, by=alliance.users["staff"])

    assert error.value.code == "meeting_closed"
    approved.refresh_from_db()
    assert approved.place == "Valtioneuvoston linna, Snellmaninkatu 1, Helsinki"


def test_an_edit_that_races_the_approval_shows_why_it_was_refused(
    client, alliance, planned, monkeypatch
):
    approved = _move(planned, Status.MINUTES_APPROVED, alliance.users["chair"])
    client.force_login(alliance.users["staff"])
    url = reverse("meetings:meeting_edit", args=[approved.pk])
    assert client.get(url).status_code == 403
    # The view checked before the approval, the service saves after it.
    monkeypatch.setattr(MeetingAccessMixin, "may_change", lambda self, obj: True)

    response = client.post(url, _form_data(approved, place="Toinen paikka"))

    assert response.status_code == 400
    (error,) = response.context["form"].non_field_errors().as_data()
    assert error.code == "meeting_closed"
    assert escape(error.messages[0]) in response.content.decode()
    approved.refresh_from_db()
    assert approved.place == "Valtioneuvoston linna, Snellmaninkatu 1, Helsinki"


def test_saving_a_meeting_form_loaded_before_a_move_keeps_the_move(alliance, planned):
    loaded = Meeting.objects.get(pk=planned.pk)
    _move(planned, Status.AGENDA_PUBLISHED, alliance.users["chair"])
    loaded.place = "Toinen paikka"

    meeting_services.meeting_save(meeting=loaded, by=alliance.users["staff"])

    planned.refresh_from_db()
    assert (planned.status, planned.place) == (Status.AGENDA_PUBLISHED, "Toinen paikka")


@pytest.mark.parametrize(
    "status", [Status.PLANNED, Status.AGENDA_PUBLISHED, Status.HELD]
)
def test_the_meeting_page_offers_the_moves_of_the_table_to_whom_they_allow(
    client, alliance, planned, status
):
    meeting = _move(planned, status, alliance.users["chair"])
    moves = meeting_workflow.TRANSITIONS.from_status(source=status)
    urls = [reverse(f"meetings:{move.name}", args=[meeting.pk]) for move in moves]
    page = reverse("meetings:meeting_detail", args=[meeting.pk])

    client.force_login(alliance.users["chair"])
    response = client.get(page)
    assert [m["transition"] for m in response.context["moves"]] == moves
    for url in urls:
        assert url in response.content.decode()

    client.force_login(alliance.users["staff"])
    response = client.get(page)
    assert response.context["moves"] == []
    for url in urls:
        assert f'action="{url}"' not in response.content.decode()
        assert f'href="{url}"' not in response.content.decode()


def test_an_approved_meeting_offers_no_move_and_no_edit(client, alliance, planned):
    approved = _move(planned, Status.MINUTES_APPROVED, alliance.users["chair"])
    client.force_login(alliance.users["chair"])

    response = client.get(reverse("meetings:meeting_detail", args=[approved.pk]))

    assert response.context["moves"] == []
    assert not response.context["may_change_meeting"]
    assert reverse("meetings:meeting_edit", args=[approved.pk]) not in (
        response.content.decode()
    )


def test_a_refused_move_is_refused_by_the_service_whoever_calls_it(alliance, planned):
    staff, chair = alliance.users["staff"], alliance.users["chair"]
    # Not in the table: refused to the chair and to the system alike.
    for by in [chair, None]:
        with pytest.raises(ValidationError) as error:
            meeting_services.meeting_mark_held(meeting=planned, by=by)
        assert error.value.code == "transition_not_allowed"
    # In the table, but not for this user: the staff does not publish.
    with pytest.raises(ValidationError) as error:
        meeting_services.agenda_publish(meeting=planned, by=staff)
    assert error.value.code == "not_permitted"
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED
    assert not MeetingStatusChange.objects.exists()
    assert not planned.agenda_versions.exists()


def test_the_system_moves_a_meeting_at_a_given_time_without_mail(
    alliance, planned, django_capture_on_commit_callbacks
):
    published_at = at(MEETING_DAY - datetime.timedelta(days=7), 9)
    held_at = at(MEETING_DAY, 11)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = meeting_services.agenda_publish(
            meeting=planned, by=None, at=published_at, notify=False
        )
        meeting_services.meeting_mark_held(meeting=planned, by=None, at=held_at)

    assert callbacks == []
    assert mail.outbox == []
    assert (version.published_at, version.published_by) == (published_at, None)
    assert list(MeetingStatusChange.objects.values_list("to_status", "by", "at")) == [
        (Status.AGENDA_PUBLISHED, None, published_at),
        (Status.HELD, None, held_at),
    ]
