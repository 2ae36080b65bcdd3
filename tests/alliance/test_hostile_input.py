"""Hostile input is refused with a message or a 4xx, never with a 500.

NUL and the other C0 control characters except TAB, LF and CR: at the field in forms,
400 in a query string, 404 in a path. Run on PostgreSQL too, which refuses NUL in text.
"""

import importlib

import pytest
from django import forms
from django.test import Client

from alliance.editing import safe_next
from alliance.forms import ControlCharactersRefusedMixin
from members.models import User
from tests.factories import cast_create
from themes.proposals.forms import ProposalCommentForm

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]
ACCEPTED = ["\t", "\n", "\r\n"]

FORM_MODULES = [
    "alliance.editing",
    "members.forms",
    "members.invitations",
    "themes.forms",
    "themes.proposals.forms",
    "monitoring.forms",
    "secretariat.meetings.forms",
    "secretariat.forms",
]


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_form_of_the_apps_refuses_control_characters():
    for module in FORM_MODULES:
        importlib.import_module(module)
    project_forms = {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0]
        in {"alliance", "members", "themes", "monitoring", "secretariat"}
    }
    assert len(project_forms) > 40
    assert not [
        form.__qualname__
        for form in project_forms
        if not issubclass(form, ControlCharactersRefusedMixin)
    ]


@pytest.mark.parametrize("character", REFUSED)
def test_a_text_field_refuses_a_control_character_with_a_message(character):
    form = ProposalCommentForm(data={"text": f"Hyvä{character}ehdotus"})
    assert not form.is_valid()
    assert form.errors.as_data()["text"][0].code in {
        "control_characters",
        "null_characters_not_allowed",
    }
    assert form.errors["text"][0]


@pytest.mark.parametrize("character", ACCEPTED)
def test_a_text_field_keeps_tabs_and_line_breaks(character):
    form = ProposalCommentForm(data={"text": f"Hyvä{character}ehdotus"})
    assert form.is_valid(), form.errors


def test_the_check_does_not_pile_up_on_the_declared_field():
    ProposalCommentForm()
    ProposalCommentForm()
    declared = ProposalCommentForm.base_fields["text"].validators
    assert len(ProposalCommentForm().fields["text"].validators) == len(declared) + 1


@pytest.fixture
def signed_in(db, client):
    client.force_login(cast_create("observer")["observer"])
    return client


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.parametrize("character", ["%00", "%01", "%1F"])
def test_search_with_a_control_character_answers_400_in_the_layout(
    production, signed_in, character
):
    response = signed_in.get(f"/search/?q=kokous{character}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Osoite ei kelpaa" in page
    assert 'class="site-header' in page


def test_a_parameter_name_with_nul_answers_400(production, signed_in):
    assert signed_in.get("/search/?q%00=kokous").status_code == 400


def test_search_keeps_tabs_and_line_breaks(production, signed_in):
    assert signed_in.get("/search/?q=a%09b%0Ac").status_code == 200


@pytest.mark.parametrize("character", ["%00", "%01"])
def test_a_calendar_address_with_a_control_character_answers_404(
    production, db, character
):
    user = cast_create("observer")["observer"]
    client = Client(raise_request_exception=False)
    response = client.get(f"/calendar/{character}/allianssi.ics")
    assert response.status_code == 404
    response = client.get(f"/calendar/{user.calendar_token}{character}/allianssi.ics")
    assert response.status_code == 404
    assert client.get(f"/calendar/{user.calendar_token}/allianssi.ics").status_code == (
        200
    )
    assert User.objects.filter(pk=user.pk).exists()


def test_a_form_body_over_a_megabyte_is_refused_with_400(production, db):
    client = Client(raise_request_exception=False)
    response = client.post("/login/", {"username": "x" * (1024**2 + 1)})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["/a\x00b", "/\x01", "0", "/" + "a" * 10_000])
def test_an_odd_next_never_leads_to_a_control_character(rf, target):
    request = rf.post("/", {"next": target})
    found = safe_next(request)
    assert found is None or not any(ord(c) < 32 for c in found)
