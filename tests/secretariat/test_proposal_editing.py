"""The proposal's own text: written in the browser by the secretariat, with history,
the lost-update check, a live preview and sections in the order staff set."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat import services
from secretariat.models import PROPOSAL_TEXT_MAX_LENGTH, ModelProposal, ProposalSection
from secretariat.permissions import can_edit_proposal, can_view_proposal
from tests.html import rendered_rows
from tests.redirects import HTMX

pytestmark = pytest.mark.django_db

TASK_KINDS = ["organisation", "operating_model", "schedule", "monitoring"]


def _proposal(world) -> ModelProposal:
    return world.appointment.model_proposal


def _section(world, kind="organisation") -> ProposalSection:
    return _proposal(world).sections.get(kind=kind)


def _kinds(world) -> list[str]:
    return [
        section.kind for section in _proposal(world).sections.order_by("order", "pk")
    ]


def _token(response) -> str:
    return response.context["form"]["edit_token"].value()


def _edit(client, section, **data):
    url = reverse("secretariat:proposal_section_edit", args=[section.pk])
    token = _token(client.get(url))
    return client.post(url, {"edit_token": token, "title": section.title, **data})


# The rules


@pytest.mark.parametrize(
    ("role", "may_view", "may_edit"),
    [
        ("no-role", False, False),
        ("observer", True, False),
        ("city-helsinki", True, False),
        ("staff", True, True),
        ("chair", True, True),
    ],
)
def test_every_role_reads_the_proposal_and_the_secretariat_writes_it(
    world, role, may_view, may_edit
):
    user = world.users[role]
    assert can_view_proposal(user) is may_view
    assert can_edit_proposal(user) is may_edit


@pytest.mark.parametrize("role", ["observer", "city-helsinki", "no-role"])
def test_the_services_refuse_whom_the_rule_refuses(world, role):
    user = world.users[role]
    proposal = _proposal(world)
    own = services.section_add(proposal=proposal, title="Oma luku", by=None)
    section = _section(world)
    section.body = "Kaupungin teksti"
    proposal.title = "Kaupungin otsikko"
    writes = [
        lambda: services.proposal_save(proposal=proposal, by=user),
        lambda: services.section_save(section=section, by=user),
        lambda: services.section_add(proposal=proposal, title="Toinen", by=user),
        lambda: services.section_remove(section=own, by=user),
        lambda: services.section_move(section=own, direction="up", by=user),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert ModelProposal.objects.get().title != "Kaupungin otsikko"
    assert _section(world).body == ""
    assert _kinds(world) == [*TASK_KINDS, "own"]


@pytest.mark.parametrize("role", ["observer", "city-helsinki"])
def test_a_reader_cannot_open_or_post_any_editing_page(world, as_role, role):
    client = as_role(role)
    section = _section(world)
    before = (ModelProposal.objects.get().title, _section(world).body)
    for name, args in [
        ("secretariat:proposal_edit", []),
        ("secretariat:proposal_section_add", []),
        ("secretariat:proposal_section_edit", [section.pk]),
        ("secretariat:proposal_section_remove", [section.pk]),
    ]:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"title": "X", "body": "Y"}).status_code == 403, name
    for direction in ("up", "down"):
        url = reverse("secretariat:proposal_section_move", args=[section.pk, direction])
        assert client.post(url).status_code == 403
    preview = client.post(reverse("secretariat:proposal_preview"), {"body": "**x**"})
    assert preview.status_code == 403
    assert (ModelProposal.objects.get().title, _section(world).body) == before
    assert _kinds(world) == TASK_KINDS


# The page


def test_the_page_shows_the_sections_in_order_with_their_markdown_rendered(
    world, as_role
):
    section = _section(world, "operating_model")
    section.body = (
        "Johdanto **lihavoitu**.\n\n# Alaotsikko\n\n- yksi\n- kaksi\n\n"
        "| A | B |\n| --- | --- |\n| 1 | 2 |\n\n<script>alert(1)</script>"
    )
    services.section_save(section=section, by=world.users["staff"])
    services.section_add(
        proposal=_proposal(world), title="Rahoitus", body="*Kursiivi*", by=None
    )

    response = as_role("observer").get(reverse("secretariat:proposal"))

    assert response.status_code == 200
    page = response.content.decode()
    assert rendered_rows(response, "section") == 5
    titles = [
        "Organisaatio ja tavoitteet",
        "Teemat, toimenpiteet ja toimintamalli",
        "Käynnistämisen ja toimeenpanon aikataulu",
        "Toimeenpanon seuranta",
        "Rahoitus",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "<strong>lihavoitu</strong>" in page
    assert "<h3>Alaotsikko</h3>" in page  # '#' is demoted below the section's <h2>
    assert "<li>yksi</li>" in page
    assert "<table>" in page and "<td>2</td>" in page
    assert "<em>Kursiivi</em>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # What the document adds from the live model, with today's numbers.
    assert "Teemat: 1 · Toimenpiteet: 1" in page
    assert "Mittarit: 1" in page
    # A reader gets no editing controls.
    assert reverse("secretariat:proposal_section_edit", args=[section.pk]) not in page
    assert reverse("secretariat:proposal_edit") not in page


def test_staff_see_the_controls_and_only_own_sections_can_be_removed(world, as_role):
    own = services.section_add(proposal=_proposal(world), title="Oma", by=None)
    page = as_role("staff").get(reverse("secretariat:proposal")).content.decode()

    assert reverse("secretariat:proposal_edit") in page
    assert reverse("secretariat:proposal_section_add") in page
    for section in _proposal(world).sections.all():
        assert reverse("secretariat:proposal_section_edit", args=[section.pk]) in page
        remove = reverse("secretariat:proposal_section_remove", args=[section.pk])
        assert (remove in page) is (section.pk == own.pk)


def test_example_text_is_marked_as_example(world, as_role):
    section = _section(world)
    section.body = "Esimerkki"
    section.is_example = True
    services.section_save(section=section, by=None)

    page = as_role("observer").get(reverse("secretariat:proposal")).content.decode()

    heading = page[page.index(f'id="section-{section.pk}-heading"') :]
    assert heading.index('<span class="badge">esimerkki</span>') < heading.index(
        "</h2>"
    )


def test_the_navigation_dashboard_and_appointment_link_to_the_proposal(world, as_role):
    client = as_role("observer")
    url = reverse("secretariat:proposal")
    for page in (
        reverse("secretariat:dashboard"),
        reverse("secretariat:appointment_detail", args=[world.appointment.pk]),
        reverse("themes:theme_list"),
    ):
        assert f'href="{url}"' in client.get(page).content.decode(), page


def _sections(world, count):
    for number in range(count):
        services.section_add(
            proposal=_proposal(world),
            title=f"Luku {number}",
            body=f"Teksti **{number}**\n\n- a\n- b",
            by=world.users["staff"],
        )


def test_the_page_runs_as_many_queries_for_many_sections_as_for_few(
    client, world, django_assert_num_queries
):
    client.force_login(world.users["chair"])
    url = reverse("secretariat:proposal")
    _sections(world, 3)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "section") == 7

    _sections(world, 30)
    proposal = _proposal(world)
    for number in range(10):
        proposal.summary = f"Tiivistelmä {number}"
        services.proposal_save(proposal=proposal, by=world.users["staff"])

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert rendered_rows(response, "section") == 37
    assert rendered_rows(response, "history") == 11


# Editing with history and the lost-update check


def test_a_save_records_who_made_it_and_shows_in_the_sections_history(world, as_role):
    client = as_role("staff")
    section = _section(world)

    response = _edit(client, section, title="Organisointi", body="Uusi **teksti**")

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('secretariat:proposal')}#section-{section.pk}"
    )
    section.refresh_from_db()
    assert (section.title, section.body) == ("Organisointi", "Uusi **teksti**")
    latest = section.history.order_by("-history_id").first()
    assert latest.history_user == world.users["staff"]
    page = client.get(
        reverse("secretariat:proposal_section_edit", args=[section.pk])
    ).content.decode()
    assert world.users["staff"].get_full_name() in page
    assert "Organisointi" in page


def test_a_persons_save_makes_example_text_their_own(world, as_role):
    section = _section(world)
    section.body = "Esimerkki"
    section.is_example = True
    services.section_save(section=section, by=None)

    _edit(as_role("chair"), section, body="Sihteeristön teksti")

    section.refresh_from_db()
    assert not section.is_example


def test_the_second_of_two_concurrent_saves_is_refused_with_409(world, client):
    section = _section(world)
    url = reverse("secretariat:proposal_section_edit", args=[section.pk])
    client.force_login(world.users["staff"])
    stale = _token(client.get(url))
    chair = Client()
    chair.force_login(world.users["chair"])
    assert _edit(chair, section, body="Puheenjohtajan teksti").status_code == 302

    response = client.post(
        url, {"edit_token": stale, "title": section.title, "body": "Minun tekstini"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Joku muu tallensi tämän" in page
    assert "Puheenjohtajan teksti" in page  # what the other person saved
    assert "Minun tekstini" in page  # the refused text stays in the editor
    section.refresh_from_db()
    assert section.body == "Puheenjohtajan teksti"


def test_the_title_and_summaries_are_saved_with_history_and_the_check(world, client):
    url = reverse("secretariat:proposal_edit")
    client.force_login(world.users["staff"])
    stale = _token(client.get(url))
    data = {"title": "Esitys", "summary": "Tiivistelmä", "summary_sv": "Sammandrag"}

    first = client.post(url, {**data, "edit_token": stale})
    second = client.post(url, {**data, "summary": "Toinen", "edit_token": stale})

    assert first.status_code == 302
    assert second.status_code == 409
    proposal = ModelProposal.objects.get()
    assert (proposal.title, proposal.summary, proposal.summary_sv) == (
        "Esitys",
        "Tiivistelmä",
        "Sammandrag",
    )
    latest = proposal.history.order_by("-history_id").first()
    assert latest.history_user == world.users["staff"]
    page = client.get(reverse("secretariat:proposal")).content.decode()
    assert "<p>Sammandrag</p>" in page


# Adding, removing and moving sections


def test_staff_add_a_section_at_the_end(world, as_role):
    client = as_role("staff")
    url = reverse("secretariat:proposal_section_add")
    assert client.get(url).status_code == 200

    response = client.post(url, {"title": "Rahoitus", "body": "Rahoitus **2024**"})

    assert response.status_code == 302
    section = _proposal(world).sections.get(title="Rahoitus")
    assert section.kind == ProposalSection.Kind.OWN
    assert _kinds(world) == [*TASK_KINDS, "own"]
    assert section.history.get().history_user == world.users["staff"]


def test_the_task_sections_cannot_be_removed(world, as_role):
    section = _section(world, "monitoring")
    with pytest.raises(ValidationError) as refusal:
        services.section_remove(section=section, by=world.users["chair"])
    assert refusal.value.code == "task_section"

    client = as_role("chair")
    url = reverse("secretariat:proposal_section_remove", args=[section.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "ei voi poistaa" in page.content.decode()
    response = client.post(url)

    assert response.status_code == 400
    assert "Toimeenpanon seuranta" in response.content.decode()
    assert "ei voi poistaa" in response.content.decode()
    assert _kinds(world) == TASK_KINDS


def test_an_own_section_is_removed_after_confirmation_with_history(world, as_role):
    own = services.section_add(proposal=_proposal(world), title="Oma", by=None)
    client = as_role("staff")
    url = reverse("secretariat:proposal_section_remove", args=[own.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert _kinds(world) == [*TASK_KINDS, "own"]  # asking removes nothing
    response = client.post(url)

    assert response.status_code == 302
    assert _kinds(world) == TASK_KINDS
    removal = ProposalSection.history.filter(id=own.pk).order_by("-history_id")[0]
    assert (removal.history_type, removal.history_user) == ("-", world.users["staff"])


def test_sections_move_up_and_down_with_history(world, as_role):
    client = as_role("staff")
    schedule = _section(world, "schedule")
    own = services.section_add(proposal=_proposal(world), title="Oma", by=None)

    up = client.post(
        reverse("secretariat:proposal_section_move", args=[schedule.pk, "up"])
    )
    assert up.status_code == 302
    assert _kinds(world) == [
        "organisation",
        "schedule",
        "operating_model",
        "monitoring",
        "own",
    ]
    fragment = client.post(
        reverse("secretariat:proposal_section_move", args=[own.pk, "up"]), **HTMX
    )
    assert fragment.status_code == 200
    assert rendered_rows(fragment, "section") == 5
    assert _kinds(world) == [
        "organisation",
        "schedule",
        "operating_model",
        "own",
        "monitoring",
    ]
    # The first cannot go further up: nothing changes.
    first = _section(world, "organisation")
    client.post(reverse("secretariat:proposal_section_move", args=[first.pk, "up"]))
    assert _kinds(world)[0] == "organisation"
    moved = schedule.history.order_by("-history_id").first()
    assert moved.history_user == world.users["staff"]
    page = client.get(reverse("secretariat:proposal")).content.decode()
    assert page.index("Käynnistämisen ja toimeenpanon aikataulu") < page.index(
        "Teemat, toimenpiteet ja toimintamalli"
    )


# The preview


def test_the_preview_renders_markdown_and_escapes_html(world, as_role):
    response = as_role("staff").post(
        reverse("secretariat:proposal_preview"),
        {
            "body": "# Otsikko\n\n**lihava** [linkki](javascript:alert(1)) "
            "<script>alert(1)</script>"
        },
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>Otsikko</h3>" in html
    assert "<strong>lihava</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html.replace("[linkki](javascript:alert(1))", "")
    assert 'href="javascript' not in html


def test_the_preview_is_for_posts_with_the_csrf_token_only(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    url = reverse("secretariat:proposal_preview")

    assert client.get(url).status_code == 405
    assert client.post(url, {"body": "**x**"}).status_code == 403


def test_the_edit_page_shows_the_preview_beside_the_editor_and_the_syntax_help(
    world, as_role
):
    section = _section(world)
    section.body = "**Valmis** teksti"
    services.section_save(section=section, by=None)

    response = as_role("staff").get(
        reverse("secretariat:proposal_section_edit", args=[section.pk])
    )

    page = response.content.decode()
    assert 'hx-post="/proposal/preview/"' in page
    assert 'hx-trigger="input changed delay:500ms"' in page
    assert '<div id="markdown-preview"' in page
    assert "<strong>Valmis</strong> teksti" in page
    assert 'id="markdown-help"' in page
    assert "<code>**…**</code>" in page


# Hostile input


def test_hostile_input_gets_a_4xx_and_changes_nothing(world, as_role):
    client = as_role("staff")
    section = _section(world)
    huge = "x" * (PROPOSAL_TEXT_MAX_LENGTH + 1)
    url = reverse("secretariat:proposal_section_edit", args=[section.pk])
    preview = reverse("secretariat:proposal_preview")

    assert _edit(client, section, body=huge).status_code == 400
    assert _edit(client, section, title="x" * 201).status_code == 400
    assert _edit(client, section, title="").status_code == 400
    bad_token = client.post(url, {"edit_token": "1 OR 1=1", "title": "A", "body": "B"})
    assert bad_token.status_code == 400
    huge_token = client.post(url, {"edit_token": "9" * 40, "title": "A", "body": "B"})
    assert huge_token.status_code == 400
    assert client.post(preview, {"body": huge}).status_code == 400
    assert (
        client.post(
            reverse("secretariat:proposal_section_add"), {"title": "A", "body": huge}
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("secretariat:proposal_edit"),
            {"title": "A", "summary": huge, "edit_token": "0"},
        ).status_code
        == 400
    )
    for name, args in [
        ("secretariat:proposal_section_edit", [2**70]),
        ("secretariat:proposal_section_edit", [999999]),
        ("secretariat:proposal_section_remove", [2**70]),
        ("secretariat:proposal_section_move", [2**70, "up"]),
        ("secretariat:proposal_section_move", [section.pk, "sideways"]),
    ]:
        method = client.get if name.endswith("edit") else client.post
        assert method(reverse(name, args=args)).status_code == 404, (name, args)
    assert client.get("/proposal/sections/abc/edit/").status_code == 404

    section.refresh_from_db()
    assert (section.title, section.body) == ("Organisaatio ja tavoitteet", "")
    assert _kinds(world) == TASK_KINDS


def test_the_services_refuse_too_long_text(world):
    section = _section(world)
    section.body = "x" * (PROPOSAL_TEXT_MAX_LENGTH + 1)
    with pytest.raises(ValidationError):
        services.section_save(section=section, by=None)
    with pytest.raises(ValidationError):
        services.section_add(
            proposal=_proposal(world), title="A", body=section.body, by=None
        )
    assert _section(world).body == ""


def test_without_a_proposal_the_page_is_not_found(world, as_role):
    ProposalSection.objects.all().delete()
    ModelProposal.objects.all().delete()
    assert as_role("chair").get(reverse("secretariat:proposal")).status_code == 404


def test_the_page_and_the_editor_in_swedish(world, client):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "sv"

    page = client.get(reverse("secretariat:proposal")).content.decode()
    editor = client.get(
        reverse("secretariat:proposal_section_edit", args=[_section(world).pk])
    ).content.decode()

    assert '<html lang="sv">' in page
    assert "Lägg till ett avsnitt" in page
    assert "Tillsättningsbeslutets uppgift 3: uppföljning av genomförandet" in page
    assert "Modellförslag" in page
    assert "Förhandsgranskning" in editor
    assert "Formatering: vad texten får innehålla" in editor


def _section_edits(world, section, count, start=0):
    for number in range(start, start + count):
        section.body = f"Versio {number}"
        services.section_save(section=section, by=world.users["staff"])


def test_every_role_reads_a_sections_history_in_a_fixed_number_of_queries(
    world, client, django_assert_num_queries
):
    section = _section(world, "monitoring")
    client.force_login(world.users["observer"])
    url = reverse("secretariat:proposal_section_detail", args=[section.pk])
    _section_edits(world, section, 5)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "history") == 6  # made by bootstrap, then 5 edits

    _section_edits(world, section, 20, start=5)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    page = response.content.decode()
    assert rendered_rows(response, "history") == 26
    assert world.users["staff"].get_full_name() in page
    assert "<p>Versio 24</p>" in page
    assert "Mittarit: 1" in page
    assert reverse("secretariat:proposal_section_edit", args=[section.pk]) not in page
