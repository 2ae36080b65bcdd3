"""The decision register: what each role sees, its filters, links and query count."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.meetings import services as meeting_services
from secretariat.meetings.models import AgendaItem, Meeting
from secretariat.meetings.views.decisions import DECISIONS_PAGE_SIZE
from tests.html import rendered_rows
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, at
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db

Outcome = AgendaItem.Outcome
Status = Meeting.Status


def _meeting(body, day, status=Status.MINUTES_APPROVED):
    return MeetingFactory(
        body=body, starts_at=at(day, 9), ends_at=at(day, 11), status=status
    )


def _decision(meeting, title, outcome=Outcome.APPROVED, **fields):
    fields.setdefault("decision", f"Päätös: {title}")
    return AgendaItemFactory(meeting=meeting, title=title, outcome=outcome, **fields)


@pytest.fixture
def register(alliance):
    """The secretariat recommends in September; the group decides in October."""
    employment = ThemeFactory(title="Työllisyys")
    housing = ThemeFactory(title="Asuminen")
    services = MeasureFactory(theme=employment, title="Palvelujen yhteiskehittäminen")
    secretariat_meeting = _meeting(alliance.secretariat, datetime.date(2023, 9, 20))
    # The standard items are the meeting's procedure, not decisions about the work.
    AgendaItemFactory(
        meeting=secretariat_meeting,
        kind=AgendaItem.Kind.OPENING,
        title="Kokouksen avaus",
        outcome=Outcome.NOTED,
        order=0,
    )
    recommendation = _decision(
        secretariat_meeting,
        "Työllisyysteeman toimenpiteet",
        measure=services,
        decision="Sihteeristö suosittaa toimenpiteen hyväksymistä.",
        order=1,
    )
    group_meeting = _meeting(alliance.group, datetime.date(2023, 10, 12))
    decided = _decision(
        group_meeting,
        "Työllisyysteeman toimenpiteet",
        measure=services,
        recommended_in=recommendation,
        order=1,
    )
    housing_decision = _decision(
        group_meeting,
        "Asumisen teema",
        outcome=Outcome.RETURNED,
        theme=housing,
        order=2,
    )
    # Written into the minutes of a meeting held but not approved: a draft.
    held_meeting = _meeting(alliance.group, datetime.date(2023, 11, 9), Status.HELD)
    draft = _decision(held_meeting, "Luonnos", theme=employment)
    # An item on an agenda with no outcome recorded is not a decision.
    AgendaItemFactory(meeting=held_meeting, title="Käsittelemättä", outcome="")
    return SimpleNamespace(
        employment=employment,
        housing=housing,
        services=services,
        secretariat_meeting=secretariat_meeting,
        recommendation=recommendation,
        group_meeting=group_meeting,
        decided=decided,
        housing_decision=housing_decision,
        held_meeting=held_meeting,
        draft=draft,
    )


def _listed(response) -> list[AgendaItem]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_readers_see_decisions_of_approved_minutes_and_the_secretariat_drafts_too(
    client, alliance, register
):
    client.force_login(alliance.users["observer"])
    response = client.get(reverse("meetings:decision_list"))
    assert _listed(response) == [
        register.decided,
        register.housing_decision,
        register.recommendation,
    ]
    assert rendered_rows(response, "decision") == 3

    client.force_login(alliance.users["staff"])
    response = client.get(reverse("meetings:decision_list"))
    assert _listed(response) == [
        register.draft,
        register.decided,
        register.housing_decision,
        register.recommendation,
    ]

    client.force_login(alliance.users["none"])
    assert client.get(reverse("meetings:decision_list")).status_code == 403


def test_each_decision_links_its_minutes_item_subject_and_recommendation(
    client, alliance, register
):
    client.force_login(alliance.users["observer"])
    page = client.get(reverse("meetings:decision_list")).content.decode()
    group_url = register.group_meeting.get_absolute_url()
    assert f'href="{group_url}#minutes-heading"' in page
    assert f'href="{group_url}#decision-{register.decided.pk}"' in page
    assert f'href="{register.services.get_absolute_url()}"' in page
    assert f'href="{register.employment.get_absolute_url()}"' in page
    assert f'href="{register.housing.get_absolute_url()}"' in page
    secretariat_url = register.secretariat_meeting.get_absolute_url()
    assert f'href="{secretariat_url}#decision-{register.recommendation.pk}"' in page
    assert "Sihteeristö suosittaa toimenpiteen hyväksymistä." in page
    # The meeting page carries the anchor that the register links to.
    meeting_page = client.get(group_url).content.decode()
    assert f'id="decision-{register.decided.pk}"' in meeting_page


def test_the_agenda_item_links_to_the_agenda_the_meeting_followed(
    client, alliance, register
):
    meeting = MeetingFactory(
        body=alliance.group, starts_at=at(datetime.date(2023, 12, 1), 9), ends_at=None
    )
    AgendaItemFactory(meeting=meeting, title="Ensimmäinen", order=0)
    item = AgendaItemFactory(meeting=meeting, title="Toinen", order=1)
    meeting_services.agenda_publish(meeting=meeting, by=alliance.users["chair"])
    meeting_services.meeting_mark_held(meeting=meeting, by=alliance.users["chair"])
    item.outcome = Outcome.NOTED
    item.decision = "Merkitään tiedoksi."
    meeting_services.agenda_item_decide(item=item, by=alliance.users["staff"])
    client.force_login(alliance.users["staff"])
    response = client.get(reverse("meetings:decision_list"), {"meeting": meeting.pk})
    assert _listed(response) == [item]
    version_url = reverse("meetings:agenda_version_detail", args=[meeting.pk, 1])
    assert f'<a href="{version_url}">§ 2</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"body": "group"}, ["draft", "decided", "housing_decision"]),
        ({"body": "secretariat"}, ["recommendation"]),
        ({"meeting": "secretariat_meeting"}, ["recommendation"]),
        # A theme's decisions include those about its measures.
        ({"theme": "employment"}, ["draft", "decided", "recommendation"]),
        ({"theme": "housing"}, ["housing_decision"]),
        ({"measure": "services"}, ["decided", "recommendation"]),
        ({"outcome": Outcome.RETURNED}, ["housing_decision"]),
        ({"since": "2023-10-01"}, ["draft", "decided", "housing_decision"]),
        ({"until": "2023-10-12"}, ["decided", "housing_decision", "recommendation"]),
        (
            {"since": "2023-10-12", "until": "2023-10-12", "outcome": Outcome.APPROVED},
            ["decided"],
        ),
    ],
)
def test_filters_narrow_the_register(client, alliance, register, filters, expected):
    objects = {
        "group": alliance.group,
        "secretariat": alliance.secretariat,
        **vars(register),
    }
    query = {
        name: objects[value].pk if value in objects else value
        for name, value in filters.items()
    }
    client.force_login(alliance.users["staff"])
    response = client.get(reverse("meetings:decision_list"), query)
    assert _listed(response) == [getattr(register, name) for name in expected]


def test_a_bad_filter_is_shown_at_its_field_and_lists_nothing(
    client, alliance, register
):
    client.force_login(alliance.users["staff"])
    response = client.get(
        reverse("meetings:decision_list"),
        {"since": "2023-10-12", "until": "2023-10-01", "outcome": "won"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.as_data()["until"][0].code == "date_order"
    assert "outcome" in form.errors
    assert rendered_rows(response, "decision") == 0


def _many_decisions(alliance, count, *, start=0):
    """Decisions each of a meeting, measure and recommendation of their own, so that a
    query per row would show."""
    for number in range(start, start + count):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=number)
        recommendation = _decision(
            _meeting(alliance.secretariat, day - datetime.timedelta(days=1)),
            f"Suositus {number}",
            measure=MeasureFactory(),
        )
        _decision(
            _meeting(alliance.group, day),
            f"Päätös {number}",
            measure=recommendation.measure,
            recommended_in=recommendation,
        )


def test_the_register_runs_the_same_queries_for_few_and_many_rows(
    client, alliance, django_assert_num_queries
):
    client.force_login(alliance.users["observer"])
    url = reverse("meetings:decision_list")
    _many_decisions(alliance, 2)
    with CaptureQueriesContext(connection) as with_few:
        response = client.get(url)
    assert rendered_rows(response, "decision") == 4

    _many_decisions(alliance, 20, start=2)

    with django_assert_num_queries(len(with_few)):
        response = client.get(url)
    assert rendered_rows(response, "decision") == 44


def test_a_long_register_is_shown_fifty_at_a_time_keeping_the_filters(client, alliance):
    _many_decisions(alliance, 30)
    client.force_login(alliance.users["observer"])
    url = reverse("meetings:decision_list")
    response = client.get(url, {"body": alliance.group.pk})
    assert rendered_rows(response, "decision") == 30

    response = client.get(url, {"outcome": Outcome.APPROVED})
    assert rendered_rows(response, "decision") == DECISIONS_PAGE_SIZE
    page = response.content.decode()
    assert f"?outcome={Outcome.APPROVED}&amp;page=2" in page

    response = client.get(url, {"outcome": Outcome.APPROVED, "page": 2})
    assert rendered_rows(response, "decision") == 60 - DECISIONS_PAGE_SIZE
    assert f"?outcome={Outcome.APPROVED}&amp;page=1" in response.content.decode()


def test_theme_and_measure_pages_list_their_decisions(client, alliance, register):
    client.force_login(alliance.users["observer"])
    response = client.get(register.employment.get_absolute_url())
    assert rendered_rows(response, "decision") == 2
    page = response.content.decode()
    register_link = (
        f"{reverse('meetings:decision_list')}?theme={register.employment.pk}"
    )
    assert register_link in page

    response = client.get(register.housing.get_absolute_url())
    assert rendered_rows(response, "decision") == 1

    response = client.get(register.services.get_absolute_url())
    assert rendered_rows(response, "decision") == 2
    assert "Asumisen teema" not in response.content.decode()


def test_the_recommendation_must_be_an_earlier_matter_of_the_preparing_body(
    alliance, register
):
    staff = alliance.users["staff"]
    meeting = MeetingFactory(
        body=alliance.group, starts_at=at(datetime.date(2023, 12, 1), 9), ends_at=None
    )
    item = AgendaItem(
        meeting=meeting, title="Päätettävä", recommended_in=register.decided
    )
    with pytest.raises(ValidationError) as refused:
        meeting_services.agenda_item_save(item=item, by=staff)
    assert refused.value.error_dict["recommended_in"][0].code == (
        "recommendation_not_preparing"
    )
    item.recommended_in = register.recommendation
    item.theme = register.housing
    item.measure = register.services
    with pytest.raises(ValidationError) as refused:
        meeting_services.agenda_item_save(item=item, by=staff)
    assert refused.value.error_dict["theme"][0].code == "theme_not_measures"
    assert not AgendaItem.objects.filter(title="Päätettävä").exists()

    item.theme = register.employment
    meeting_services.agenda_item_save(item=item, by=staff)
    assert set(register.recommendation.decided_in.all()) == {register.decided, item}
