import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from alliance.models import OutboxMessage
from members.models import User

pytestmark = pytest.mark.django_db


def _invite(client, **overrides):
    data = {
        "first_name": "Kirsi",
        "last_name": "Kaunisharju",
        "email": "kirsi.kaunisharju@example.org",
        "username": "kaunisharju",
        "language": "sv",
        "roles": [Group.objects.get(name="secretariat-staff").pk],
        **overrides,
    }
    return client.post(reverse("members:account_invite"), data)


def test_the_chair_invites_a_person_who_sets_their_own_password(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["chair"])

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, person=world.person.pk)

    assert response.status_code == 302
    invited = User.objects.get(username="kaunisharju")
    assert list(invited.groups.values_list("name", flat=True)) == ["secretariat-staff"]
    world.person.refresh_from_db()
    assert world.person.user == invited
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kirsi.kaunisharju@example.org"]
    assert message.subject == "Du har bjudits in till Allianssi"  # in their language
    link = re.search(r"http://\S+/password-reset/\S+/", message.body).group(0)

    client.logout()
    path = link.split("8000", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Allianssi-2023!", "new_password2": "Allianssi-2023!"},
    )
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("Allianssi-2023!")


def test_an_invitation_with_a_taken_user_name_is_refused_next_to_the_field(
    client, world
):
    client.force_login(world.users["chair"])

    response = _invite(client, username="voutilainen")

    assert response.status_code == 400
    assert "username" in response.context["form"].errors
    assert not mail.outbox


@pytest.mark.parametrize("role", ["staff", "observer", "city-helsinki"])
def test_only_the_chair_manages_accounts(as_role, world, role):
    client = as_role(role)

    assert client.get(reverse("members:account_list")).status_code == 403
    assert _invite(client).status_code == 403
    response = client.post(
        reverse("members:account_set_active", args=[world.users["observer"].pk]),
        {"active": "0"},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=world.users["observer"].pk).is_active
    assert not User.objects.filter(username="kaunisharju").exists()


def test_the_chair_gives_and_takes_roles_and_deactivates(client, world):
    client.force_login(world.users["chair"])
    observer = world.users["observer"]
    staff_group = Group.objects.get(name="secretariat-staff")

    response = client.post(
        reverse("members:account_roles", args=[observer.pk]),
        {"roles": [staff_group.pk]},
    )
    assert response.status_code == 302
    assert list(observer.groups.values_list("name", flat=True)) == ["secretariat-staff"]

    client.post(
        reverse("members:account_set_active", args=[observer.pk]), {"active": "0"}
    )
    observer.refresh_from_db()
    assert not observer.is_active

    response = client.post(
        reverse("members:account_set_active", args=[world.users["chair"].pk]),
        {"active": "0"},
        follow=True,
    )
    assert "Et voi poistaa omaa käyttäjätiliäsi käytöstä." in response.content.decode()
    assert User.objects.get(pk=world.users["chair"].pk).is_active


def test_password_reset_is_open_to_everyone(
    client, world, django_capture_on_commit_callbacks
):
    world.users["observer"].email = "observer@example.org"
    world.users["observer"].save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "observer@example.org"}
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_the_password_reset_names_the_account_in_its_own_language(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://allianssi.example.fi"
    user = world.users["observer"]
    user.email = "observer@example.org"
    user.language = "sv"
    user.save()

    # Asked from a browser in Finnish, on whatever host the request named.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"),
            {"email": "observer@example.org"},
            headers={"accept-language": "fi"},
        )

    (message,) = mail.outbox
    assert message.subject == "Allianssi: ange ditt lösenord"
    assert f"kontot {user.username} i Allianssi" in message.body
    link = re.search(r"https?://\S+/password-reset/\S+/", message.body).group(0)
    assert link.startswith("https://allianssi.example.fi/")
    reset = OutboxMessage.objects.get(key__startswith="password_reset:")
    assert reset.language == "sv"


def test_roles_are_named_in_words_not_group_codes(client, world):
    client.force_login(world.users["chair"])
    espoo = world.users["city-espoo"]
    page = client.get(reverse("members:account_list")).content.decode()
    row = next(
        row for row in page.split('<tr data-row="account">') if espoo.username in row
    )
    assert "Kaupungin edustaja: Espoo" in row
    assert "city-espoo" not in page

    form = client.get(reverse("members:account_roles", args=[espoo.pk]))
    labels = form.content.decode()
    assert "Sihteeristön henkilöstö" in labels and "Puheenjohtaja" in labels
    assert not re.search(r">\s*(secretariat-staff|city-espoo|observer)\s*<", labels)
