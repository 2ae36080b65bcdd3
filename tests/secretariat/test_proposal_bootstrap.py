"""Bootstrap makes the proposal with its task sections once, and `--demo` writes
example text only where nobody has written."""

import datetime

import pytest
from django.core.management import call_command

from alliance.markdown import markdown_html
from secretariat import services
from secretariat.bootstrap import bootstrap
from secretariat.models import (
    DEFAULT_PROPOSAL_TITLE,
    ModelProposal,
    ModelProposalVersion,
    ProposalSection,
)
from tests.factories import cast_create

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 9, 15)


def _sections():
    return list(
        ProposalSection.objects.order_by("order", "pk").values_list(
            "kind", "title", "body", "is_example"
        )
    )


def _history_count():
    return (
        ModelProposal.history.count(),
        ProposalSection.history.count(),
    )


def test_bootstrap_makes_one_proposal_with_the_four_task_sections_once():
    bootstrap(today=TODAY)
    first = _sections()
    history = _history_count()

    bootstrap(today=TODAY)

    proposal = ModelProposal.objects.get()
    assert proposal.title == DEFAULT_PROPOSAL_TITLE
    assert proposal.appointment.diary_number == "TEM077:00/2023"
    assert [(kind, title) for kind, title, _body, _example in first] == [
        ("organisation", "Organisaatio ja tavoitteet"),
        ("operating_model", "Teemat, toimenpiteet ja toimintamalli"),
        ("schedule", "Käynnistämisen ja toimeenpanon aikataulu"),
        ("monitoring", "Toimeenpanon seuranta"),
    ]
    assert _sections() == first
    assert _history_count() == history


def test_demo_writes_marked_example_text_and_no_version():
    call_command("bootstrap_alliance", "--demo", verbosity=0)

    sections = ProposalSection.objects.order_by("order")
    assert all(section.is_example for section in sections)
    assert all(section.body.strip() for section in sections)
    html = "".join(markdown_html(section.body) for section in sections)
    assert "<li>" in html and "<strong>" in html and "<table>" in html
    assert "TEM077:00/2023" in sections[0].body
    assert ModelProposalVersion.objects.count() == 0
    history = _history_count()

    call_command("bootstrap_alliance", "--demo", verbosity=0)

    assert _history_count() == history


def test_a_second_run_keeps_what_the_secretariat_wrote_and_added():
    bootstrap(today=TODAY)
    staff = cast_create("voutilainen")["voutilainen"]
    proposal = ModelProposal.objects.get()
    section = proposal.sections.get(kind="organisation")
    section.title = "Allianssin organisointi"
    section.body = "Sihteeristön oma teksti."
    services.section_save(section=section, by=staff)
    services.section_add(proposal=proposal, title="Rahoitus", body="Oma", by=staff)
    services.section_move(
        section=proposal.sections.get(kind="monitoring"), direction="up", by=staff
    )
    written = _sections()

    call_command("bootstrap_alliance", "--demo", verbosity=0)

    after = _sections()
    assert len(after) == 5
    assert after[0] == (
        "organisation",
        "Allianssin organisointi",
        "Sihteeristön oma teksti.",
        False,
    )
    # The blank task sections got the example text; nothing else moved or changed.
    assert [row[:2] for row in after] == [row[:2] for row in written]
    assert after[-1] == written[-1]
    assert [row[3] for row in after] == [False, True, True, True, False]


def test_a_missing_task_section_is_made_again_at_the_end():
    bootstrap(today=TODAY)
    ProposalSection.objects.filter(kind="organisation").delete()

    bootstrap(today=TODAY)

    assert [kind for kind, *_rest in _sections()] == [
        "operating_model",
        "schedule",
        "monitoring",
        "organisation",
    ]
    assert ModelProposal.objects.count() == 1
