"""The whole transition table: every move by every role, allowed or refused."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.history import edit_token
from alliance.models import OutboxMessage
from tests.theme_proposals.factories import (
    ROLE_USERS,
    proposal_in_status,
)
from themes.models import Measure, Theme
from themes.proposals import services as services
from themes.proposals import workflow
from themes.proposals.models import ProposalTransition, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status

# Written out here independently of themes.workflow, so that a change of the table
# has to be made on purpose in both places.
EXPECTED = {
    (Status.DRAFT, Status.SUBMITTED): {"own_city"},
    (Status.RETURNED, Status.SUBMITTED): {"own_city"},
    (Status.SUBMITTED, Status.UNDER_REVIEW): {"staff", "chair"},
    (Status.UNDER_REVIEW, Status.RETURNED): {"staff", "chair"},
    (Status.UNDER_REVIEW, Status.ACCEPTED): {"staff", "chair"},
    (Status.UNDER_REVIEW, Status.REJECTED): {"staff", "chair"},
    (Status.ACCEPTED, Status.UNDER_REVIEW): {"chair"},
    (Status.REJECTED, Status.UNDER_REVIEW): {"chair"},
}
ROLES = sorted(ROLE_USERS)
CASES = [
    (source, target, role)
    for source, target in itertools.product(Status.values, repeat=2)
    for role in ROLES
]
ALLOWED = [case for case in CASES if case[2] in EXPECTED.get(case[:2], set())]
REFUSED = [case for case in CASES if case not in ALLOWED]


def _arguments(world, target):
    if target == Status.ACCEPTED:
        return {"note": "Hyvä ehdotus.", "theme": world.theme}
    return {"note": "Perustelu."}


def test_the_table_is_the_expected_one():
    table = {(t.source, t.target) for t in workflow.TRANSITIONS}
    assert table == set(EXPECTED)
    assert {t.name for t in workflow.TRANSITIONS if t.note_required} == {
        "return",
        "reject",
    }


@pytest.mark.parametrize(("source", "target", "role"), ALLOWED)
def test_every_allowed_move_succeeds(
    world, source, target, role, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, source)
    steps_before = proposal.transitions.count()
    by = world.role(role)

    with django_capture_on_commit_callbacks() as callbacks:
        moved = services.proposal_transition(
            proposal=proposal, to_status=target, by=by, **_arguments(world, target)
        )

    moved.refresh_from_db()
    assert moved.status == target
    assert proposal.transitions.count() == steps_before + 1
    step = proposal.transitions.order_by("-pk").first()
    assert (step.from_status, step.to_status, step.by) == (source, target, by)
    assert step.note
    # Each of the step's e-mails waits in the outbox and is sent after the commit.
    queued = OutboxMessage.objects.filter(
        key__startswith=f"proposal_transition:{step.pk}:"
    )
    assert len(callbacks) == queued.count()
    assert moved.history.first().history_user == by


@pytest.mark.parametrize(("source", "target", "role"), REFUSED)
def test_every_other_move_is_refused_and_changes_nothing(
    world, source, target, role, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, source)
    steps_before = ProposalTransition.objects.count()
    history_before = proposal.history.count()
    themes_before = Theme.objects.count()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.ProposalTransitionError) as refused,
    ):
        services.proposal_transition(
            proposal=proposal,
            to_status=target,
            by=world.role(role),
            **_arguments(world, target),
        )

    expected_code = "not_permitted" if (source, target) in EXPECTED else "not_in_table"
    assert refused.value.code == expected_code
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalTransition.objects.count() == steps_before
    assert proposal.history.count() == history_before
    assert Theme.objects.count() == themes_before
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize(("source", "target", "role"), REFUSED)
def test_every_other_move_is_refused_by_the_view(client, world, source, target, role):
    proposal = proposal_in_status(world, source)
    user = world.role(role)
    client.force_login(user)
    steps_before = ProposalTransition.objects.count()
    url = reverse("theme_proposals:proposal_transition", args=[proposal.pk, target])

    response = client.post(url, {"note": "Perustelu.", "theme": world.theme.pk})

    # A proposal the user may not see is not found; one they may see is forbidden.
    may_see = source not in (Status.DRAFT, Status.RETURNED) or role == "own_city"
    may_see = may_see or (source == Status.RETURNED and role in {"staff", "chair"})
    assert response.status_code == (403 if may_see else 404)
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalTransition.objects.count() == steps_before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("source", "target", "role"),
    [case for case in ALLOWED if case[1] != Status.ACCEPTED],
)
def test_every_allowed_move_without_a_decision_works_through_the_view(
    client, world, source, target, role
):
    proposal = proposal_in_status(world, source)
    client.force_login(world.role(role))

    response = client.post(
        reverse("theme_proposals:proposal_transition", args=[proposal.pk, target]),
        {"note": "Perustelu."},
    )

    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.status == target


@pytest.mark.parametrize("target", [Status.RETURNED, Status.REJECTED])
def test_return_and_reject_require_a_note(world, target):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)

    with pytest.raises(ValidationError) as refused:
        services.proposal_transition(
            proposal=proposal, to_status=target, by=world.users["voutilainen"], note=" "
        )

    assert refused.value.error_dict["note"][0].code == "note_required"
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW
    assert proposal.transitions.count() == 2


def test_a_missing_note_is_shown_next_to_the_field(client, world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    client.force_login(world.users["voutilainen"])

    response = client.post(
        reverse(
            "theme_proposals:proposal_transition", args=[proposal.pk, Status.RETURNED]
        ),
        {"note": ""},
    )

    assert response.status_code == 400
    assert 'class="field field--error"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW


def test_only_accepting_takes_a_decision(world):
    proposal = proposal_in_status(world, Status.SUBMITTED)

    with pytest.raises(TypeError):
        services.proposal_transition(
            proposal=proposal,
            to_status=Status.UNDER_REVIEW,
            by=world.users["voutilainen"],
            theme=world.theme,
        )

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_accepting_into_an_existing_theme_creates_the_chosen_measures(world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    by = world.users["voutilainen"]

    accepted = services.proposal_transition(
        proposal=proposal,
        to_status=Status.ACCEPTED,
        by=by,
        note="Otetaan mukaan.",
        theme=world.theme,
        measures=[services.MeasureDraft(title="Ensimmäinen toimenpide")],
    )

    assert accepted.resulting_theme == world.theme
    assert accepted.decision_note == "Otetaan mukaan."
    measure = Measure.objects.get(theme=world.theme)
    assert measure.title == "Ensimmäinen toimenpide"
    assert measure.lead_organisation == world.cities["helsinki"]
    assert measure.status == Measure.Status.PLANNED
    assert measure.history.first().history_user == by


def test_accepting_as_a_new_theme_creates_a_draft_theme(world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    by = world.users["palonen"]

    accepted = services.proposal_transition(
        proposal=proposal,
        to_status=Status.ACCEPTED,
        by=by,
        new_theme_title="Kaupunkien datatalous",
        measures=[
            services.MeasureDraft(title="Datan luettelo"),
            services.MeasureDraft(title="Käyttöehdot", description="Yhteiset ehdot."),
        ],
    )

    theme = accepted.resulting_theme
    assert theme.title == "Kaupunkien datatalous"
    assert theme.status == Theme.Status.DRAFT
    assert theme.lead_organisation == world.cities["helsinki"]
    assert theme.history.first().history_user == by
    assert list(theme.measures.values_list("title", flat=True)) == [
        "Datan luettelo",
        "Käyttöehdot",
    ]


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        ({}, "theme_missing"),
        ({"theme": "theme", "new_theme_title": "Uusi"}, "theme_choice"),
    ],
)
def test_accepting_needs_exactly_one_theme(world, decision, code):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    decision = {k: world.theme if v == "theme" else v for k, v in decision.items()}

    with pytest.raises(ValidationError) as refused:
        services.proposal_transition(
            proposal=proposal,
            to_status=Status.ACCEPTED,
            by=world.users["voutilainen"],
            **decision,
        )

    assert refused.value.code == code
    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW


def test_a_measure_that_fails_validation_leaves_everything_as_it_was(world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)

    with pytest.raises(ValidationError):
        services.proposal_transition(
            proposal=proposal,
            to_status=Status.ACCEPTED,
            by=world.users["voutilainen"],
            new_theme_title="Uusi teema",
            measures=[services.MeasureDraft(title="x" * 201)],
        )

    proposal.refresh_from_db()
    assert proposal.status == Status.UNDER_REVIEW
    assert not Theme.objects.filter(title="Uusi teema").exists()
    assert not Measure.objects.exists()


def test_reopening_clears_the_decision_but_keeps_the_record(world):
    proposal = proposal_in_status(world, Status.ACCEPTED)

    reopened = services.proposal_transition(
        proposal=proposal,
        to_status=Status.UNDER_REVIEW,
        by=world.users["palonen"],
        note="Käsitellään uudelleen.",
    )

    assert reopened.status == Status.UNDER_REVIEW
    assert reopened.resulting_theme is None
    assert list(reopened.transitions.values_list("to_status", flat=True)) == [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.ACCEPTED,
        Status.UNDER_REVIEW,
    ]
    assert reopened.history.filter(resulting_theme=world.theme).exists()


def test_forms_cannot_set_the_status(client, world):
    proposal = proposal_in_status(world, Status.DRAFT)
    client.force_login(world.users["nyholm"])

    response = client.post(
        reverse("theme_proposals:proposal_edit", args=[proposal.pk]),
        {
            "title": "Uusi otsikko",
            "rationale": "Perustelut.",
            "status": Status.ACCEPTED,
            "decision_note": "Itse hyväksytty.",
            "edit_token": edit_token(proposal),
        },
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Uusi otsikko"
    assert proposal.status == Status.DRAFT
    assert proposal.decision_note == ""
