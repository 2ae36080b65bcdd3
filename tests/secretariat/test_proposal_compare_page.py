"""The comparison page: versions from the database, the current text, hostile
parameters and who may read it."""

import copy
import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.models import ModelProposal, ModelProposalVersion
from secretariat.proposal_snapshot import snapshot_build
from tests.secretariat.proposal_snapshots import HOSTILE_BODY, example_snapshot

pytestmark = pytest.mark.django_db

URL = reverse("secretariat:proposal_compare")
AT = datetime.datetime(2023, 9, 28, 12, 0, tzinfo=datetime.UTC)


def _proposal(world) -> ModelProposal:
    return ModelProposal.objects.get_or_create(appointment=world.appointment)[0]


def _version(proposal, number, snapshot, by) -> ModelProposalVersion:
    return ModelProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        snapshot=snapshot,
        created_by=by,
        created_at=AT + datetime.timedelta(days=number),
    )


def _two_versions(world):
    """Version 1 is the example; version 2 changes one measure and one section,
    adds an indicator and removes a milestone."""
    proposal = _proposal(world)
    chair = world.users["chair"]
    first = example_snapshot()
    second = copy.deepcopy(first)
    second["version"]["number"] = 2
    second["themes"][0]["measures"][0]["title"] = "Kuuden kaupungin osaamiskeskus"
    second["milestones"][0]["belongs_to"] = "Kuuden kaupungin osaamiskeskus"
    second["sections"][1]["body"] = HOSTILE_BODY
    second["indicators"].append(
        {
            "key": "indicator-3",
            "theme": "Kestävä kaupunkikehitys",
            "name": "Joukkoliikenteen matkat",
            "unit": "milj.",
            "baseline": "120 (31.12.2022)",
            "target": "150 (31.12.2027)",
            "data_source": "HSL",
            "frequency": "Vuosittain",
        }
    )
    del second["milestones"][1]
    _version(proposal, 1, first, chair)
    _version(proposal, 2, second, chair)
    return proposal


def _live_version(proposal, number, by):
    snapshot = snapshot_build(
        proposal=proposal, draft=False, number=number, made_by=by, at=AT
    )
    return _version(proposal, number, snapshot, by)


def test_two_final_versions_are_compared_once(
    as_role, world, django_assert_max_num_queries
):
    _two_versions(world)
    client = as_role("chair")
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(URL, {"from": "1", "to": "2"})

    # The snapshots are neither read nor compared again.
    with django_assert_max_num_queries(len(first) - 2):
        again = client.get(URL, {"from": "1", "to": "2"})

    assert again.status_code == first_page.status_code == 200
    assert again.context["comparison"] == first_page.context["comparison"]
    assert again.context["comparison"].changes


def test_the_page_lists_the_changes_between_two_versions(as_role, world):
    _two_versions(world)

    response = as_role("chair").get(URL, {"from": "1", "to": "2"})

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert {(c.kind, c.action, c.key) for c in comparison.changes} == {
        ("measure", "changed", "measure-1"),
        ("section", "changed", "section-2"),
        ("indicator", "added", "indicator-3"),
        ("milestone", "removed", "milestone-2"),
    }
    page = response.content.decode()
    assert "Kuuden kaupungin osaamiskeskus" in page
    assert "<del>Yhteinen osaamiskeskus</del> → <ins>Kuuden kaupungin" in page
    assert "1 muutettu" in page
    assert "1 lisätty" in page
    assert "1 poistettu" in page
    # The section's new text typed with HTML shows as text, inside the marks.
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<ins>" in page
    assert "<del>" in page


