"""The reporting rounds' reminders: a week before the due date and on it, once each,
in each recipient's language, only to cities whose report is not complete."""

import datetime
from unittest import mock

import pytest
from django.conf import settings

from alliance.models import OutboxMessage
from monitoring import mail, services, tasks
from tests.monitoring.rounds_factories import DUE, rounds_world

pytestmark = pytest.mark.django_db

WEEK_BEFORE = DUE - datetime.timedelta(days=7)


@pytest.fixture
def rw(organisations):
    return rounds_world(organisations)


def sent_to():
    return sorted(
        OutboxMessage.objects.values_list("recipient", flat=True).order_by("pk")
    )


def test_a_week_before_every_representative_is_reminded_once_in_their_language(rw):
    services.city_report_complete(
        round=rw.round, city=rw.tampere, by=rw.users["tampere"], confirm_missing=True
    )
    assert mail.round_reminders_send(today=WEEK_BEFORE - datetime.timedelta(1)) == 0
    queued = mail.round_reminders_send(today=WEEK_BEFORE)

    # Tampere completed: not reminded. Helsinki's two and Turku's one are.
    assert sent_to() == sorted(
        [rw.users[name].email for name in ("helsinki", "helsinki_sv", "turku")]
    )
    assert queued == 3
    finnish = OutboxMessage.objects.get(recipient=rw.users["helsinki"].email)
    swedish = OutboxMessage.objects.get(recipient=rw.users["helsinki_sv"].email)
    assert finnish.language == "fi"
    assert swedish.language == "sv"
    assert (
        finnish.subject
        == "Muistutus: Helsinki, jakson 2023-Q3 arvot viimeistään 22.9.2023"
    )
    assert "Helsingfors" in swedish.subject
    assert "22.9.2023" in swedish.subject
    assert "Kaupunkimittari 0" in finnish.body
    assert f"/rounds/{rw.round.pk}/cities/helsinki/" in finnish.body
    assert finnish.key == (
        f"reporting_round:{rw.round.pk}:city:{rw.helsinki.pk}:"
        f"user:{rw.users['helsinki'].pk}:week"
    )

    # The next days of the week send nothing again.
    assert mail.round_reminders_send(today=WEEK_BEFORE) == 0
    assert mail.round_reminders_send(today=WEEK_BEFORE + datetime.timedelta(3)) == 0
    assert OutboxMessage.objects.count() == 3


def test_on_the_due_date_a_second_reminder_only_to_cities_not_complete(rw):
    mail.round_reminders_send(today=WEEK_BEFORE)
    services.city_report_complete(
        round=rw.round, city=rw.turku, by=rw.users["turku"], confirm_missing=True
    )
    assert mail.round_reminders_send(today=DUE) == 3
    due = OutboxMessage.objects.filter(key__endswith=":due")
    assert sorted(due.values_list("recipient", flat=True)) == sorted(
        [rw.users[name].email for name in ("helsinki", "helsinki_sv", "tampere")]
    )
    assert "tänään" in due.get(recipient=rw.users["helsinki"].email).subject
    assert "i dag" in due.get(language="sv").subject
    assert mail.round_reminders_send(today=DUE) == 0
    # Long after the due date, nothing more.
    assert mail.round_reminders_send(today=DUE + datetime.timedelta(30)) == 0


def test_a_closed_round_and_inactive_people_get_no_reminders(rw):
    rw.users["helsinki_sv"].is_active = False
    rw.users["helsinki_sv"].save()
    rw.users["turku"].email = ""
    rw.users["turku"].save()
    mail.round_reminders_send(today=WEEK_BEFORE)
    assert sent_to() == sorted([rw.users["helsinki"].email, rw.users["tampere"].email])
    services.round_close(round=rw.round, by=None)
    assert mail.round_reminders_send(today=DUE) == 0


def test_the_daily_task_reminds_of_today_and_beat_runs_it(rw):
    with mock.patch("django.utils.timezone.localdate", return_value=WEEK_BEFORE):
        # Helsinki's two, Tampere's and Turku's representatives.
        assert tasks.send_round_reminders() == 4
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "monitoring.send_round_reminders" in schedule
