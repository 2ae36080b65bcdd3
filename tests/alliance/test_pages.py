import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_front_page_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_is_finnish_and_accessible(client):
    page = client.get(reverse("login")).content.decode()

    assert '<html lang="fi">' in page
    assert "Kirjaudu sisään" in page
    assert 'href="#main"' in page
    assert "Siirry sisältöön" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert '"allowEval": false' in page


def test_base_page_has_no_inline_script_or_event_handlers(client):
    client.force_login(UserFactory(first_name="Katja", last_name="Palonen"))
    page = client.get("/").content.decode()

    assert "Katja Palonen" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert "hx-on" not in page


def test_sign_in_restores_the_users_language(client):
    user = UserFactory(username="mattsson", language="sv")

    response = client.post(
        reverse("login"), {"username": "mattsson", "password": "secret-password"}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "sv"
    page = client.get("/").content.decode()
    assert '<html lang="sv">' in page
    assert user.pk


def test_language_switch_stores_the_choice_on_the_user(client):
    user = UserFactory(language="fi")
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_htmx_is_served_by_the_app_itself(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
