import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def test_the_feed_is_reached_with_the_users_secret_address_only(client, world):
    user = world.users["observer"]
    url = reverse("secretariat:calendar_feed", args=[user.calendar_token])

    response = client.get(url)  # no sign-in: calendar programs cannot sign in

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert any(world.milestone.title in summary for summary in summaries)
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
