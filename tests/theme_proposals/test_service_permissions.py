"""The proposal services refuse whom the rule refuses, whoever calls them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.theme_proposals.factories import (
    ROLE_USERS,
    proposal_in_status,
)
from themes.proposals import permissions as rules
from themes.proposals import services
from themes.proposals.models import ProposalComment, ProposalRound, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_each_write_follows_its_rule(world, role):
    user = world.role(role)
    draft = proposal_in_status(world, Status.DRAFT, title="Luonnos")
    sent = proposal_in_status(world, Status.SUBMITTED, title="Lähetetty")
    writes = [
        (
            rules.can_change_proposal(user, draft),
            lambda: services.proposal_update(proposal=draft, by=user, title="Uusi"),
        ),
        (
            rules.can_comment_proposal(user, sent),
            lambda: services.proposal_comment_add(proposal=sent, by=user, text="Hei"),
        ),
        (
            rules.can_set_proposal_closing_date(user),
            lambda: services.proposal_round_update(
                proposal_round=ProposalRound(),
                closing_date=datetime.date(2030, 1, 1),
                by=user,
            ),
        ),
        (
            rules.can_reopen_proposal_submissions(user),
            lambda: services.proposal_round_set_reopened(reopened=True, by=user),
        ),
    ]
    for allowed, write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    draft.refresh_from_db()
    assert (draft.title == "Uusi") is rules.can_change_proposal(user, draft)
    assert ProposalComment.objects.exists() is rules.can_comment_proposal(user, sent)


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_only_a_city_proposes_and_only_for_itself(world, role):
    user = world.role(role)
    city = world.cities["helsinki"]
    allowed = rules.can_add_proposal(user) and role == "own_city"

    if allowed:
        services.proposal_create(city=city, by=user, title="Uusi", rationale="Syy.")
    else:
        with pytest.raises(PermissionDenied):
            services.proposal_create(city=city, by=user, title="Uusi", rationale="Syy.")
    assert ThemeProposal.objects.filter(title="Uusi").exists() is allowed


def test_the_system_may_set_the_submission_round(world):
    services.proposal_round_update(
        proposal_round=ProposalRound(), closing_date=datetime.date(2030, 1, 1), by=None
    )
    services.proposal_round_set_reopened(reopened=True, by=None)

    current = ProposalRound.objects.get()
    assert (current.closing_date, current.reopened) == (datetime.date(2030, 1, 1), True)
