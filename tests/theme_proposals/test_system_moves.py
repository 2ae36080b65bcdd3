"""Moves of a proposal made by the system (`by=None`) at a given time, silently."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests.theme_proposals.factories import proposal_in_status
from themes.proposals import services
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status
WHEN = datetime.datetime(2024, 6, 18, 10, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_the_system_moves_a_proposal_at_a_given_time_without_mail(
    world, django_capture_on_commit_callbacks
):
    proposal = proposal_in_status(world, Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.proposal_transition(
            proposal=proposal,
            to_status=Status.UNDER_REVIEW,
            by=None,
            at=WHEN,
            notify=False,
        )

    assert callbacks == []
    assert mail.outbox == []
    step = proposal.transitions.latest("pk")
    assert (step.to_status, step.by, step.at) == (Status.UNDER_REVIEW, None, WHEN)


def test_the_system_is_refused_a_move_that_the_table_does_not_have(world):
    proposal = proposal_in_status(world, Status.DRAFT)

    with pytest.raises(services.ProposalTransitionError) as error:
        services.proposal_transition(
            proposal=proposal, to_status=Status.ACCEPTED, by=None, notify=False
        )

    assert error.value.code == "not_in_table"
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT
    assert not proposal.transitions.exists()
