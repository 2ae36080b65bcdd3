"""The meetings services refuse whom the rule refuses, whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied

from secretariat.meetings import permissions as rules
from secretariat.meetings import services
from secretariat.meetings.models import ActionItem, Meeting
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["chair", "staff", "city", "observer", "none"]


def _agenda_writes(meeting, item):
    return [
        (
            rules.can_prepare_meetings,
            lambda by: services.meeting_save(meeting=meeting, by=by),
        ),
        (
            rules.can_prepare_meetings,
            lambda by: services.agenda_item_save(item=item, by=by),
        ),
        (
            rules.can_prepare_meetings,
            lambda by: services.agenda_item_move(item=item, direction="up", by=by),
        ),
        (
            rules.can_prepare_meetings,
            lambda by: services.agenda_standard_items_add(meeting=meeting, by=by),
        ),
        (rules.can_decide, lambda by: services.agenda_publish(meeting=meeting, by=by)),
        (
            rules.can_prepare_meetings,
            lambda by: services.agenda_item_delete(item=item, by=by),
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_agenda_is_changed_only_as_the_rules_allow(alliance, role):
    user = alliance.users[role]
    meeting = MeetingFactory(body=alliance.group)
    item = AgendaItemFactory(meeting=meeting)
    for rule, write in _agenda_writes(meeting, item):
        if rule(user):
            write(user)
        else:
            with pytest.raises(PermissionDenied):
                write(user)
    if not rules.can_prepare_meetings(user):
        assert meeting.agenda_items.get() == item
        assert not meeting.agenda_versions.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_minutes_are_written_only_as_the_rules_allow(alliance, role):
    user = alliance.users[role]
    meeting = MeetingFactory(
        body=alliance.group, status=Meeting.Status.AGENDA_PUBLISHED
    )
    item = AgendaItemFactory(meeting=meeting)
    seat = alliance.group_seats[0]
    if rules.can_decide(user):
        services.meeting_mark_held(meeting=meeting, by=user)
    else:
        with pytest.raises(PermissionDenied):
            services.meeting_mark_held(meeting=meeting, by=user)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    item.outcome, item.decision = "approved", "Hyväksyttiin."
    writes = [
        lambda: services.attendance_save(
            meeting=meeting, rows={seat.pk: ("absent", "")}, by=user
        ),
        lambda: services.agenda_item_decide(item=item, by=user),
        lambda: services.action_item_save(
            item=ActionItem(
                meeting=meeting,
                title="Tehtävä",
                owner=seat,
                due_date=meeting.starts_at.date(),
            ),
            by=user,
        ),
    ]
    for write in writes:
        if rules.can_prepare_meetings(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    if not rules.can_prepare_meetings(user):
        assert not meeting.attendances.filter(status="absent").exists()
        item.refresh_from_db()
        assert item.outcome == ""
        assert not ActionItem.objects.exists()


def test_the_system_may_plan_a_meeting(alliance):
    meeting = MeetingFactory(body=alliance.group, place="Vanha paikka")
    meeting.place = "Uusi paikka"

    services.meeting_save(meeting=meeting, by=None)

    assert Meeting.objects.get(pk=meeting.pk).place == "Uusi paikka"