def test_the_page_counts_changes_by_kind_in_swedish(as_role, world):
    _two_versions(world)
    client = as_role("observer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    response = client.get(URL, {"from": "1", "to": "2"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vad som ändrats i förslaget" in page
    assert "1 ändrad" in page
    assert "1 tillagd" in page
    assert "1 borttagen" in page


def test_by_default_the_latest_version_is_compared_with_the_current_text(
    as_role, world
):
    proposal = _proposal(world)
    chair = world.users["chair"]
    _live_version(proposal, 1, chair)
    _live_version(proposal, 2, chair)
    world.measure.title = "Työllisyyspalvelut yhdessä"
    world.measure.save()

    response = as_role("city-helsinki").get(URL)

    assert response.status_code == 200
    assert (response.context["old"], response.context["new"]) == (2, None)
    (change,) = response.context["comparison"].changes
    # The renamed measure once: not again as its milestone's "belongs to".
    assert (change.kind, change.action) == ("measure", "changed")
    assert change.url == world.measure.get_absolute_url()
    page = response.content.decode()
    assert f'href="{world.measure.get_absolute_url()}"' in page
    assert "<ins>Työllisyyspalvelut yhdessä</ins>" in page


def test_two_versions_of_the_same_content_show_no_differences(as_role, world):
    proposal = _proposal(world)
    _live_version(proposal, 1, world.users["chair"])

    response = as_role("staff").get(URL, {"from": "1", "to": "current"})

    assert response.status_code == 200
    assert not response.context["comparison"]
    assert "Ei eroja" in response.content.decode()


def test_a_removed_object_has_no_link(as_role, world):
    proposal = _proposal(world)
    _live_version(proposal, 1, world.users["chair"])
    milestone_url = world.milestone.get_absolute_url()
    world.milestone.delete()

    response = as_role("chair").get(URL)

    (change,) = response.context["comparison"].changes
    assert (change.kind, change.action) == ("milestone", "removed")
    assert change.url == ""
    assert milestone_url not in response.content.decode()


def test_without_versions_the_page_says_so(as_role, world):
    _proposal(world)

    response = as_role("observer").get(URL)

    assert response.status_code == 200
    assert "Esityksestä ei ole vielä lopullisia versioita" in (
        response.content.decode()
    )
    assert "comparison" not in response.context


def test_without_a_proposal_the_page_says_so(as_role, world):
    ModelProposal.objects.filter(appointment=world.appointment).delete()

    response = as_role("chair").get(URL, {"from": "1"})

    assert response.status_code == 200
    assert "Esityksestä ei ole vielä lopullisia versioita" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "parameters",
    [
        {"from": "abc"},
        {"from": "-1"},
        {"to": "99999"},
        {"from": "<script>alert(1)</script>"},
        {"from": "1.5", "to": "current"},
        {"from": "1", "to": "0"},
        {"to": "9" * 200},
    ],
)
def test_hostile_or_unknown_parameters_are_refused_with_a_message(
    as_role, world, parameters
):
    _two_versions(world)

    response = as_role("chair").get(URL, parameters)

    assert response.status_code == 400
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "valitse versio luettelosta" in page
    assert "comparison" not in response.context


def test_a_control_character_is_refused_before_the_page_reads_it(as_role, world):
    _two_versions(world)

    response = as_role("chair").get(URL, {"from": "current\x00"})

    assert response.status_code == 400
    assert "Osoitteessa on merkkejä" in response.content.decode()


def test_the_same_side_twice_is_no_error(as_role, world):
    _two_versions(world)

    response = as_role("chair").get(URL, {"from": "2", "to": "2"})

    assert response.status_code == 200
    assert not response.context["comparison"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("no-role", 403),
        ("observer", 200),
        ("city-espoo", 200),
        ("staff", 200),
        ("chair", 200),
    ],
)
def test_everyone_with_a_role_reads_the_comparison(as_role, world, role, status):
    _two_versions(world)

    response = as_role(role).get(URL, {"from": "1", "to": "2"})

    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


def test_the_page_reads_in_a_fixed_number_of_queries(
    as_role, world, django_assert_max_num_queries
):
    proposal = _proposal(world)
    chair = world.users["chair"]
    for number in range(1, 6):
        world.measure.title = f"Toimenpide {number}"
        world.measure.save()
        _live_version(proposal, number, chair)
    client = as_role("observer")

    with django_assert_max_num_queries(22):
        response = client.get(URL, {"from": "1", "to": "current"})

    assert response.status_code == 200
    assert len(response.context["versions"]) == 5
