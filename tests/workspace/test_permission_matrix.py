# ruff: noqa: E501
"""Every URL of the app × every role, with the status each role must get.

A URL added without a row here fails `test_every_url_is_in_the_matrix`, so the
matrix cannot fall behind the app.
"""

import datetime

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import NominationRequest
from members.services import nomination_record, nomination_request_save
from monitoring.models import ReportingRound
from monitoring.services import round_open
from secretariat.meetings.urls import urlpatterns as meeting_urlpatterns
from tests.factories import ROLES
from tests.redirects import (
    HOSTILE_NEXTS,
    assert_stays_on_site,
    post_form_with_hostile_nexts,
    shown_form,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"
PUBLIC = dict.fromkeys(ROLES, 200)
# Every role reads the cooperation model; a signed-in user without a role reads nothing.
READ = {
    "anonymous": LOGIN,
    "no-role": 403,
    "observer": 200,
    "city-helsinki": 200,
    "city-espoo": 200,
    "staff": 200,
    "chair": 200,
}
# Only the secretariat edits it.
EDIT = {**READ, "observer": 403, "city-helsinki": 403, "city-espoo": 403}
CHAIR_ONLY = {**EDIT, "staff": 403}
SIGNED_IN = {**PUBLIC, "anonymous": LOGIN}
# A city's draft: its own city only; to everyone else it does not exist.
HELSINKI_DRAFT = {
    **READ,
    "observer": 404,
    "city-espoo": 404,
    "staff": 404,
    "chair": 404,
}


def _round(world):
    """The open reporting round of the world's indicator, opened on first use."""
    round = ReportingRound.objects.first()
    if round is None:
        round = round_open(
            period=datetime.date(2023, 7, 1),
            frequency=world.indicator.frequency,
            due_date=datetime.date(2023, 9, 30),
            indicators=[world.indicator],
            by=None,
        )
    return round


def _nomination(world):
    """A request waiting for its answer, made on first use."""
    nomination = NominationRequest.objects.filter(
        status=NominationRequest.Status.SENT
    ).first()
    if nomination is None:
        nomination = nomination_request_save(
            nomination_request=NominationRequest(
                body=world.secretariat,
                organisation=world.organisation,
                sent_on=datetime.date(2023, 8, 24),
                reply_due=datetime.date(2023, 8, 30),
            ),
            by=None,
        )
    return nomination


def _nominated(world):
    """A request that the organisation has answered, made on first use."""
    nomination = NominationRequest.objects.filter(
        status=NominationRequest.Status.NOMINATED
    ).first()
    if nomination is None:
        nomination = nomination_record(
            nomination_request=nomination_request_save(
                nomination_request=NominationRequest(
                    body=world.secretariat,
                    organisation=world.organisation,
                    sent_on=datetime.date(2023, 8, 24),
                    reply_due=datetime.date(2023, 8, 30),
                ),
                by=None,
            ),
            nominee=world.person,
            decision_reference="HEL-2023-010779",
            decision_date=datetime.date(2023, 8, 29),
            by=None,
        )
    return nomination


def _args(world):
    return {
        "pk:round": [_round(world).pk],
        "pk:theme": [world.theme.pk],
        "pk:measure": [world.measure.pk],
        "pk:milestone": [world.milestone.pk],
        "pk:body": [world.secretariat.pk],
        "pk:membership": [world.membership.pk],
        "pk:organisation": [world.organisation.pk],
        "pk:person": [world.person.pk],
        "pk:appointment": [world.appointment.pk],
        "pk:task": [world.task.pk],
        "pk:user": [world.users["observer"].pk],
        "pk:indicator": [world.indicator.pk],
        "pk:helsinki_draft": [world.helsinki_draft.pk],
        "pk:helsinki_draft_attachment": [world.helsinki_draft_attachment.pk],
        "pk:helsinki_sent": [world.helsinki_sent.pk],
        "pk:helsinki_observation": [world.helsinki_observation.pk],
        "pk:nomination": [_nomination(world).pk],
        "pk:nominated": [_nominated(world).pk],
        "pk:proposal_section": [
            world.appointment.model_proposal.sections.order_by("order").first().pk
        ],
    }


# url name: (arguments, expected status by role for GET)
MATRIX = {
    "login": ([], {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "password_reset": ([], PUBLIC),
    "password_reset_done": ([], PUBLIC),
    "password_reset_complete": ([], PUBLIC),
    "members:privacy": ([], PUBLIC),
    "secretariat:accessibility": ([], PUBLIC),
    # The public page: the appointment and the members for anyone, signed in or not.
    "secretariat:public": ([], PUBLIC),
    # A document not marked public does not exist for the public page, whoever asks.
    "secretariat:public_document": (["proposal_attachment", "pk:helsinki_draft_attachment", "file"], dict.fromkeys(ROLES, 404)),
    # Only the secretariat sets publicity, and only of what it can see: not a city's draft.
    "secretariat:publicity_edit": (["proposal_attachment", "pk:helsinki_draft_attachment"], {**EDIT, "staff": 404, "chair": 404}),
    # For load balancers and monitors: states only, no secrets, no sign-in.
    "healthz": ([], PUBLIC),
    "password_change": ([], SIGNED_IN),
    "password_change_done": ([], SIGNED_IN),
    "secretariat:dashboard": ([], READ),
    "secretariat:schedule": ([], READ),
    "secretariat:schedule_theme": (["pk:theme"], READ),
    "secretariat:search": ([], READ),
    "secretariat:appointment_current": ([], {**READ, **dict.fromkeys(
        ["observer", "city-helsinki", "city-espoo", "staff", "chair"], 302)}),
    "secretariat:appointment_detail": (["pk:appointment"], READ),
    "secretariat:appointment_edit": (["pk:appointment"], EDIT),
    "secretariat:task_edit": (["pk:task"], EDIT),
    "secretariat:proposal_versions": ([], READ),
    "secretariat:proposal": ([], READ),
    "secretariat:proposal_edit": ([], EDIT),
    "secretariat:proposal_section_add": ([], EDIT),
    "secretariat:proposal_section_detail": (["pk:proposal_section"], READ),
    "secretariat:proposal_section_edit": (["pk:proposal_section"], EDIT),
    "secretariat:proposal_section_remove": (["pk:proposal_section"], EDIT),
    "secretariat:proposal_compare": ([], READ),
    "members:organisation_list": ([], READ),
    "members:organisation_add": ([], EDIT),
    "members:organisation_detail": (["pk:organisation"], READ),
    "members:organisation_edit": (["pk:organisation"], EDIT),
    "members:body_list": ([], READ),
    "members:body_detail": (["pk:body"], READ),
    "members:body_edit": (["pk:body"], EDIT),
    "members:membership_add": (["pk:body"], EDIT),
    "members:membership_detail": (["pk:membership"], READ),
    "members:membership_edit": (["pk:membership"], EDIT),
    "members:membership_replace": (["pk:membership"], EDIT),
    "members:nomination_list": ([], READ),
    "members:nomination_add": ([], EDIT),
    "members:nomination_detail": (["pk:nomination"], READ),
    "members:nomination_edit": (["pk:nomination"], EDIT),
    "members:nomination_record": (["pk:nomination"], EDIT),
    "members:nomination_appoint": (["pk:nominated"], EDIT),
    "members:person_add": ([], EDIT),
    "members:person_detail": (["pk:person"], READ),
    "members:person_edit": (["pk:person"], EDIT),
    "members:account_list": ([], CHAIR_ONLY),
    "members:audit_trail": ([], CHAIR_ONLY),
    "members:account_invite": ([], CHAIR_ONLY),
    "members:account_roles": (["pk:user"], CHAIR_ONLY),
    "themes:theme_list": ([], READ),
    "themes:theme_add": ([], EDIT),
    "themes:theme_detail": (["pk:theme"], READ),
    "themes:theme_edit": (["pk:theme"], EDIT),
    "themes:measure_add": (["pk:theme"], EDIT),
    "themes:theme_milestone_add": (["pk:theme"], EDIT),
    "themes:measure_detail": (["pk:measure"], READ),
    "themes:measure_edit": (["pk:measure"], EDIT),
    "themes:measure_milestone_add": (["pk:measure"], EDIT),
    "themes:milestone_detail": (["pk:milestone"], READ),
    "themes:milestone_edit": (["pk:milestone"], EDIT),
    "themes:theme_export": ([], READ),
    "monitoring:indicator_list": ([], READ),
    "monitoring:indicator_export": (["indicators", "xlsx"], READ),
    "monitoring:indicator_detail": (["pk:indicator"], READ),
    "monitoring:indicator_chart": (["pk:indicator", "series"], READ),
    "monitoring:city_overview": (["helsinki"], READ),
    "monitoring:city_chart": (["helsinki"], READ),
    "monitoring:indicator_add_for_theme": (["pk:theme"], EDIT),
    "monitoring:indicator_add_for_measure": (["pk:measure"], EDIT),
    "monitoring:indicator_edit": (["pk:indicator"], EDIT),
    "monitoring:thresholds_edit": ([], EDIT),
    "monitoring:observation_add": (["pk:indicator"], {**EDIT, "city-helsinki": 200, "city-espoo": 200}),
    "monitoring:observation_bulk": (["pk:indicator"], {**EDIT, "city-helsinki": 200, "city-espoo": 200}),
    "monitoring:observation_edit": (["pk:helsinki_observation"], {**EDIT, "city-helsinki": 200}),
    "monitoring:observation_delete": (["pk:helsinki_observation"], {**EDIT, "city-helsinki": 200}),
    "monitoring:indicator_relocate": (["pk:indicator"], EDIT),
    "monitoring:observation_import": ([], {**EDIT, "city-helsinki": 200, "city-espoo": 200}),
    "monitoring:observation_import_template": (["csv"], {**EDIT, "city-helsinki": 200, "city-espoo": 200}),
    "monitoring:round_list": ([], READ),
    "monitoring:round_open": ([], EDIT),
    "monitoring:round_detail": (["pk:round"], READ),
    "monitoring:city_round": (["pk:round", "helsinki"], {**EDIT, "city-helsinki": 200}),
    "secretariat:calendar_subscription": ([], READ),
    "secretariat:progress_reports": ([], EDIT),
    "theme_proposals:proposal_list": ([], READ),
    "theme_proposals:proposal_review_queue": ([], EDIT),
    "theme_proposals:proposal_add": ([], {**EDIT, "city-helsinki": 200, "city-espoo": 200, "staff": 403, "chair": 403}),
    "theme_proposals:proposal_round_edit": ([], EDIT),
    "theme_proposals:proposal_detail": (["pk:helsinki_draft"], HELSINKI_DRAFT),
    "theme_proposals:proposal_edit": (["pk:helsinki_draft"], HELSINKI_DRAFT),
    "theme_proposals:proposal_attachment_download": (["pk:helsinki_draft", "pk:helsinki_draft_attachment"], HELSINKI_DRAFT),
    "theme_proposals:proposal_transition": (["pk:helsinki_sent", "under_review"], EDIT),
}  # fmt: skip

# POST-only URLs: (arguments, POST data, expected status by role); a refused POST
# must leave the database as it was.
POST_ONLY = {
    "set_language": ([], {"language": "sv", "next": "/"}, {**PUBLIC, **dict.fromkeys(ROLES, 302)}),
    "logout": ([], {}, dict.fromkeys(ROLES, 302)),
    "members:membership_move": (["pk:membership", "down"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "themes:theme_move": (["pk:theme", "down"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "themes:measure_move": (["pk:measure", "down"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "monitoring:indicator_move": (["pk:indicator", "down"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "secretariat:proposal_section_move": (["pk:proposal_section", "down"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "secretariat:proposal_preview": ([], {"body": "**Teksti**"}, {**EDIT, "staff": 200, "chair": 200}),
    "monitoring:observation_import_confirm": ([], {"plan": "forged"}, {**EDIT, "city-helsinki": 400, "city-espoo": 400, "staff": 400, "chair": 400}),
    "monitoring:round_close": (["pk:round"], {}, {**EDIT, "staff": 302, "chair": 302}),
    "monitoring:city_report_complete": (["pk:round", "helsinki"], {"confirm_missing": "on"}, {**EDIT, "city-helsinki": 302, "staff": 302, "chair": 302}),
    "theme_proposals:proposal_comment_add": (["pk:helsinki_sent"], {"text": "Kysymys"}, {**EDIT, "city-helsinki": 302, "staff": 302, "chair": 302}),
    "theme_proposals:proposal_attachment_add": (["pk:helsinki_draft"], {}, {**HELSINKI_DRAFT, "city-helsinki": 400}),
    "theme_proposals:proposal_attachment_delete": (["pk:helsinki_draft", "pk:helsinki_draft_attachment"], {}, {**HELSINKI_DRAFT, "city-helsinki": 302}),
    "theme_proposals:proposal_round_reopen": ([], {"reopened": "1"}, {**EDIT, "staff": 403, "chair": 302}),
    "members:account_set_active": (["pk:user"], {"active": "1"}, {**CHAIR_ONLY, "chair": 302}),
    "members:nomination_withdraw": (["pk:nomination"], {}, {**EDIT, "staff": 302, "chair": 302}),
}  # fmt: skip

# Checked by their own tests: token-carrying URLs (the invitation and reset flow, the
# calendar feed), and the meetings, whose own matrix needs meetings in every state
# and their documents (tests/meetings/test_permissions.py, which fails on a URL it
# lacks), and the proposal's versions (tests/secretariat/test_proposal_versions.py).
CHECKED_ELSEWHERE = {
    "password_reset_confirm",
    "secretariat:calendar_feed",
    "secretariat:document_request",
    "secretariat:document_preview",
    # Need the proposal and its versions: tests/secretariat/test_proposal_versions.py.
    "secretariat:proposal_draft",
    "secretariat:proposal_final",
    "secretariat:proposal_version_row",
    "secretariat:proposal_version_file",
    "secretariat:proposal_file_retry",
    # A report made (a job row): tests/secretariat/test_progress_report.py.
    "secretariat:progress_report_download",
    *(f"meetings:{pattern.name}" for pattern in meeting_urlpatterns),
}


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    names = set(_named_urls()) - {
        "alliance:job_detail",
        "alliance:job_download",
        "alliance:job_retry",
    }
    missing = names - set(MATRIX) - set(POST_ONLY) - CHECKED_ELSEWHERE
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"


def _url(name, args, world):
    values = _args(world)
    return reverse(name, args=[values[a][0] if a in values else a for a in args])


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_by_role(name, world, as_role):
    args, expected = MATRIX[name]
    url = _url(name, args, world)
    for role in ROLES:
        response = as_role(role).get(url)
        try:
            _check(response, expected[role])
        except AssertionError as error:
            raise AssertionError(f"{name} as {role}: {response.status_code}") from error


def _snapshot():
    """Row counts, history included: a refused write leaves no history entry."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "members",
            "themes",
            "theme_proposals",
            "monitoring",
            "meetings",
            "secretariat",
        }
    }


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_by_role(name, world, as_role):
    args, data, expected = POST_ONLY[name]
    url = _url(name, args, world)
    for role in ROLES:
        before = _snapshot()
        response = as_role(role).post(url, data)
        try:
            _check(response, expected[role])
        except AssertionError as error:
            raise AssertionError(f"{name} as {role}: {response.status_code}") from error
        if expected[role] in (403, 404, LOGIN):
            assert _snapshot() == before, f"{name} as {role} changed the database"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_forms_never_lead_off_the_site(name, world, as_role):
    """Each form, posted as shown with a `next` to another site, stays on this one."""
    args, expected = MATRIX[name]
    url = _url(name, args, world)
    for role in ROLES:
        client = as_role(role)
        if expected[role] != 200 or shown_form(client.get(url)) is None:
            continue
        try:
            post_form_with_hostile_nexts(client, url, HOSTILE_NEXTS)
        except AssertionError as error:
            raise AssertionError(f"{name} as {role}: {error}") from error


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_posts_never_lead_off_the_site(name, world, as_role):
    args, data, _expected = POST_ONLY[name]
    url = _url(name, args, world)
    for index, role in enumerate(ROLES):
        hostile = HOSTILE_NEXTS[index % len(HOSTILE_NEXTS)]
        response = as_role(role).post(url, {**data, "next": hostile})
        try:
            assert_stays_on_site(response)
        except AssertionError as error:
            raise AssertionError(f"{name} as {role}: {error}") from error
