"""The example proposals loaded by the demo set-up."""

import datetime

import pytest
from django.core import mail

from members.permissions import city_group_name
from members.services import role_groups_ensure
from tests.factories import UserFactory
from themes.demo import DemoDataError, theme_demo_load
from themes.proposals.demo import proposal_demo_load
from themes.proposals.models import ProposalTransition, ThemeProposal

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 6, 30)
Status = ThemeProposal.Status


@pytest.fixture
def authors(organisations):
    """The demo accounts, each in their city's group as the bootstrap puts them."""
    groups = role_groups_ensure()
    users = {}
    for name, city in [("keskinen", "tampere"), ("nyholm", "helsinki")]:
        users[name] = UserFactory(username=name)
        users[name].groups.add(groups[city_group_name(organisations[city])])
    return users


def _counts():
    return (
        ThemeProposal.objects.count(),
        ThemeProposal.history.count(),
        ProposalTransition.objects.count(),
    )


def test_loads_a_submitted_tampere_proposal_and_a_helsinki_draft(
    authors, django_capture_on_commit_callbacks
):
    theme_demo_load(today=TODAY)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = proposal_demo_load(today=TODAY)

    assert result == {"written": 3, "unchanged": 0}
    submitted = ThemeProposal.objects.get(city__slug="tampere")
    draft = ThemeProposal.objects.get(city__slug="helsinki")
    assert submitted.is_example and draft.is_example
    assert submitted.status == Status.SUBMITTED
    assert submitted.author == authors["keskinen"]
    assert submitted.theme.title == "Innovaatiopolitiikka"
    assert submitted.submitted_at.date() == datetime.date(2024, 6, 18)
    step = submitted.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.at) == (
        Status.DRAFT,
        Status.SUBMITTED,
        authors["keskinen"],
        submitted.submitted_at,
    )
    # Written as a draft, then submitted through the workflow's service.
    assert list(
        submitted.history.order_by("history_id").values_list("status", flat=True)
    ) == [Status.DRAFT, Status.SUBMITTED]
    assert draft.status == Status.DRAFT
    assert draft.author == authors["nyholm"]
    assert draft.theme is None
    assert "Esimerkkisisältö" in draft.rationale
    # The example steps queue no e-mail task and send no e-mail.
    assert callbacks == []
    assert mail.outbox == []


def test_a_second_load_writes_nothing(authors):
    proposal_demo_load(today=TODAY)
    before = _counts()

    result = proposal_demo_load(today=TODAY + datetime.timedelta(days=3))

    assert result == {"written": 0, "unchanged": 2}
    assert _counts() == before


def test_refuses_to_load_without_the_demo_accounts(organisations):
    with pytest.raises(DemoDataError, match="keskinen, nyholm"):
        proposal_demo_load(today=TODAY)

    assert not ThemeProposal.objects.exists()
