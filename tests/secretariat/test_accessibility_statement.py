"""The accessibility statement is public, in Finnish and Swedish, and takes feedback."""

import pytest
from django.core.cache import cache

from alliance.models import AccessibilityFeedback, OutboxMessage
from members.selectors import secretariat_users_with_email
from secretariat.accessibility import FEEDBACK_LIMIT

URL = "/accessibility/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("language", "heading", "authority"),
    [
        ("fi", "Saavutettavuusseloste", "Liikenne- ja viestintävirasto Traficom"),
        ("sv", "Tillgänglighetsutlåtande", "Transport- och kommunikationsverket"),
    ],
)
def test_the_statement_is_public_in_finnish_and_swedish(
    client, world, settings, language, heading, authority
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert authority in page
    assert "saavutettavuusvaatimukset.fi" in page
    assert "6.12.2026" in page


def test_every_page_links_to_the_statement_in_its_footer(client, world):
    for path in ("/login/", "/privacy/", URL):
        assert f'href="{URL}"' in client.get(path).content.decode()
    client.force_login(world.users["observer"])
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_feedback_is_stored_and_mailed_to_the_secretariat(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "message": "Esityslistan PDF ei toimi ruudunlukijalla.",
                "page": "/meetings/1/",
                "email": "lukija@example.org",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == URL + "#feedback"
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.email == "lukija@example.org"
    assert feedback.language == "fi"
    staff = {user.email for user in secretariat_users_with_email()}
    assert staff
    queued = OutboxMessage.objects.filter(key__startswith="accessibility_feedback:")
    assert {message.recipient for message in queued} == staff
    assert all("ruudunlukijalla" in message.body for message in queued)
    assert "Kiitos" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "x" * (AccessibilityFeedback.MESSAGE_MAX_LENGTH + 1)},
        {"message": "Hei", "page": "p" * 301},
        {"message": "Hei", "email": "not an address"},
        {"message": "Hei", "email": "a@" + "b" * 300 + ".fi"},
        {"message": ["one", "two"], "page": "\x00"},
    ],
)
def test_bad_feedback_shows_errors_and_stores_nothing(client, world, data):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "field--error" in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()
    assert not OutboxMessage.objects.filter(
        key__startswith="accessibility_feedback:"
    ).exists()


def test_too_many_messages_are_refused_with_a_message(client, world):
    for number in range(FEEDBACK_LIMIT):
        response = client.post(URL, {"message": f"Palaute {number}"})
        assert response.status_code == 302
    response = client.post(URL, {"message": "Vielä yksi"})
    assert response.status_code == 429
    assert "Yritä uudelleen tunnin kuluttua" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == FEEDBACK_LIMIT


def test_the_limit_also_counts_by_address_across_sessions(client, world):
    for number in range(FEEDBACK_LIMIT):
        client.cookies.clear()
        client.post(URL, {"message": f"Palaute {number}"})
    client.cookies.clear()
    assert client.post(URL, {"message": "Uusi istunto"}).status_code == 429
