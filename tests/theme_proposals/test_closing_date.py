"""The closing date of submissions, with a fixed clock."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.theme_proposals.factories import proposal_in_status
from themes.proposals import services as services
from themes.proposals.models import ProposalRound, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status
CLOSING = datetime.date(2023, 10, 31)


@pytest.fixture
def clock(monkeypatch):
    """Set the time of day in Helsinki; timezone.localdate() follows it."""

    def set_to(year, month, day, hour=12, minute=0):
        moment = timezone.make_aware(datetime.datetime(year, month, day, hour, minute))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to


@pytest.fixture
def closing_date(world):
    return services.proposal_round_update(
        proposal_round=ProposalRound(pk=ProposalRound.SINGLETON_PK),
        by=world.users["voutilainen"],
        closing_date=CLOSING,
    )


def _submit(world, proposal):
    return services.proposal_transition(
        proposal=proposal, to_status=Status.SUBMITTED, by=world.users["nyholm"]
    )


def test_a_submission_on_the_closing_day_is_accepted(world, clock, closing_date):
    draft = proposal_in_status(world, Status.DRAFT)
    # The last minute of the closing day in Helsinki (21:59 UTC).
    clock(2023, 10, 31, 23, 59)

    submitted = _submit(world, draft)

    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at == timezone.make_aware(
        datetime.datetime(2023, 10, 31, 23, 59)
    )


def test_a_submission_after_the_closing_date_is_refused_with_a_clear_message(
    world, clock, closing_date
):
    draft = proposal_in_status(world, Status.DRAFT)
    clock(2023, 11, 1, 0, 1)

    with pytest.raises(ValidationError) as refused:
        _submit(world, draft)

    assert refused.value.code == "submissions_closed"
    assert "31.10.2023" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.transitions.exists()


def test_the_chair_reopens_submissions(world, clock, closing_date):
    draft = proposal_in_status(world, Status.DRAFT)
    clock(2023, 11, 15)

    services.proposal_round_set_reopened(reopened=True, by=world.users["palonen"])
    submitted = _submit(world, draft)

    assert submitted.status == Status.SUBMITTED
    services.proposal_round_set_reopened(reopened=False, by=world.users["palonen"])
    other = proposal_in_status(world, Status.DRAFT, title="Myöhässä")
    with pytest.raises(ValidationError):
        _submit(world, other)
    assert ProposalRound.objects.get().history.count() == 3


def test_only_the_chair_reopens_and_only_the_secretariat_sets_the_date(world):
    for username in ("voutilainen", "nyholm", "observer"):
        with pytest.raises(PermissionDenied):
            services.proposal_round_set_reopened(
                reopened=True, by=world.users[username]
            )
    for username in ("nyholm", "observer"):
        with pytest.raises(PermissionDenied):
            services.proposal_round_update(
                proposal_round=ProposalRound(pk=ProposalRound.SINGLETON_PK),
                by=world.users[username],
                closing_date=CLOSING,
            )
    assert not ProposalRound.objects.exists()


def test_a_returned_proposal_can_be_resubmitted_after_the_closing_date(
    world, clock, closing_date
):
    clock(2023, 10, 20)
    returned = proposal_in_status(world, Status.RETURNED)
    clock(2023, 11, 20)

    resubmitted = _submit(world, returned)

    assert resubmitted.status == Status.SUBMITTED


def test_no_closing_date_means_submissions_are_open(world, clock):
    draft = proposal_in_status(world, Status.DRAFT)
    clock(2030, 1, 1)

    assert _submit(world, draft).status == Status.SUBMITTED


def test_the_secretariat_sets_the_date_and_the_chair_reopens_in_the_browser(
    client, world, clock
):
    clock(2023, 11, 2)
    client.force_login(world.users["voutilainen"])
    form = client.get(reverse("theme_proposals:proposal_round_edit"))
    assert form.status_code == 200
    assert 'type="date"' in form.content.decode()

    response = client.post(
        reverse("theme_proposals:proposal_round_edit"),
        {"closing_date": "2023-10-31", "edit_token": "0"},
    )

    assert response.status_code == 302
    assert ProposalRound.objects.get().closing_date == CLOSING
    listing = client.get(reverse("theme_proposals:proposal_list")).content.decode()
    assert "31.10.2023" in listing
    assert reverse("theme_proposals:proposal_round_reopen") not in listing
    assert (
        client.post(reverse("theme_proposals:proposal_round_reopen")).status_code == 403
    )

    client.force_login(world.users["nyholm"])
    assert client.get(reverse("theme_proposals:proposal_round_edit")).status_code == 403
    draft = proposal_in_status(world, Status.DRAFT)
    refused = client.post(
        reverse(
            "theme_proposals:proposal_transition", args=[draft.pk, Status.SUBMITTED]
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert "31.10.2023" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    client.force_login(world.users["palonen"])
    response = client.post(
        reverse("theme_proposals:proposal_round_reopen"), {"reopened": "1"}
    )
    assert response.status_code == 302
    assert ProposalRound.objects.get().reopened

    client.force_login(world.users["nyholm"])
    response = client.post(
        reverse(
            "theme_proposals:proposal_transition", args=[draft.pk, Status.SUBMITTED]
        )
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
