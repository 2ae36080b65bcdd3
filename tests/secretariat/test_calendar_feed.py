"""The calendar feed: a window around today, built once per version, answered 304."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from members.models import Body, Language
from members.services import body_save
from secretariat.calendar_feed import calendar_window
from secretariat.meetings.models import Meeting
from tests.calendars import calendar_parsed
from tests.meetings.factories import MeetingFactory
from tests.themes.factories import MilestoneFactory
from themes.proposals.selectors import proposal_round_current
from themes.proposals.services import proposal_round_update
from themes.services import milestone_save, theme_save

pytestmark = pytest.mark.django_db
LATER = datetime.datetime(2023, 9, 15, 12, 0, tzinfo=datetime.UTC)


def _feed_url(user) -> str:
    return reverse("secretariat:calendar_feed", args=[user.calendar_token])


def _summaries(response) -> list[str]:
    return [event.summary for event in calendar_parsed(response.content).events]


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), timezone.get_default_timezone()
    )


def test_the_window_is_a_year_back_and_two_ahead():
    assert calendar_window(today=datetime.date(2023, 9, 15)) == (
        datetime.date(2022, 9, 15),
        datetime.date(2025, 9, 15),
    )
    assert calendar_window(today=datetime.date(2024, 2, 29)) == (
        datetime.date(2023, 2, 28),
        datetime.date(2026, 2, 28),
    )


def test_the_feed_shows_only_what_falls_within_the_window_edges_included(
    client, world, fixed_today
):
    first_day, last_day = calendar_window(today=fixed_today)
    day = datetime.timedelta(days=1)
    for title, due in [
        ("Ennen ikkunaa", first_day - day),
        ("Ikkunan alku", first_day),
        ("Ikkunan loppu", last_day),
        ("Ikkunan jälkeen", last_day + day),
    ]:
        MilestoneFactory(theme=world.theme, measure=None, title=title, due_date=due)
    body = Body.objects.get(kind=Body.Kind.COOPERATION_GROUP)
    for number, starts in [
        (91, _local(first_day - day, 23, 30)),
        (92, _local(first_day, 0, 30)),
        (93, _local(last_day, 23, 30)),
        (94, _local(last_day + day, 0, 30)),
    ]:
        MeetingFactory(
            body=body,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        )
    proposal_round_update(
        proposal_round=proposal_round_current(),
        by=world.users["staff"],
        closing_date=last_day + day,
    )

    summaries = _summaries(client.get(_feed_url(world.users["observer"])))

    shown = " | ".join(summaries)
    assert "Ikkunan alku" in shown
    assert "Ikkunan loppu" in shown
    assert "Ennen ikkunaa" not in shown
    assert "Ikkunan jälkeen" not in shown
    assert "kokous 92" in shown
    assert "kokous 93" in shown
    assert "kokous 91" not in shown
    assert "kokous 94" not in shown
    assert not any("Kaupunkien teemaehdotusten" in summary for summary in summaries)


def test_the_window_moves_with_the_day_though_nothing_changed(client, world):
    url = _feed_url(world.users["observer"])
    first_day, _last = calendar_window(today=world.milestone.due_date)
    MilestoneFactory(
        theme=world.theme, measure=None, title="Alkureunalla", due_date=first_day
    )
    on_the_day = datetime.datetime.combine(
        world.milestone.due_date, datetime.time(12), datetime.UTC
    )
    with mock.patch("django.utils.timezone.now", return_value=on_the_day):
        before = client.get(url)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=on_the_day + datetime.timedelta(days=1),
    ):
        after = client.get(url, headers={"if-none-match": before["ETag"]})

    assert any("Alkureunalla" in summary for summary in _summaries(before))
    assert after.status_code == 200
    assert not any("Alkureunalla" in summary for summary in _summaries(after))


def test_the_feed_reads_a_fixed_number_of_queries_built_or_kept(
    client, world, django_assert_num_queries
):
    url = _feed_url(world.users["observer"])
    body = Body.objects.get(kind=Body.Kind.COOPERATION_GROUP)
    with CaptureQueriesContext(connection) as built_with_few:
        few = client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept) < len(built_with_few)

    for n in range(20):
        MilestoneFactory(theme=world.theme, measure=None, title=f"Välitavoite {n}")
        MeetingFactory(body=body, number=100 + n)

    with django_assert_num_queries(len(built_with_few)):
        many = client.get(url)
    with django_assert_num_queries(len(kept)):
        again = client.get(url)

    assert len(calendar_parsed(many.content).events) == (
        len(calendar_parsed(few.content).events) + 40
    )
    assert again.content == many.content


def test_no_change_the_feed_shows_is_hidden_by_the_kept_feed(client, world):
    staff = world.users["staff"]
    url = _feed_url(world.users["observer"])
    seen = client.get(url)

    def changed(assertion):
        nonlocal seen
        response = client.get(url, headers={"if-none-match": seen["ETag"]})
        assert response.status_code == 200
        assert assertion(_summaries(response))
        seen = response

    world.theme.title = "Työllisyys ja osaaminen"
    theme_save(theme=world.theme, by=staff)
    changed(lambda summaries: any("(Työllisyys ja osaaminen)" in s for s in summaries))

    world.measure.title = "Yhteiskehittäminen"
    world.measure.save()
    changed(lambda summaries: any("– Yhteiskehittäminen (" in s for s in summaries))

    world.milestone.title = "Uusi nimi"
    milestone_save(milestone=world.milestone, by=staff)
    changed(lambda summaries: any("Välitavoite: Uusi nimi" in s for s in summaries))

    meeting = MeetingFactory(body=Body.objects.get(kind=Body.Kind.COOPERATION_GROUP))
    changed(lambda summaries: any(f"kokous {meeting.number}" in s for s in summaries))

    meeting.body.name_fi = "Yhteistyöryhmä (uusi)"
    body_save(body=meeting.body, by=staff)
    changed(lambda summaries: any("Yhteistyöryhmä (uusi)" in s for s in summaries))

    proposal_round_update(
        proposal_round=proposal_round_current(),
        by=staff,
        closing_date=datetime.date(2023, 12, 1),
    )
    changed(lambda summaries: any("teemaehdotusten" in s for s in summaries))

    world.milestone.delete()
    changed(lambda summaries: not any("Uusi nimi" in s for s in summaries))

    Meeting.objects.get(pk=meeting.pk).delete()
    changed(
        lambda summaries: not any(f"kokous {meeting.number}" in s for s in summaries)
    )


def test_each_user_and_language_has_a_feed_of_its_own(client, world):
    finnish, swedish = world.users["observer"], world.users["staff"]
    swedish.language = Language.SWEDISH
    swedish.save(update_fields=["language"])

    in_finnish = _summaries(client.get(_feed_url(finnish)))
    in_swedish = _summaries(client.get(_feed_url(swedish)))

    assert any(summary.startswith("Välitavoite: ") for summary in in_finnish)
    assert any(summary.startswith("Delmål: ") for summary in in_swedish)
    assert not any(summary.startswith("Välitavoite: ") for summary in in_swedish)


def test_last_modified_answers_304_until_a_change(client, world):
    url = _feed_url(world.users["observer"])
    first = client.get(url)
    last_modified = first["Last-Modified"]

    unchanged = client.get(url, headers={"if-modified-since": last_modified})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["Last-Modified"] == last_modified
    assert unchanged["ETag"] == first["ETag"]
    with mock.patch("django.utils.timezone.now", return_value=LATER):
        world.milestone.title = "Myöhemmin muutettu"
        milestone_save(milestone=world.milestone, by=world.users["staff"])
        changed = client.get(url, headers={"if-modified-since": last_modified})
    assert changed.status_code == 200
    assert changed["Last-Modified"] == http_date(LATER.timestamp())
    assert any("Myöhemmin muutettu" in s for s in _summaries(changed))
