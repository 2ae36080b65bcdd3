"""Who sees and changes which proposal: by URL and by id, on every kind of page."""

import pytest
from django.urls import reverse

from tests.theme_proposals.factories import (
    ROLE_USERS,
    pdf_bytes,
    proposal_in_status,
    upload,
)
from themes.proposals import selectors as selectors
from themes.proposals import services as services
from themes.proposals.models import ProposalAttachment, ProposalComment, ThemeProposal
from themes.proposals.permissions import can_view_proposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status


def _with_attachment(world, status, *, city="helsinki"):
    """Return a proposal in `status` with one PDF attached while it was a draft."""
    author = {"helsinki": "nyholm", "espoo": "ferm"}[city]
    proposal = proposal_in_status(world, Status.DRAFT, city=city)
    attachment = services.proposal_attachment_add(
        proposal=proposal,
        upload=upload("liite.pdf", pdf_bytes()),
        by=world.users[author],
    )
    if status != Status.DRAFT:
        proposal = services.proposal_transition(
            proposal=proposal, to_status=Status.SUBMITTED, by=world.users[author]
        )
    return proposal, attachment


def _urls(proposal, attachment):
    """Every page of one proposal, as (name, method, url)."""
    pk, ids = proposal.pk, [proposal.pk, attachment.pk]
    return [
        ("detail", "get", reverse("theme_proposals:proposal_detail", args=[pk])),
        ("edit", "get", reverse("theme_proposals:proposal_edit", args=[pk])),
        ("save", "post", reverse("theme_proposals:proposal_edit", args=[pk])),
        ("comment", "post", reverse("theme_proposals:proposal_comment_add", args=[pk])),
        (
            "attach",
            "post",
            reverse("theme_proposals:proposal_attachment_add", args=[pk]),
        ),
        (
            "download",
            "get",
            reverse("theme_proposals:proposal_attachment_download", args=ids),
        ),
        (
            "remove",
            "post",
            reverse("theme_proposals:proposal_attachment_delete", args=ids),
        ),
        (
            "step form",
            "get",
            reverse("theme_proposals:proposal_transition", args=[pk, Status.SUBMITTED]),
        ),
        (
            "step",
            "post",
            reverse("theme_proposals:proposal_transition", args=[pk, Status.SUBMITTED]),
        ),
    ]


def test_espoo_cannot_see_helsinkis_draft_by_url_or_by_id(client, world):
    draft, attachment = _with_attachment(world, Status.DRAFT)
    client.force_login(world.users["ferm"])

    for name, method, url in _urls(draft, attachment):
        response = getattr(client, method)(url, {"text": "Kommentti"})
        assert response.status_code == 404, name

    listing = client.get(reverse("theme_proposals:proposal_list")).content.decode()
    assert draft.title not in listing
    assert ProposalAttachment.objects.filter(pk=attachment.pk).exists()
    assert not ProposalComment.objects.exists()


def test_espoo_cannot_reach_a_helsinki_draft_attachment_through_another_proposal(
    client, world
):
    draft, attachment = _with_attachment(world, Status.DRAFT)
    sent = proposal_in_status(world, Status.SUBMITTED, city="espoo")
    client.force_login(world.users["ferm"])

    response = client.get(
        reverse(
            "theme_proposals:proposal_attachment_download",
            args=[sent.pk, attachment.pk],
        )
    )

    assert response.status_code == 404
    assert draft.status == Status.DRAFT


def test_espoo_reads_but_cannot_change_helsinkis_submitted_proposal(client, world):
    sent, attachment = _with_attachment(world, Status.SUBMITTED)
    client.force_login(world.users["ferm"])

    detail = client.get(sent.get_absolute_url())
    assert detail.status_code == 200
    page = detail.content.decode()
    assert sent.title in page
    assert reverse("theme_proposals:proposal_edit", args=[sent.pk]) not in page
    assert "hx-post" not in page  # no comment or attachment form

    for name, method, url in _urls(sent, attachment):
        if name in {"detail", "download"}:
            continue
        response = getattr(client, method)(
            url, {"title": "Espoon muutos", "rationale": "x", "text": "Kommentti"}
        )
        assert response.status_code == 403, name

    sent.refresh_from_db()
    assert sent.title != "Espoon muutos"
    assert sent.status == Status.SUBMITTED
    assert ProposalAttachment.objects.filter(pk=attachment.pk).exists()
    assert not ProposalComment.objects.exists()


