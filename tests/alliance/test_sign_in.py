"""The sign-in lock-out (django-axes) and the password rules.

Lock-out tests post to the sign-in view: `Client.login()` does not give axes the
request, and the backend steps aside without one.
"""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-password"
HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


def _sign_in(client, *, username, password, address, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def _fail(client, *, username, address, times, **headers):
    for _attempt in range(times):
        response = _sign_in(
            client, username=username, password="wrong", address=address, **headers
        )
    return response


def test_five_failures_lock_the_name_and_address_not_the_user_elsewhere(client):
    UserFactory(username="nyholm")
    response = _fail(client, username="nyholm", address=HOME, times=4)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = _fail(client, username="nyholm", address=HOME, times=1)
    assert response.status_code == 429
    # The right password does not open a locked pair either.
    response = _sign_in(client, username="nyholm", password=PASSWORD, address=HOME)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    response = _sign_in(client, username="nyholm", password=PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lock_out_says_why_in_the_users_language(client):
    UserFactory(username="lindqvist")
    response = _fail(
        client, username="lindqvist", address=HOME, times=5, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed sign-ins" in content
    assert "15 minutes" in content
    response = _fail(
        client, username="lindqvist", address=HOME, times=1, HTTP_ACCEPT_LANGUAGE="fi"
    )
    assert "Liian monta" in response.content.decode()


def test_the_lock_out_expires_after_the_cool_off(client, settings):
    import datetime

    from axes.models import AccessAttempt

    UserFactory(username="ferm")
    _fail(client, username="ferm", address=HOME, times=5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - datetime.timedelta(minutes=16)
    )
    response = _sign_in(client, username="ferm", password=PASSWORD, address=HOME)
    assert response.status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_locked(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    UserFactory(username="keskinen")
    proxy = "10.0.0.2"
    response = _fail(
        client,
        username="keskinen",
        address=proxy,
        times=5,
        HTTP_X_FORWARDED_FOR=HOME,
    )
    assert response.status_code == 429
    # Someone else behind the same proxy still signs in as the same user.
    response = _sign_in(
        client,
        username="keskinen",
        password=PASSWORD,
        address=proxy,
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert response.status_code == 302
    assert set(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).values_list(
            "address", flat=True
        )
    ) == {HOME}


def test_authenticate_without_a_request_checks_the_password_only():
    user = UserFactory(username="observer")
    assert authenticate(username="observer", password=PASSWORD) == user
    assert authenticate(username="observer", password="wrong") is None


def test_passwords_need_twelve_characters_and_not_the_users_name():
    user = UserFactory(username="palonen", first_name="Katja", last_name="Palonen")
    with pytest.raises(ValidationError) as error:
        validate_password("x7#Qm2!pLr", user=user)
    assert "password_too_short" in [e.code for e in error.value.error_list]
    with pytest.raises(ValidationError) as error:
        validate_password("katjapalonen1", user=user)
    assert "password_too_similar" in [e.code for e in error.value.error_list]
    validate_password("kesäkuun-sade-2023", user=user)
