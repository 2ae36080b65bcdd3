"""The whole flow in the browser, as a person does it (the Django test client)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.theme_proposals.factories import pdf_bytes, upload
from themes.models import Measure
from themes.proposals.models import ProposalAttachment, ThemeProposal

pytestmark = pytest.mark.django_db
Status = ThemeProposal.Status


def _post(client, capture, url, data=None, **extra):
    """Post as a browser does; what the transaction enqueued runs after it."""
    with capture(execute=True):
        return client.post(url, data or {}, **extra)


def test_draft_attach_submit_return_revise_resubmit_accept(
    client, world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    nyholm, voutilainen = world.users["nyholm"], world.users["voutilainen"]

    # nyholm (Helsinki) drafts a proposal.
    client.force_login(nyholm)
    listing = client.get(reverse("theme_proposals:proposal_list"))
    assert reverse("theme_proposals:proposal_add") in listing.content.decode()
    assert client.get(reverse("theme_proposals:proposal_add")).status_code == 200
    response = _post(
        client,
        capture,
        reverse("theme_proposals:proposal_add"),
        {
            "title": "Nuorten kesätyöt kaupunkiseuduilla",
            "rationale": "Nuorten työllistyminen alkaa kesätöistä.",
            "proposed_measures": "- Yhteinen kesätyöhaku\n- Kesätyösetelin laajennus",
            "expected_impact": "Useampi nuori saa ensimmäisen työpaikkansa.",
            "theme": world.theme.pk,
            "edit_token": "0",
        },
    )
    proposal = ThemeProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.city, proposal.author, proposal.status) == (
        world.cities["helsinki"],
        nyholm,
        Status.DRAFT,
    )

    # …attaches a PDF…
    response = _post(
        client,
        capture,
        reverse("theme_proposals:proposal_attachment_add", args=[proposal.pk]),
        {"file": upload("taustaselvitys.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    attachment = ProposalAttachment.objects.get()

    # …and submits it.
    page = client.get(proposal.get_absolute_url()).content.decode()
    submit_url = reverse(
        "theme_proposals:proposal_transition", args=[proposal.pk, "submitted"]
    )
    assert f'action="{submit_url}"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+\s*=", page)
    response = _post(client, capture, submit_url, {"note": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert {m.to[0] for m in mail.outbox} == {
        "voutilainen@example.org",
        "mattsson@example.org",
        "palonen@example.org",
    }
    # Read-only for the city now.
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("theme_proposals:proposal_edit", args=[proposal.pk]) not in page
    mail.outbox.clear()

    # voutilainen (secretariat) starts the review and returns it with a note.
    client.force_login(voutilainen)
    queue = client.get(
        reverse("theme_proposals:proposal_review_queue")
    ).content.decode()
    assert proposal.title in queue
    page = client.get(proposal.get_absolute_url()).content.decode()
    download = reverse(
        "theme_proposals:proposal_attachment_download",
        args=[proposal.pk, attachment.pk],
    )
    assert download in page
    assert client.get(download).status_code == 200
    response = _post(
        client,
        capture,
        reverse(
            "theme_proposals:proposal_transition", args=[proposal.pk, "under_review"]
        ),
    )
    assert response.status_code == 302
    response = _post(
        client,
        capture,
        reverse("theme_proposals:proposal_transition", args=[proposal.pk, "returned"]),
        {"note": "Arvioikaa kustannukset ja kertokaa, ketkä kaupungit osallistuvat."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED
    assert {m.to[0] for m in mail.outbox} == {
        "nyholm@example.org",
        "lindqvist@example.org",
    }
    assert "Arvioikaa kustannukset" in mail.outbox[0].body
    mail.outbox.clear()

    # nyholm revises and resubmits.
    client.force_login(nyholm)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Arvioikaa kustannukset" in page
    edit = client.get(reverse("theme_proposals:proposal_edit", args=[proposal.pk]))
    assert edit.status_code == 200
    token = re.search(r'name="edit_token" value="(\d+)"', edit.content.decode())[1]
    response = _post(
        client,
        capture,
        reverse("theme_proposals:proposal_edit", args=[proposal.pk]),
        {
            "title": "Nuorten kesätyöt kaupunkiseuduilla",
            "rationale": "Nuorten työllistyminen alkaa kesätöistä. "
            "Kustannukset ovat noin 2 milj. euroa vuodessa.",
            "proposed_measures": "- Yhteinen kesätyöhaku\n- Kesätyösetelin laajennus",
            "expected_impact": "Useampi nuori saa ensimmäisen työpaikkansa.",
            "theme": world.theme.pk,
            "edit_token": token,
        },
    )
    assert response.status_code == 302
    response = _post(
        client,
        capture,
        reverse("theme_proposals:proposal_transition", args=[proposal.pk, "submitted"]),
        {"note": "Kustannukset lisätty."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert "milj. euroa" in proposal.rationale
    assert len(mail.outbox) == 3
    mail.outbox.clear()

    # voutilainen accepts it into the existing theme, creating one new measure.
    client.force_login(voutilainen)
    _post(
        client,
        capture,
        reverse(
            "theme_proposals:proposal_transition", args=[proposal.pk, "under_review"]
        ),
    )
    accept_url = reverse(
        "theme_proposals:proposal_transition", args=[proposal.pk, "accepted"]
    )
    form = client.get(accept_url)
    assert form.status_code == 200
    assert 'value="Yhteinen kesätyöhaku"' in form.content.decode()
    response = _post(
        client,
        capture,
        accept_url,
        {
            "theme": world.theme.pk,
            "new_theme_title": "",
            "note": "Hyväksytään työllisyysteemaan.",
            "measures-TOTAL_FORMS": "3",
            "measures-INITIAL_FORMS": "2",
            "measures-MIN_NUM_FORMS": "0",
            "measures-MAX_NUM_FORMS": "50",
            "measures-0-create": "on",
            "measures-0-title": "Kaupunkiseutujen yhteinen kesätyöhaku",
            "measures-0-description": "Helsingin ehdotuksesta.",
            "measures-1-title": "Kesätyösetelin laajennus",
            "measures-2-title": "",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert proposal.resulting_theme == world.theme
    measure = Measure.objects.get()
    assert measure.theme == world.theme
    assert measure.title == "Kaupunkiseutujen yhteinen kesätyöhaku"
    assert measure.history.get().history_user == voutilainen
    assert {m.to[0] for m in mail.outbox} == {
        "nyholm@example.org",
        "lindqvist@example.org",
    }

    # Every step is on record: who, when and why.
    steps = list(proposal.transitions.values_list("to_status", "by__username", "note"))
    assert steps == [
        ("submitted", "nyholm", ""),
        ("under_review", "voutilainen", ""),
        (
            "returned",
            "voutilainen",
            "Arvioikaa kustannukset ja kertokaa, ketkä kaupungit osallistuvat.",
        ),
        ("submitted", "nyholm", "Kustannukset lisätty."),
        ("under_review", "voutilainen", ""),
        ("accepted", "voutilainen", "Hyväksytään työllisyysteemaan."),
    ]
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("themes:theme_detail", args=[world.theme.pk]) in page
