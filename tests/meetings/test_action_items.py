"""Action items: owners, due dates, overdue flags, and the daily reminders."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from alliance.models import OutboxMessage
from alliance.outbox import messages_resend
from secretariat import mail as meeting_mail
from secretariat import tasks
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import ActionItem, Meeting
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    agenda_published,
)
from tests.members.factories import OrganisationFactory
from tests.theme_proposals.factories import ThemeProposalFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 10, 16)


@pytest.fixture
def held(alliance):
    return MeetingFactory(body=alliance.secretariat, status=Meeting.Status.HELD)


def test_items_are_recorded_only_for_held_meetings_and_finishing_records_the_day(
    alliance, held
):
    staff = alliance.users["staff"]
    planned = MeetingFactory(body=alliance.secretariat)
    owner = alliance.secretariat_seats[2]
    with pytest.raises(ValidationError) as error:
        meeting_services.action_item_save(
            item=ActionItem(meeting=planned, title="X", owner=owner, due_date=TODAY),
            by=staff,
        )
    assert error.value.code == "meeting_not_held"
    with pytest.raises(ValidationError) as error:
        meeting_services.action_item_save(
            item=ActionItem(meeting=held, title="X", owner=owner, due_date=TODAY),
            by=alliance.users["observer"],
        )
    assert error.value.code == "not_permitted"

    item = meeting_services.action_item_save(
        item=ActionItem(
            meeting=held, title="Täydennykset", owner=owner, due_date=TODAY
        ),
        by=staff,
    )
    item.status = ActionItem.Status.DONE
    meeting_services.action_item_save(item=item, by=staff, today=TODAY)
    assert item.done_on == TODAY
    item.status = ActionItem.Status.IN_PROGRESS
    meeting_services.action_item_save(item=item, by=staff, today=TODAY)
    assert item.done_on is None


def test_overdue_items_are_flagged_on_the_dashboard_and_the_owners_page(
    client, alliance, held
):
    owner = alliance.secretariat_seats[2]
    late = ActionItemFactory(
        meeting=held, owner=owner, due_date=TODAY - datetime.timedelta(days=1)
    )
    soon = ActionItemFactory(meeting=held, owner=owner, due_date=TODAY)
    ActionItemFactory(
        meeting=held,
        owner=alliance.secretariat_seats[0],
        due_date=TODAY - datetime.timedelta(days=9),
        status=ActionItem.Status.DONE,
    )

    rows = meeting_selectors.action_items_for_dashboard(today=TODAY)

    assert [(row.pk, row.is_overdue) for row in rows] == [
        (late.pk, True),
        (soon.pk, False),
    ]
    html = render_to_string(
        "secretariat/dashboard_action_items.html", {"open_action_items": rows}
    )
    assert html.count("badge--bad") == 1

    request = RequestFactory().get("/")
    request.user = alliance.users["observer"]
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        html = render_to_string(
            "meetings/person_action_items.html",
            {"person": owner.person, "request": request},
        )
    assert late.title in html and soon.title in html
    assert html.count("badge--bad") == 1
    request.user = alliance.users["none"]
    html = render_to_string(
        "meetings/person_action_items.html",
        {"person": owner.person, "request": request},
    )
    assert late.title not in html

    client.force_login(alliance.users["city"])
    page = client.get(reverse("meetings:action_item_list") + "?status=")
    assert page.status_code == 200
    assert page.context["action_items"].count() == 3


def test_reminders_are_sent_once_a_day_with_a_fixed_clock(
    alliance, held, django_capture_on_commit_callbacks
):
    owner = alliance.secretariat_seats[2]  # Nyholm: English, the account's address
    due = ActionItemFactory(
        meeting=held, owner=owner, due_date=TODAY + datetime.timedelta(days=7)
    )
    ActionItemFactory(
        meeting=held, owner=owner, due_date=TODAY + datetime.timedelta(days=8)
    )
    ActionItemFactory(
        meeting=held,
        owner=owner,
        due_date=TODAY + datetime.timedelta(days=2),
        status=ActionItem.Status.DONE,
    )
    theme = ThemeFactory()
    milestone = MilestoneFactory(theme=theme, due_date=TODAY + datetime.timedelta(3))
    MilestoneFactory(
        theme=theme, due_date=TODAY + datetime.timedelta(days=3), done_on=TODAY
    )
    MilestoneFactory(theme=theme, due_date=TODAY - datetime.timedelta(days=1))

    with (
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = tasks.send_reminders.apply().get()

    assert first == {"action_items": 1, "overdue_action_items": 0, "milestones": 2}
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "nyholm@example.org",
        "palonen@example.org",
        "voutilainen@example.org",
    ]
    reminder = next(m for m in mail.outbox if m.to == ["nyholm@example.org"])
    assert due.title in reminder.body
    digest = next(m for m in mail.outbox if m.to == ["palonen@example.org"])
    assert milestone.title in digest.body
    assert OutboxMessage.objects.filter(status="sent").count() == 3

    with (
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        second = tasks.send_reminders.apply().get()

    assert second == {"action_items": 0, "overdue_action_items": 0, "milestones": 0}
    assert len(mail.outbox) == 3

    # The next day the same items are reminded of again.
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert meeting_mail.reminders_send(today=tomorrow) == {
        "action_items": 2,
        "overdue_action_items": 0,
        "milestones": 2,
    }


def test_an_overdue_item_is_reminded_of_once_the_day_after_in_the_owners_language(
    alliance, held, django_capture_on_commit_callbacks
):
    swedish_owner = alliance.secretariat_seats[1]  # Voutilainen: Swedish
    yesterday = TODAY - datetime.timedelta(days=1)
    overdue = ActionItemFactory(
        meeting=held, owner=swedish_owner, due_date=yesterday, title="Selvitys"
    )
    ActionItemFactory(
        meeting=held,
        owner=swedish_owner,
        due_date=yesterday,
        status=ActionItem.Status.DONE,
    )
    # Long overdue before this feature's first run: not reminded of now.
    ActionItemFactory(
        meeting=held, owner=swedish_owner, due_date=TODAY - datetime.timedelta(30)
    )

    with (
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = tasks.send_reminders.apply().get()
        again = tasks.send_reminders.apply().get()

    assert first["overdue_action_items"] == 1
    assert again["overdue_action_items"] == 0
    (message,) = mail.outbox
    assert message.to == ["voutilainen@example.org"]
    assert message.subject == "Försenad: en åtgärdspunkt förföll den 15.10.2023"
    assert "Selvitys" in message.body
    assert OutboxMessage.objects.get().key == (
        f"action_item_overdue:{overdue.pk}:voutilainen@example.org"
    )
    # Neither the next days nor the due date itself remind of it again.
    for day in (TODAY + datetime.timedelta(days=1), yesterday):
        assert meeting_mail.reminders_send(today=day)["overdue_action_items"] == 0
    assert len(mail.outbox) == 1


def test_a_missed_day_is_caught_up_and_the_daily_command_reminds_too(
    alliance, held, django_capture_on_commit_callbacks
):
    ActionItemFactory(
        meeting=held,
        owner=alliance.secretariat_seats[2],
        due_date=TODAY - datetime.timedelta(days=3),
    )

    with (
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_daily", stdout=io.StringIO())

    (message,) = mail.outbox
    assert message.to == ["nyholm@example.org"]
    assert message.subject.startswith("Overdue: an action item was due on ")


def test_a_failed_send_waits_in_the_outbox_and_the_resend_sends_it(
    alliance, held, django_capture_on_commit_callbacks
):
    ActionItemFactory(meeting=held, owner=alliance.secretariat_seats[2], due_date=TODAY)

    with (
        mock.patch(
            "django.core.mail.EmailMessage.send", side_effect=OSError("SMTP down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert meeting_mail.reminders_send(today=TODAY)["action_items"] == 1

    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.WAITING
    assert message.last_error == "OSError: SMTP down"
    assert mail.outbox == []
    # The same day's run queues nothing twice; the resend sends what waits.
    assert meeting_mail.reminders_send(today=TODAY)["action_items"] == 0
    OutboxMessage.objects.update(created_at=message.created_at - datetime.timedelta(1))
    assert messages_resend() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [["nyholm@example.org"]]


def test_a_measure_shows_the_agenda_items_and_decisions_that_concerned_it(
    alliance,
):
    measure = MeasureFactory()
    approved = MeetingFactory(body=alliance.group)
    held = MeetingFactory(body=alliance.group)
    planned = MeetingFactory(body=alliance.group)
    AgendaItemFactory(
        meeting=approved,
        measure=measure,
        title="Hyväksytty asia",
        outcome="approved",
        decision="Hyväksyttiin.",
    )
    AgendaItemFactory(
        meeting=held,
        measure=measure,
        title="Pidetty asia",
        outcome="tabled",
        decision="Pöydättiin.",
    )
    AgendaItemFactory(meeting=planned, measure=measure, title="Valmisteilla")
    chair = alliance.users["chair"]
    agenda_published(approved, by=chair, status=Meeting.Status.MINUTES_APPROVED)
    agenda_published(held, by=chair, status=Meeting.Status.HELD)
    request = RequestFactory().get("/")

    request.user = alliance.users["observer"]
    html = render_to_string(
        "meetings/agenda_items_about.html",
        {"subject": measure, "request": request},
    )
    assert "Hyväksytty asia" in html and "Hyväksyttiin." in html
    assert "Pidetty asia" in html and "Pöydättiin." not in html
    assert "Valmisteilla" not in html

    request.user = alliance.users["staff"]
    html = render_to_string(
        "meetings/agenda_items_about.html",
        {"subject": measure, "request": request},
    )
    assert "Pöydättiin." in html and "Valmisteilla" in html


def test_the_measure_partial_runs_a_bounded_number_of_queries(
    alliance, django_assert_max_num_queries
):
    measure = MeasureFactory()
    request = RequestFactory().get("/")
    # Others than the secretariat see the items as published: the costlier path.
    request.user = alliance.users["observer"]
    listed = 0
    for count in (3, 30):
        for _ in range(count):
            meeting = MeetingFactory(body=alliance.group)
            AgendaItemFactory(meeting=meeting, measure=measure)
            agenda_published(
                meeting,
                by=alliance.users["chair"],
                status=Meeting.Status.MINUTES_APPROVED,
            )
        listed += count
        # The user's roles, the meetings, their published versions, the decisions.
        with django_assert_max_num_queries(4):
            html = render_to_string(
                "meetings/agenda_items_about.html",
                {"subject": measure, "request": request},
            )
        assert html.count('data-row="agenda-item"') == listed


def test_a_proposal_shows_the_agenda_items_and_decisions_that_concerned_it(alliance):
    proposal = ThemeProposalFactory(
        status=ThemeProposal.Status.ACCEPTED,
        city=OrganisationFactory(slug="helsinki"),
        author=alliance.users["staff"],
    )
    approved = MeetingFactory(body=alliance.group)
    AgendaItemFactory(
        meeting=approved,
        theme_proposal=proposal,
        title="Helsingin ehdotus",
        outcome="approved",
        decision="Hyväksyttiin teemaksi.",
    )
    agenda_published(
        approved, by=alliance.users["chair"], status=Meeting.Status.MINUTES_APPROVED
    )
    request = RequestFactory().get("/")
    request.user = alliance.users["observer"]

    html = render_to_string(
        "meetings/agenda_items_about.html",
        {"subject": proposal, "request": request},
    )

    assert "Helsingin ehdotus" in html and "Hyväksyttiin teemaksi." in html
