"""The list, the review queue and the detail page: contents, filters, query counts."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from alliance.paging import PAGE_SIZE
from secretariat.search import search
from tests.html import rendered_rows
from tests.theme_proposals.factories import (
    ThemeProposalFactory,
    pdf_bytes,
    proposal_in_status,
    upload,
)
from themes.proposals import selectors as selectors
from themes.proposals import services as services
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status


def _many(world, count):
    """Sent proposals of every city, with comments and attachments on some."""
    cities = [c for c in world.cities.values() if c.kind == "city"]
    statuses = [Status.SUBMITTED, Status.UNDER_REVIEW, Status.ACCEPTED, Status.RETURNED]
    now = timezone.now()
    for index in range(count):
        proposal = ThemeProposalFactory(
            city=cities[index % len(cities)],
            author=world.users["nyholm"],
            theme=world.theme if index % 2 else None,
            status=statuses[index % len(statuses)],
            submitted_at=now - datetime.timedelta(days=index % 40),
        )
        if index % 10 == 0:
            proposal.comments.create(
                author=world.users["voutilainen"], side="secretariat", text="Kysymys"
            )


@pytest.mark.parametrize("count", [10, 200])
def test_the_review_queue_runs_a_fixed_number_of_queries(
    client, world, count, django_assert_max_num_queries
):
    _many(world, count)
    client.force_login(world.users["voutilainen"])

    with django_assert_max_num_queries(9):
        response = client.get(
            reverse("theme_proposals:proposal_review_queue"), {"status": "all"}
        )

    assert response.status_code == 200
    assert len(response.context["proposals"]) == min(count, 50)
    assert rendered_rows(response, "proposal") == min(count, 50)


@pytest.mark.parametrize("count", [10, 200])
def test_the_proposal_list_runs_a_fixed_number_of_queries(
    client, world, count, django_assert_max_num_queries
):
    _many(world, count)
    client.force_login(world.users["ferm"])

    with django_assert_max_num_queries(9):
        response = client.get(reverse("theme_proposals:proposal_list"))

    assert response.status_code == 200
    listed = selectors.proposal_list_for_user(user=world.users["ferm"])
    # The other cities' proposals are shown a page at a time.
    shown = len(listed["own"]) + min(len(listed["others"]), PAGE_SIZE)
    assert rendered_rows(response, "proposal") == shown
    assert rendered_rows(response, "proposal") > min(count, PAGE_SIZE) // 2


@pytest.mark.parametrize("count", [2, 40])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, world, count, django_assert_max_num_queries
):
    proposal = proposal_in_status(world, Status.DRAFT)
    for _index in range(count):
        services.proposal_attachment_add(
            proposal=proposal,
            upload=upload("liite.pdf", pdf_bytes()),
            by=world.users["nyholm"],
        )
    for to_status, by in [
        (Status.SUBMITTED, "nyholm"),
        (Status.UNDER_REVIEW, "voutilainen"),
    ]:
        proposal = services.proposal_transition(
            proposal=proposal, to_status=to_status, by=world.users[by]
        )
    for index in range(count):
        services.proposal_comment_add(
            proposal=proposal,
            by=world.users["voutilainen" if index % 2 else "nyholm"],
            text=f"Kommentti {index}",
        )
    client.force_login(world.users["voutilainen"])

    with django_assert_max_num_queries(12):
        response = client.get(proposal.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["comments"]) == count
    assert len(response.context["attachments"]) == count
    assert rendered_rows(response, "comment") == count
    assert rendered_rows(response, "attachment") == count


def test_the_queue_filters_by_city_theme_status_and_age(world):
    now = timezone.now()
    old = ThemeProposalFactory(
        city=world.cities["tampere"],
        author=world.users["keskinen"],
        theme=world.theme,
        submitted_at=now - datetime.timedelta(days=20),
    )
    new_theme = ThemeProposalFactory(
        city=world.cities["helsinki"],
        author=world.users["nyholm"],
        theme=None,
        status=Status.UNDER_REVIEW,
        submitted_at=now - datetime.timedelta(days=2),
    )
    decided = ThemeProposalFactory(
        city=world.cities["helsinki"],
        author=world.users["nyholm"],
        status=Status.REJECTED,
        submitted_at=now - datetime.timedelta(days=60),
    )
    ThemeProposalFactory(
        city=world.cities["helsinki"],
        author=world.users["nyholm"],
        status=Status.DRAFT,
        submitted_at=None,
    )

    def queue(**filters):
        return list(
            selectors.proposal_review_queue(
                filters=selectors.QueueFilter(**filters), now=now
            )
        )

    assert queue() == [old, new_theme]
    assert queue(status="all") == [decided, old, new_theme]
    assert queue(status=Status.REJECTED) == [decided]
    assert queue(city=world.cities["helsinki"]) == [new_theme]
    assert queue(theme=world.theme.pk) == [old]
    assert queue(theme=selectors.QUEUE_NEW_THEME) == [new_theme]
    assert queue(min_age_days=14) == [old]
    assert queue(status="all", min_age_days=30) == [decided]


def test_the_queue_page_applies_its_filters_and_ignores_nonsense(client, world):
    tampere = proposal_in_status(world, Status.SUBMITTED, city="tampere", title="T")
    espoo = proposal_in_status(world, Status.SUBMITTED, city="espoo", title="E")
    client.force_login(world.users["voutilainen"])
    url = reverse("theme_proposals:proposal_review_queue")

    filtered = client.get(url, {"city": world.cities["tampere"].pk})
    nonsense = client.get(url, {"city": "x", "theme": "999", "age": "abc"})

    assert list(filtered.context["proposals"]) == [tampere]
    assert set(nonsense.context["proposals"]) == {tampere, espoo}


def test_the_list_separates_the_own_citys_proposals(client, world):
    own_draft = proposal_in_status(world, Status.DRAFT, title="Oma luonnos")
    other = proposal_in_status(world, Status.SUBMITTED, city="tampere", title="Muu")
    client.force_login(world.users["nyholm"])

    response = client.get(reverse("theme_proposals:proposal_list"))

    assert list(response.context["own_proposals"]) == [own_draft]
    assert list(response.context["other_proposals"]) == [other]


def test_the_detail_page_shows_only_the_allowed_actions(client, world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)

    def action_urls(username):
        client.force_login(world.users[username])
        page = client.get(proposal.get_absolute_url()).content.decode()
        return {
            target
            for target in Status.values
            if reverse(
                "theme_proposals:proposal_transition", args=[proposal.pk, target]
            )
            in page
        }

    assert action_urls("voutilainen") == {
        Status.RETURNED,
        Status.ACCEPTED,
        Status.REJECTED,
    }
    assert action_urls("nyholm") == set()
    assert action_urls("ferm") == set()
    assert action_urls("observer") == set()


def test_a_decided_proposal_offers_reopening_to_the_chair_only(client, world):
    proposal = proposal_in_status(world, Status.REJECTED)
    url = reverse(
        "theme_proposals:proposal_transition", args=[proposal.pk, Status.UNDER_REVIEW]
    )

    client.force_login(world.users["voutilainen"])
    assert url not in client.get(proposal.get_absolute_url()).content.decode()
    client.force_login(world.users["palonen"])
    assert url in client.get(proposal.get_absolute_url()).content.decode()


def test_accepting_as_a_new_theme_through_the_form(client, world):
    proposal = proposal_in_status(world, Status.UNDER_REVIEW)
    proposal.theme = None
    proposal.save()
    client.force_login(world.users["palonen"])
    url = reverse(
        "theme_proposals:proposal_transition", args=[proposal.pk, Status.ACCEPTED]
    )

    form = client.get(url).content.decode()
    assert f'value="{proposal.title}"' in form
    invalid = client.post(
        url,
        {
            "measures-TOTAL_FORMS": "1",
            "measures-INITIAL_FORMS": "0",
            "measures-0-create": "on",
            "measures-0-title": "",
        },
    )
    assert invalid.status_code == 400
    response = client.post(
        url,
        {
            "new_theme_title": "Kaupunkien datatalous",
            "new_theme_lead": world.cities["tampere"].pk,
            "measures-TOTAL_FORMS": "1",
            "measures-INITIAL_FORMS": "0",
            "measures-0-create": "on",
            "measures-0-title": "Datan luettelo",
        },
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    theme = proposal.resulting_theme
    assert theme.title == "Kaupunkien datatalous"
    assert theme.lead_organisation == world.cities["tampere"]
    assert [m.title for m in theme.measures.all()] == ["Datan luettelo"]


def test_a_stale_page_is_refused_with_the_present_status(client, world):
    proposal = proposal_in_status(world, Status.SUBMITTED)
    client.force_login(world.users["voutilainen"])
    url = reverse(
        "theme_proposals:proposal_transition", args=[proposal.pk, Status.UNDER_REVIEW]
    )
    assert client.post(url).status_code == 302

    again = client.post(url)

    assert again.status_code == 403
    assert proposal.get_absolute_url() in again.content.decode()
    assert proposal.transitions.count() == 2


def test_an_unknown_status_in_the_address_is_not_found(client, world):
    proposal = proposal_in_status(world, Status.SUBMITTED)
    client.force_login(world.users["voutilainen"])

    response = client.get(
        reverse("theme_proposals:proposal_transition", args=[proposal.pk, "approved"])
    )

    assert response.status_code == 404


def test_an_empty_comment_is_refused_next_to_the_field(client, world):
    proposal = proposal_in_status(world, Status.SUBMITTED)
    client.force_login(world.users["voutilainen"])

    response = client.post(
        reverse("theme_proposals:proposal_comment_add", args=[proposal.pk]),
        {"text": "  "},
    )

    assert response.status_code == 400
    assert 'id="id_text_error"' in response.content.decode()
    assert not proposal.comments.exists()


def test_no_one_comments_on_a_draft(world):
    draft = proposal_in_status(world, Status.DRAFT)

    with pytest.raises(services.PermissionDenied):
        services.proposal_comment_add(
            proposal=draft, by=world.users["nyholm"], text="Muistiinpano"
        )


def test_a_returned_proposal_is_editable_again_with_its_attachments(client, world):
    proposal = proposal_in_status(world, Status.RETURNED)
    client.force_login(world.users["nyholm"])

    page = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("theme_proposals:proposal_edit", args=[proposal.pk]) in page
    response = client.post(
        reverse("theme_proposals:proposal_attachment_add", args=[proposal.pk]),
        {"file": upload("lisatieto.pdf", pdf_bytes())},
    )

    assert response.status_code == 302
    assert proposal.attachments.count() == 1


def test_the_dashboard_summary(world):
    proposal_in_status(world, Status.DRAFT)
    proposal_in_status(world, Status.RETURNED)
    proposal_in_status(world, Status.SUBMITTED, city="tampere")
    today = datetime.date(2023, 10, 16)

    city = selectors.proposal_dashboard_summary(user=world.users["nyholm"], today=today)
    staff = selectors.proposal_dashboard_summary(
        user=world.users["voutilainen"], today=today
    )

    assert (city["own_drafts"], city["own_returned"], city["awaiting_review"]) == (
        1,
        1,
        None,
    )
    assert staff["awaiting_review"] == 1
    assert staff["submissions_open"]


def test_search_finds_only_what_the_user_may_see(world):
    proposal_in_status(world, Status.DRAFT, title="Datatalous luonnos")
    sent = proposal_in_status(
        world, Status.SUBMITTED, city="tampere", title="Datatalous lähetetty"
    )

    hits = search(text="datatalous", user=world.users["ferm"])

    assert [hit.url for hit in hits] == [
        reverse("theme_proposals:proposal_detail", args=[sent.pk])
    ]
    assert search(text=" ", user=world.users["ferm"]) == []


def test_the_pages_speak_finnish_by_default(client, world):
    """Waits for the compiled catalogues (the strings of /tmp/i18n/06-proposals.tsv)."""
    draft = proposal_in_status(world, Status.DRAFT)
    client.force_login(world.users["nyholm"])

    listing = client.get(reverse("theme_proposals:proposal_list")).content.decode()
    detail = client.get(draft.get_absolute_url()).content.decode()

    assert "Teemaehdotukset" in listing
    assert "Kaupunkisi ehdotukset" in listing
    assert "Lähetä sihteeristölle" in detail
    assert "Luonnos" in detail


def test_the_dashboard_partial_renders_the_summary(rf, world):
    proposal_in_status(world, Status.SUBMITTED, city="tampere")
    proposal_in_status(world, Status.UNDER_REVIEW, city="espoo")
    request = rf.get("/")
    request.user = world.users["voutilainen"]
    summary = selectors.proposal_dashboard_summary(
        user=request.user, today=datetime.date(2023, 10, 16)
    )

    with translation.override("en"):
        html = render_to_string(
            "theme_proposals/proposal_dashboard.html",
            {"proposal_summary": summary},
            request=request,
        )

    assert reverse("theme_proposals:proposal_review_queue") in html
    assert "2 proposals await a decision." in html


@pytest.mark.parametrize("username", ["nyholm", "observer"])
def test_the_dashboard_card_is_never_empty(client, world, username):
    client.force_login(world.users[username])
    page = client.get(reverse("secretariat:dashboard")).content.decode()
    card = page.split('id="proposal-summary-heading"', 1)[1].split("</section>", 1)[0]
    assert "<li>" in card
    assert reverse("theme_proposals:proposal_list") in card


def test_a_city_sees_its_proposals_awaiting_the_decision(world):
    proposal_in_status(world, Status.SUBMITTED)
    summary = selectors.proposal_dashboard_summary(
        user=world.users["nyholm"], today=datetime.date(2023, 10, 16)
    )
    assert summary["own_waiting"] == 1
    assert not summary["nothing_to_do"]
