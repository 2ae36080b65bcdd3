import pytest
from django.urls import reverse
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