def test_a_sent_proposals_attachment_is_downloadable_by_every_reader(client, world):
    sent, attachment = _with_attachment(world, Status.SUBMITTED)
    client.force_login(world.users["ferm"])

    response = client.get(
        reverse(
            "theme_proposals:proposal_attachment_download",
            args=[sent.pk, attachment.pk],
        )
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="liite.pdf"' in response["Content-Disposition"]


def test_after_submission_the_city_itself_can_no_longer_change_it(client, world):
    sent, attachment = _with_attachment(world, Status.SUBMITTED)
    client.force_login(world.users["nyholm"])

    assert client.get(sent.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("theme_proposals:proposal_edit", args=[sent.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("theme_proposals:proposal_attachment_add", args=[sent.pk]),
            {"file": upload("toinen.pdf", pdf_bytes())},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse(
                "theme_proposals:proposal_attachment_delete",
                args=[sent.pk, attachment.pk],
            )
        ).status_code
        == 403
    )
    assert sent.attachments.count() == 1


def test_the_secretariat_does_not_see_drafts_but_sees_returned_ones(client, world):
    draft = proposal_in_status(world, Status.DRAFT)
    returned = proposal_in_status(world, Status.RETURNED)
    client.force_login(world.users["voutilainen"])

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(returned.get_absolute_url()).status_code == 200
    queue = client.get(
        reverse("theme_proposals:proposal_review_queue"), {"status": "all"}
    ).content.decode()
    assert returned.title in queue
    assert draft.title not in queue


def test_the_observer_reads_only_sent_proposals(client, world):
    proposals = {status: proposal_in_status(world, status) for status in Status.values}
    client.force_login(world.users["observer"])

    listing = client.get(reverse("theme_proposals:proposal_list")).content.decode()
    for status, proposal in proposals.items():
        visible = status not in (Status.DRAFT, Status.RETURNED)
        assert (proposal.title in listing) is visible, status
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == (200 if visible else 404), status
    sent = proposals[Status.SUBMITTED]
    comment = client.post(
        reverse("theme_proposals:proposal_comment_add", args=[sent.pk]), {"text": "Hei"}
    )
    assert comment.status_code == 403
    assert (
        client.get(reverse("theme_proposals:proposal_review_queue")).status_code == 403
    )
    assert client.get(reverse("theme_proposals:proposal_add")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, world):
    proposal, attachment = _with_attachment(world, Status.SUBMITTED)
    urls = [
        ("get", reverse("theme_proposals:proposal_list")),
        ("get", reverse("theme_proposals:proposal_review_queue")),
        ("get", reverse("theme_proposals:proposal_add")),
        ("get", reverse("theme_proposals:proposal_round_edit")),
        ("post", reverse("theme_proposals:proposal_round_reopen")),
        *[(method, url) for _name, method, url in _urls(proposal, attachment)],
    ]

    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_user_without_a_role_sees_no_proposal(client, world):
    sent = proposal_in_status(world, Status.SUBMITTED)
    client.force_login(world.users["norole"])

    assert client.get(reverse("theme_proposals:proposal_list")).status_code == 403
    assert client.get(sent.get_absolute_url()).status_code == 403
    assert (
        client.get(reverse("theme_proposals:proposal_edit", args=[sent.pk])).status_code
        == 403
    )
    assert client.get(reverse("theme_proposals:proposal_round_edit")).status_code == 403


def test_only_city_groups_draft_and_only_for_their_own_city(client, world):
    client.force_login(world.users["voutilainen"])
    assert client.get(reverse("theme_proposals:proposal_add")).status_code == 403

    client.force_login(world.users["ferm"])
    response = client.post(
        reverse("theme_proposals:proposal_add"),
        {"title": "Espoon ehdotus", "rationale": "Perustelut.", "city": "helsinki"},
    )
    assert response.status_code == 302
    proposal = ThemeProposal.objects.get(title="Espoon ehdotus")
    assert proposal.city == world.cities["espoo"]
    assert proposal.author == world.users["ferm"]
    assert proposal.status == Status.DRAFT


@pytest.mark.parametrize("role", [*sorted(ROLE_USERS), "norole"])
def test_the_visible_queryset_follows_the_permission_rule(world, role):
    user = world.role(role) if role in ROLE_USERS else world.users["norole"]
    proposals = [
        proposal_in_status(world, status, city=city)
        for status in Status.values
        for city in ("helsinki", "espoo")
    ]

    visible = set(selectors.proposal_visible(user=user))

    for proposal in proposals:
        assert (proposal in visible) is can_view_proposal(user, proposal), (
            proposal.city,
            proposal.status,
        )
