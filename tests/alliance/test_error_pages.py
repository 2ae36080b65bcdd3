"""Error pages in the site's layout and the user's language, with ways on."""

import pytest
from django.test import Client

from tests.factories import cast_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def _swedish(client: Client) -> Client:
    client.cookies["django_language"] = "sv"
    return client


def test_an_unknown_address_gets_the_finnish_404_page(production, client):
    response = client.get("/ei-ole-olemassa/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sivua ei löytynyt" in page
    assert 'class="site-header' in page
    assert 'href="/"' in page
    assert page.count("<h1") == 1


def test_the_404_page_follows_the_chosen_language(production, client):
    response = _swedish(client).get("/finns-inte/")
    assert response.status_code == 404
    assert 'lang="sv"' in response.content.decode()
    assert "Sidan hittades inte" in response.content.decode()


def test_a_refused_page_says_so_and_changes_nothing(production, client, organisations):
    user = cast_create("norole")["norole"]
    client.force_login(user)
    response = client.get("/themes/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Ei käyttöoikeutta" in page
    assert "Mitään ei muutettu" in page
    assert 'href="/"' in page


def test_a_failure_gets_the_500_page_without_a_traceback(production, settings):
    settings.ROOT_URLCONF = "tests.alliance.error_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/planted-failure/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Jokin meni vikaan" in page
    assert "planted failure" not in page and "Traceback" not in page
    assert 'href="/"' in page


def test_a_form_without_its_token_gets_the_localised_csrf_page(production):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Lomaketta ei voitu lähettää" in page
    assert "mitään ei tallennettu" in page


def test_the_500_and_csrf_pages_follow_the_chosen_language(production, settings):
    settings.ROOT_URLCONF = "tests.alliance.error_urls"
    failure = _swedish(Client(raise_request_exception=False)).get("/planted-failure/")
    refused = _swedish(Client(enforce_csrf_checks=True)).post("/login/", {})
    assert (failure.status_code, refused.status_code) == (500, 403)
    for response, heading in (
        (failure, "Något gick fel"),
        (refused, "Formuläret kunde inte skickas"),
    ):
        page = response.content.decode()
        assert 'lang="sv"' in page
        assert heading in page
        assert 'class="site-header' in page
