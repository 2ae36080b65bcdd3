"""The example meetings that `bootstrap_alliance --demo` loads."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from secretariat import documents
from secretariat.bootstrap import BootstrapReport, demo_accounts_load
from secretariat.meetings import selectors as meeting_selectors
from secretariat.meetings.demo import meeting_demo_load
from secretariat.meetings.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 10, 2)
WEEK, WEEKS_2 = datetime.timedelta(days=7), datetime.timedelta(days=14)


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _rows():
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_app_config("secretariat").get_models()
    }


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    """The decision and the demo accounts, then the example meetings on `TODAY`."""
    call_command("bootstrap_alliance", verbosity=0)
    demo_accounts_load(BootstrapReport(), password=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        written = meeting_demo_load(today=TODAY)
    # The examples queue no e-mail task and send no e-mail.
    assert callbacks == []
    assert mail.outbox == []
    return written


def test_a_second_load_writes_nothing_and_no_history(loaded):
    assert loaded["written"] > 0
    before = _rows()

    assert meeting_demo_load(today=TODAY) == {"written": 0}

    assert _rows() == before


def test_the_examples_are_a_full_agenda_and_held_minutes_with_action_items(
    loaded, client
):
    upcoming = Meeting.objects.get(body__kind="cooperation_group")
    held = Meeting.objects.get(body__kind="secretariat")
    assert upcoming.is_example and held.is_example
    assert upcoming.status == Meeting.Status.PLANNED
    assert [item.kind for item in meeting_selectors.agenda_items(meeting=upcoming)] == [
        "opening",
        "quorum",
        "agenda_approval",
        "matter",
        "matter",
        "matter",
        "next_meeting",
        "closing",
    ]
    assert held.status == Meeting.Status.HELD
    assert held.followed_version.number == 1
    # Moved by the system through the services, on the days it would have happened.
    assert list(held.status_changes.values_list("to_status", "by", "at")) == [
        (Meeting.Status.AGENDA_PUBLISHED, None, _aware(TODAY - WEEKS_2 - WEEK, 9)),
        (Meeting.Status.HELD, None, _aware(TODAY - WEEKS_2, 15)),
    ]
    assert held.followed_version.published_at == _aware(TODAY - WEEKS_2 - WEEK, 9)
    assert held.attendances.filter(status="absent").count() == 1
    items = ActionItem.objects.filter(meeting=held, is_example=True)
    assert items.count() == 3
    overdue = meeting_selectors.action_items_for_dashboard(today=TODAY)
    assert [item.is_overdue for item in overdue].count(True) == 1
    assert documents.minutes_document(meeting=held).context["items"][3]["outcome"]

    client.force_login(get_user_model().objects.get(username="palonen"))
    page = client.get(reverse("meetings:agenda_builder", args=[upcoming.pk]))
    assert page.status_code == 200
    assert "Yhteistyömallin teemat ja toimenpiteet" in page.content.decode()
