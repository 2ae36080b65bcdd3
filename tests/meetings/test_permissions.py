"""Every meeting URL, for every role: the server enforces who may do what.

Anonymous users are sent to sign in; a signed-in user without a role gets 403 (or 404
for an object view); every role reads; the secretariat prepares; the chair decides.
"""

import copy
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaItem, Meeting
from secretariat.meetings.urls import urlpatterns
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    alliance_create,
)
from tests.module_rows import made_once_per_module
from tests.redirects import (
    HOSTILE_NEXTS,
    assert_stays_on_site,
    post_form_with_hostile_nexts,
    shown_form,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["anonymous", "none", "observer", "city", "staff", "chair"]


@dataclass
class Scene:
    planned: Meeting
    published: Meeting
    held: Meeting
    planned_item: AgendaItem
    held_item: AgendaItem
    draft_attachment: object
    published_attachment: object
    action_item: object


@pytest.fixture(scope="module")
def _alliance_of_the_module(django_db_setup, django_db_blocker):
    yield from made_once_per_module(django_db_blocker, alliance_create)


@pytest.fixture
def alliance(db, _alliance_of_the_module):
    """The alliance of every meeting test, made once for this module's many."""
    return copy.deepcopy(_alliance_of_the_module)


@pytest.fixture
def scene(alliance):
    staff, chair = alliance.users["staff"], alliance.users["chair"]
    planned = MeetingFactory(body=alliance.group, number=1)
    planned_item = AgendaItemFactory(meeting=planned)
    draft_attachment = meeting_services.agenda_attachment_add(
        item=planned_item,
        title="Luonnos",
        upload=SimpleUploadedFile("luonnos.pdf", PDF_BYTES),
        by=staff,
    )
    published = MeetingFactory(body=alliance.group, number=2)
    published_item = AgendaItemFactory(meeting=published)
    published_attachment = meeting_services.agenda_attachment_add(
        item=published_item,
        title="Liite",
        upload=SimpleUploadedFile("liite.pdf", PDF_BYTES),
        by=staff,
    )
    meeting_services.agenda_publish(meeting=published, by=chair)
    held = MeetingFactory(body=alliance.secretariat, number=1)
    held_item = AgendaItemFactory(meeting=held)
    meeting_services.agenda_publish(meeting=held, by=chair)
    meeting_services.meeting_mark_held(meeting=held, by=chair)
    action_item = ActionItemFactory(meeting=held, owner=alliance.secretariat_seats[1])
    return Scene(
        planned=planned,
        published=published,
        held=held,
        planned_item=planned_item,
        held_item=held_item,
        draft_attachment=draft_attachment,
        published_attachment=published_attachment,
        action_item=action_item,
    )


READ = {"none": 403, "observer": 200, "city": 200, "staff": 200, "chair": 200}
PREPARE = {"none": 403, "observer": 403, "city": 403, "staff": 200, "chair": 200}
PREPARE_OBJECT = {**PREPARE, "none": 404}
PREPARE_POST = {"none": 403, "observer": 403, "city": 403, "staff": 302, "chair": 302}
DECIDE_POST = {**PREPARE_POST, "staff": 403}
DECIDE = {**PREPARE, "staff": 403}

# name, method, arguments from the scene, expected status per role
CASES = [
    ("meeting_list", "get", lambda s: [], READ),
    ("meeting_add", "get", lambda s: [], PREPARE),
    ("meeting_detail", "get", lambda s: [s.planned.pk], READ),
    ("meeting_edit", "get", lambda s: [s.planned.pk], PREPARE_OBJECT),
    ("meeting_ical", "get", lambda s: [s.planned.pk], READ),
    ("meeting_mark_held", "post", lambda s: [s.published.pk], DECIDE_POST),
    ("meeting_cancel", "get", lambda s: [s.published.pk], DECIDE),
    ("agenda_builder", "get", lambda s: [s.planned.pk], PREPARE),
    ("agenda_item_add", "get", lambda s: [s.planned.pk], PREPARE_OBJECT),
    ("agenda_standard_items", "post", lambda s: [s.planned.pk], PREPARE_POST),
    ("agenda_publish", "post", lambda s: [s.planned.pk], DECIDE_POST),
    ("agenda_version_detail", "get", lambda s: [s.published.pk, 1], READ),
    ("agenda_item_edit", "get", lambda s: [s.planned_item.pk], PREPARE_OBJECT),
    ("agenda_item_delete", "post", lambda s: [s.planned_item.pk], PREPARE_POST),
    ("agenda_item_move", "post", lambda s: [s.planned_item.pk, "up"], PREPARE_POST),
    ("agenda_attachment_add", "get", lambda s: [s.planned_item.pk], PREPARE),
    (
        "agenda_attachment_download",
        "get",
        lambda s: [s.draft_attachment.pk],
        {**PREPARE, "observer": 404, "city": 404},
    ),
    (
        "agenda_attachment_download",
        "get",
        lambda s: [s.published_attachment.pk],
        READ,
    ),
    (
        "agenda_attachment_delete",
        "post",
        lambda s: [s.draft_attachment.pk],
        PREPARE_POST,
    ),
    ("minutes_edit", "get", lambda s: [s.held.pk], PREPARE),
    ("minutes_decision_edit", "get", lambda s: [s.held_item.pk], PREPARE_OBJECT),
    ("minutes_approve", "get", lambda s: [s.held.pk], DECIDE),
    (
        "document_request",
        "post",
        lambda s: [s.published.pk, "agenda"],
        {**PREPARE_POST, "observer": 302, "city": 302},
    ),
    (
        "document_request",
        "post",
        lambda s: [s.planned.pk, "agenda"],
        {**PREPARE_POST, "observer": 404, "city": 404},
    ),
    (
        "document_request",
        "post",
        lambda s: [s.held.pk, "minutes"],
        {**PREPARE_POST, "observer": 404, "city": 404},
    ),
    ("document_preview", "get", lambda s: [s.planned.pk, "agenda"], PREPARE),
    ("decision_list", "get", lambda s: [], READ),
    ("action_item_list", "get", lambda s: [], READ),
    ("action_item_add", "get", lambda s: [s.held.pk], PREPARE_OBJECT),
    ("action_item_edit", "get", lambda s: [s.action_item.pk], PREPARE_OBJECT),
]


# The meeting documents are assembled by the secretariat, which serves them.
DOCUMENT_URLS = {"document_request", "document_preview"}


def _namespaced(name: str) -> str:
    return f"secretariat:{name}" if name in DOCUMENT_URLS else f"meetings:{name}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "arguments", "expected"),
    CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)],
)
def test_each_url_answers_each_role_as_the_rules_say(
    client, alliance, scene, name, method, arguments, expected, role
):
    url = reverse(_namespaced(name), args=arguments(scene))
    if role != "anonymous":
        client.force_login(alliance.users[role])

    response = getattr(client, method)(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected[role], (name, role)


@pytest.mark.parametrize(
    ("name", "method", "arguments", "expected"),
    CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)],
)
def test_no_post_leads_off_the_site(
    client, alliance, scene, name, method, arguments, expected
):
    """Each form, posted as shown with a `next` to another site, stays on this one."""
    url = reverse(_namespaced(name), args=arguments(scene))
    for index, role in enumerate(ROLES[1:]):
        client.force_login(alliance.users[role])
        if method == "post":
            hostile = HOSTILE_NEXTS[index % len(HOSTILE_NEXTS)]
            assert_stays_on_site(client.post(url, {"next": hostile}))
        elif expected[role] == 200 and shown_form(client.get(url)) is not None:
            post_form_with_hostile_nexts(client, url, HOSTILE_NEXTS)


def test_every_meeting_url_is_covered():
    names = {pattern.name for pattern in urlpatterns} | DOCUMENT_URLS
    assert names == {case[0] for case in CASES}
