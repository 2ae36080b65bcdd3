import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Body
from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaItem, Meeting
from tests.calendars import calendar_parsed
from tests.meetings.factories import MEETING_DAY, at

pytestmark = pytest.mark.django_db
MOVED_AT = datetime.datetime(2023, 9, 20, 7, 0, tzinfo=datetime.UTC)


def test_the_feed_is_reached_with_the_users_secret_address_only(client, world):
    user = world.users["observer"]
    url = reverse("secretariat:calendar_feed", args=[user.calendar_token])

    response = client.get(url)  # no sign-in: calendar programs cannot sign in

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    summaries = [event.summary for event in calendar_parsed(response.content).events]
    # The milestone is named with its measure and theme, in the user's language.
    assert (
        f"Välitavoite: {world.milestone.title} – "
        "Työllisyyspalvelujen yhteiskehittäminen (Työllisyys)"
    ) in summaries
    assert (
        client.get(
            reverse("secretariat:calendar_feed", args=["wrong-token"])
        ).status_code
        == 404
    )


def test_replacing_the_address_stops_the_old_one(client, world):
    user = world.users["staff"]
    old = reverse("secretariat:calendar_feed", args=[user.calendar_token])
    client.force_login(user)

    client.post(reverse("secretariat:calendar_subscription"))

    user.refresh_from_db()
    assert client.get(old).status_code == 404
    new = reverse("secretariat:calendar_feed", args=[user.calendar_token])
    assert client.get(new).status_code == 200


def test_a_deactivated_or_roleless_user_gets_no_feed(client, world):
    for role in ("no-role", "city-espoo"):
        user = world.users[role]
        user.is_active = role != "city-espoo"
        user.save()
        url = reverse("secretariat:calendar_feed", args=[user.calendar_token])
        assert client.get(url).status_code == 404


def test_an_unchanged_feed_is_answered_not_modified(client, world):
    url = reverse(
        "secretariat:calendar_feed", args=[world.users["observer"].calendar_token]
    )

    first = client.get(url)
    again = client.get(url)
    revalidated = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first["Cache-Control"] == "private, no-cache"
    assert first["ETag"]
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content
    assert revalidated.status_code == 304
    assert revalidated["ETag"] == first["ETag"]
    assert revalidated["Cache-Control"] == "private, no-cache"


def test_a_changed_milestone_changes_the_feeds_etag(client, world):
    url = reverse(
        "secretariat:calendar_feed", args=[world.users["observer"].calendar_token]
    )
    first = client.get(url)

    world.milestone.title = "Renamed milestone"
    world.milestone.save()

    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_cache_control_stands_for_a_signed_in_user_too(client, world):
    user = world.users["observer"]
    client.force_login(user)

    response = client.get(
        reverse("secretariat:calendar_feed", args=[user.calendar_token])
    )

    assert response["Cache-Control"] == "private, no-cache"


def test_a_new_password_replaces_the_address(client, world):
    user = world.users["observer"]
    old = reverse("secretariat:calendar_feed", args=[user.calendar_token])

    user.set_password("a new and long passphrase")
    user.save(update_fields=["password"])

    user.refresh_from_db()
    assert client.get(old).status_code == 404
    new = reverse("secretariat:calendar_feed", args=[user.calendar_token])
    assert client.get(new).status_code == 200


def test_the_password_change_page_replaces_the_address(client, world):
    user = world.users["observer"]
    user.set_password("the old passphrase 1")
    user.save()
    old = reverse("secretariat:calendar_feed", args=[user.calendar_token])
    client.force_login(user)

    client.post(
        reverse("password_change"),
        {
            "old_password": "the old passphrase 1",
            "new_password1": "a brand new passphrase 2",
            "new_password2": "a brand new passphrase 2",
        },
    )

    user.refresh_from_db()
    assert user.check_password("a brand new passphrase 2")
    assert client.get(old).status_code == 404


def test_re_hashing_the_same_password_keeps_the_address(world, settings):
    user = world.users["observer"]
    user.set_password("the same passphrase")
    user.save()
    token = user.calendar_token
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    assert user.check_password("the same passphrase")

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.calendar_token == token


def test_the_feed_is_the_same_at_a_later_time(client, world):
    url = reverse(
        "secretariat:calendar_feed", args=[world.users["observer"].calendar_token]
    )
    first = client.get(url)
    later = timezone.now() + datetime.timedelta(hours=5)

    with mock.patch("django.utils.timezone.now", return_value=later):
        again = client.get(url)

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def _meeting(world, *, number: int, published: bool) -> Meeting:
    meeting = meeting_services.meeting_save(
        meeting=Meeting(
            body=Body.objects.get(kind=Body.Kind.COOPERATION_GROUP),
            number=number,
            starts_at=at(MEETING_DAY, 9),
            place="Valtioneuvoston linna",
        ),
        by=None,
    )
    if published:
        meeting_services.agenda_item_save(
            item=AgendaItem(meeting=meeting, title="Esitys"), by=None
        )
        meeting_services.agenda_publish(meeting=meeting, by=None, notify=False)
    return meeting


def test_the_feed_shows_planned_meetings_tentative_and_a_move_as_a_revision(
    client, world, settings
):
    planned = _meeting(world, number=1, published=False)
    published = _meeting(world, number=2, published=True)
    url = reverse(
        "secretariat:calendar_feed", args=[world.users["observer"].calendar_token]
    )
    first = client.get(url)
    before = calendar_parsed(first.content)
    uids = [event.uid for event in before.events]

    published.starts_at = at(MEETING_DAY, 13)
    with mock.patch("django.utils.timezone.now", return_value=MOVED_AT):
        meeting_services.meeting_save(meeting=published, by=world.users["staff"])
    # The site moves: the UIDs stay those fixed when it was set up.
    settings.SITE_URL = "https://uusi-osoite.example.fi"
    moved = client.get(url, headers={"if-none-match": first["ETag"]})

    assert moved.status_code == 200
    after = calendar_parsed(moved.content)
    assert [event.uid for event in after.events] == uids
    domain = uids[0].split("@")[1]
    assert domain != "uusi-osoite.example.fi"
    planned_uid = f"meeting-{planned.pk}@{domain}"
    assert after.event(planned_uid).status == "TENTATIVE"
    assert after.event(planned_uid) == before.event(planned_uid)
    published_uid = f"meeting-{published.pk}@{domain}"
    old, new = before.event(published_uid), after.event(published_uid)
    assert (old.status, new.status) == ("CONFIRMED", "CONFIRMED")
    assert new.sequence == old.sequence + 1
    assert new.stamp == MOVED_AT
    assert timezone.localtime(new.start).hour == 13
