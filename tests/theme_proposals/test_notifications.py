"""E-mails: one per recipient per step, to the right side, in each one's language."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from alliance.models import OutboxMessage
from alliance.tasks import outbox_send
from tests.theme_proposals.factories import proposal_in_status
from themes.proposals import services as services
from themes.proposals.models import ProposalComment, ProposalTransition, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status
SECRETARIAT = {"palonen@example.org", "voutilainen@example.org", "mattsson@example.org"}
HELSINKI = {"nyholm@example.org", "lindqvist@example.org"}


@pytest.fixture
def world(world, settings):
    settings.SITE_URL = "https://allianssi.example.fi"
    return world


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def _step(world, proposal, to_status, by, callbacks_fixture, **arguments):
    with callbacks_fixture(execute=True) as callbacks:
        proposal = services.proposal_transition(
            proposal=proposal, to_status=to_status, by=world.users[by], **arguments
        )
    return proposal, callbacks


def test_a_submission_mails_the_secretariat_once_each(
    world, django_capture_on_commit_callbacks
):
    draft = proposal_in_status(world, Status.DRAFT)

    proposal, callbacks = _step(
        world, draft, Status.SUBMITTED, "nyholm", django_capture_on_commit_callbacks
    )

    # One send per message, each after the commit.
    assert len(callbacks) == len(SECRETARIAT)
    assert _recipients() == sorted(SECRETARIAT)
    message = _by_recipient()["voutilainen@example.org"]
    assert message.subject == f"Proposal submitted: {proposal.title} (Helsinki)"
    link = "https://allianssi.example.fi" + proposal.get_absolute_url()
    assert link in message.body
    assert "Helsinki has submitted a theme proposal" in message.body


def test_each_recipient_reads_the_mail_in_their_own_language(
    world, django_capture_on_commit_callbacks
):
    draft = proposal_in_status(world, Status.DRAFT)

    _step(world, draft, Status.SUBMITTED, "nyholm", django_capture_on_commit_callbacks)

    messages = _by_recipient()
    # The city's name comes from the database in the reader's language.
    assert "Helsingfors" in messages["mattsson@example.org"].subject
    assert "Helsingfors" in messages["mattsson@example.org"].body
    assert "Helsinki" in messages["palonen@example.org"].subject
    assert "Helsingfors" not in messages["palonen@example.org"].body
    assert messages["voutilainen@example.org"].subject.startswith("Proposal submitted")


@pytest.mark.parametrize(
    ("to_status", "arguments", "subject"),
    [
        (Status.RETURNED, {"note": "Tarkentakaa."}, "Proposal returned for revision"),
        (Status.ACCEPTED, {"note": "Hyvä.", "theme": "theme"}, "Proposal accepted"),
        (Status.REJECTED, {"note": "Ei sovi."}, "Proposal rejected"),
    ],
)
def test_a_decision_mails_the_citys_group_once_each(
    world, django_capture_on_commit_callbacks, to_status, arguments, subject
):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    world.users["lindqvist"].language = "en"
    world.users["lindqvist"].save()
    arguments = {k: world.theme if v == "theme" else v for k, v in arguments.items()}

    _step(
        world,
        proposal,
        to_status,
        "voutilainen",
        django_capture_on_commit_callbacks,
        **arguments,
    )

    assert _recipients() == sorted(HELSINKI)
    message = _by_recipient()["lindqvist@example.org"]
    assert message.subject == f"{subject}: {proposal.title}"
    assert arguments["note"] in message.body
    assert proposal.get_absolute_url() in message.body


@pytest.mark.parametrize(
    ("source", "to_status", "by"),
    [
        (Status.SUBMITTED, Status.UNDER_REVIEW, "voutilainen"),
        (Status.ACCEPTED, Status.UNDER_REVIEW, "palonen"),
        (Status.REJECTED, Status.UNDER_REVIEW, "palonen"),
    ],
)
def test_starting_the_review_and_reopening_send_nothing(
    world, django_capture_on_commit_callbacks, source, to_status, by
):
    proposal = proposal_in_status(world, source)

    _, callbacks = _step(
        world, proposal, to_status, by, django_capture_on_commit_callbacks
    )

    assert callbacks == []
    assert mail.outbox == []
    step = ProposalTransition.objects.latest("pk")
    key = f"proposal_transition:{step.pk}:"
    assert not OutboxMessage.objects.filter(key__startswith=key).exists()


def test_a_resubmission_says_it_was_revised(world, django_capture_on_commit_callbacks):
    proposal = proposal_in_status(world, Status.RETURNED)

    _step(
        world, proposal, Status.SUBMITTED, "nyholm", django_capture_on_commit_callbacks
    )

    assert _recipients() == sorted(SECRETARIAT)
    body = _by_recipient()["voutilainen@example.org"].body
    assert "has revised and resubmitted" in body


def test_the_actor_inactive_users_and_users_without_address_get_nothing(
    world, django_capture_on_commit_callbacks
):
    world.users["mattsson"].is_active = False
    world.users["mattsson"].save()
    world.users["lindqvist"].email = ""
    world.users["lindqvist"].save()
    # A member of the secretariat who is also in Helsinki's group.
    world.users["voutilainen"].groups.add(world.users["nyholm"].groups.get())
    draft = proposal_in_status(world, Status.DRAFT)

    proposal, _ = _step(
        world, draft, Status.SUBMITTED, "nyholm", django_capture_on_commit_callbacks
    )
    assert _recipients() == ["palonen@example.org", "voutilainen@example.org"]
    mail.outbox.clear()

    proposal, _ = _step(
        world,
        proposal,
        Status.UNDER_REVIEW,
        "voutilainen",
        django_capture_on_commit_callbacks,
    )
    _step(
        world,
        proposal,
        Status.RETURNED,
        "voutilainen",
        django_capture_on_commit_callbacks,
        note="Tarkentakaa.",
    )

    assert _recipients() == ["nyholm@example.org"]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    draft = proposal_in_status(world, Status.DRAFT)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.proposal_transition(
            proposal=draft, to_status=Status.SUBMITTED, by=world.users["nyholm"]
        )
        raise RuntimeError("Something failed after the step.")

    assert callbacks == []
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not ProposalTransition.objects.exists()


def test_a_refused_step_sends_nothing(world, django_capture_on_commit_callbacks):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        # A rejection without a reason.
        services.proposal_transition(
            proposal=proposal, to_status=Status.REJECTED, by=world.users["voutilainen"]
        )

    assert callbacks == []
    assert mail.outbox == []


def test_the_task_is_idempotent(world, django_capture_on_commit_callbacks):
    draft = proposal_in_status(world, Status.DRAFT)
    _step(world, draft, Status.SUBMITTED, "nyholm", django_capture_on_commit_callbacks)
    step = ProposalTransition.objects.get()
    messages = OutboxMessage.objects.filter(
        key__startswith=f"proposal_transition:{step.pk}:"
    )
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    sent = len(mail.outbox)

    for message in messages:
        assert outbox_send(message_id=message.pk) is False
    assert outbox_send(message_id=999999) is False

    assert len(mail.outbox) == sent == 3


def test_a_secretariat_comment_mails_the_city(
    client, world, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    client.force_login(world.users["voutilainen"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
            {"text": "Voisitteko tarkentaa kustannuksia?"},
        )

    assert response.status_code == 302
    assert len(callbacks) == len(HELSINKI)
    assert _recipients() == sorted(HELSINKI)
    message = _by_recipient()["lindqvist@example.org"]
    assert "Voisitteko tarkentaa kustannuksia?" in message.body
    assert proposal.title in message.subject
    comment = ProposalComment.objects.get()
    assert comment.side == ProposalComment.Side.SECRETARIAT
    assert OutboxMessage.objects.filter(
        key__startswith=f"proposal_comment:{comment.pk}:", status="sent"
    ).count() == len(HELSINKI)


def test_a_city_comment_mails_the_secretariat(
    client, world, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    client.force_login(world.users["nyholm"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
            {"text": "Kustannukset ovat liitteessä."},
        )

    assert _recipients() == sorted(SECRETARIAT)
    assert ProposalComment.objects.get().side == ProposalComment.Side.CITY
    assert mail.outbox[0].subject.count(proposal.title) == 1


def test_the_city_answers_a_returned_proposal_in_the_comments(
    client, world, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, Status.RETURNED)
    client.force_login(world.users["nyholm"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
            {"text": "Korjaamme tämän."},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 200
    assert response.content.decode().startswith('<section class="proposal-comments"')
    assert "Korjaamme tämän." in response.content.decode()
    assert _recipients() == sorted(SECRETARIAT)


def test_mails_in_finnish_and_swedish(world, django_capture_on_commit_callbacks):
    """Waits for the compiled catalogues (the strings of /tmp/i18n/06-proposals.tsv)."""
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)

    _step(
        world,
        proposal,
        Status.RETURNED,
        "voutilainen",
        django_capture_on_commit_callbacks,
        note="Tarkentakaa.",
    )

    messages = _by_recipient()
    assert messages["nyholm@example.org"].subject.startswith(
        "Ehdotus palautettiin täydennettäväksi"
    )
    assert messages["lindqvist@example.org"].subject.startswith(
        "Förslaget returnerades för komplettering"
    )
