"""The history names the related objects of a change, in a fixed number of queries."""

import pytest
from django.urls import reverse

from alliance.history import history_entries
from members.models import Organisation
from themes.services import measure_save

pytestmark = pytest.mark.django_db


def _edit_participants(client, measure, slugs):
    url = reverse("themes:measure_edit", args=[measure.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {
            "edit_token": form["edit_token"].value(),
            "title": measure.title,
            "description": "",
            "lead_organisation": measure.lead_organisation_id,
            "participating_organisations": [
                Organisation.objects.get(slug=slug).pk for slug in slugs
            ],
            "start_date": "2023-09-01",
            "end_date": "2024-12-31",
            "status": "in_progress",
            "progress": "0",
        },
    )
    assert response.status_code == 302


def test_a_change_of_participants_is_shown_by_the_organisations_names(client, world):
    client.force_login(world.users["chair"])
    _edit_participants(client, world.measure, ["helsinki", "espoo"])
    _edit_participants(client, world.measure, ["helsinki", "espoo", "tampere"])
    _edit_participants(client, world.measure, ["espoo", "vantaa"])

    page = client.get(reverse("themes:measure_detail", args=[world.measure.pk]))

    text = page.content.decode()
    assert (
        "Osallistuvat organisaatiot: <del>Espoo, Helsinki</del> → "
        "<ins>Espoo, Helsinki, Tampere</ins>"
    ) in text
    assert "Osallistuvat organisaatiot: <del>–</del> → <ins>Espoo, Helsinki</ins>" in (
        text
    )
    # Removals and additions of one edit make one entry.
    assert (
        "Osallistuvat organisaatiot: <del>Espoo, Helsinki, Tampere</del> → "
        "<ins>Espoo, Vantaa</ins>"
    ) in text
    assert "None" not in text


@pytest.mark.parametrize("edits", [2, 20])
def test_the_history_takes_the_same_queries_however_long_it_is(
    world, edits, django_assert_max_num_queries
):
    measure, chair = world.measure, world.users["chair"]
    leads = [Organisation.objects.get(slug=slug) for slug in ("tem", "okm")]
    groups = [
        list(Organisation.objects.filter(slug__in=slugs))
        for slugs in (["helsinki"], ["espoo", "tampere"])
    ]
    for number in range(edits):
        measure.title = f"Yhteiskehittäminen, vaihe {number}"
        measure.lead_organisation = leads[number % 2]
        measure_save(measure=measure, by=chair, participants=groups[number % 2])

    # The records, their participants, and the organisations they name.
    with django_assert_max_num_queries(3):
        entries = history_entries(measure)

    shown = {
        (change.field, change.old, change.new)
        for entry in entries
        for change in entry.changes
    }
    assert ("participating_organisations", "Helsinki", "Espoo, Tampere") in shown
    assert (
        "lead_organisation",
        "Työ- ja elinkeinoministeriö",
        "Opetus- ja kulttuuriministeriö",
    ) in shown
