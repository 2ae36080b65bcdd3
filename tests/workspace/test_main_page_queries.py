"""The main pages of the benchmark run the same queries, twenty at most, for a few
rows and for many.

Each page's data grows in units: one unit adds a row of each kind the page lists and
an edit of the shown object that changes its relations, so that its history grows
too. The test requests the page after a few units and after many, asserts the same
query count at both within the bound, and counts the rows the page renders, so that
a page which shows the same rows at both sizes cannot pass.
"""

import copy
import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.history import save_tracked
from members.models import Organisation
from monitoring import services as monitoring_services
from monitoring.models import Indicator, ReportingRound
from secretariat.meetings.models import AgendaItem, Meeting
from secretariat.meetings.services import agenda_publish
from secretariat.models import ModelProposal, ModelProposalVersion, ProposalSection
from secretariat.proposal_snapshot import snapshot_build
from tests.html import rendered_rows
from tests.meetings.factories import (
    MEETING_DAY,
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    at,
)
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.theme_proposals.factories import ThemeProposalFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes.proposals import services as proposal_services
from themes.proposals.models import ThemeProposal

pytestmark = pytest.mark.django_db

MOST_QUERIES = 20
FEW, MANY = 2, 12
# Edits of the shown object a unit makes, where its history is on the page: at many
# units still under the fifty entries the history shows.
EDITS = 3
# Quarters of values each grown indicator gets, nationally and for each city.
QUARTERS = [datetime.date(2021 + q // 4, 1 + 3 * (q % 4), 1) for q in range(8)]


def _cities():
    return list(Organisation.objects.filter(kind=Organisation.Kind.CITY))


def _values(indicator):
    """Eight quarters of values, nationally and for each city."""
    for city in [None, *_cities()]:
        for quarter in QUARTERS:
            ObservationFactory(
                indicator=indicator, city=city, period=quarter, value=Decimal("120")
            )


def _relocated(obj, count, world, **m2m):
    """Edit `obj` `count` times, by the chair and the staff in turn, each edit moving
    its lead (and the many-to-many fields named in `m2m`) to other organisations."""
    organisations = list(Organisation.objects.order_by("pk")[:6])
    editors = [world.users["chair"], world.users["staff"]]
    for n in range(count):
        obj.lead_organisation = organisations[n % len(organisations)]
        save_tracked(
            obj,
            by=editors[n % len(editors)],
            token=None,
            m2m={name: [organisations[(n + 1) % 6]] for name in m2m},
        )


def _held_meeting(world):
    """The secretariat's held meeting that the grown decisions are made in."""
    if not hasattr(world, "held"):
        world.held = MeetingFactory(
            body=world.secretariat,
            starts_at=at(datetime.date(2023, 9, 5), 9),
            ends_at=None,
            status=Meeting.Status.HELD,
        )
    return world.held


def _decision(world, **subject):
    return AgendaItemFactory(
        meeting=_held_meeting(world),
        outcome=AgendaItem.Outcome.APPROVED,
        decision="Hyväksyttiin.",
        **subject,
    )


@dataclass
class Page:
    """A page, who reads it, how its data grows by `units`, and what a unit adds:
    rows by kind (`data-row`, or "history" for the history's entries) and the other
    texts it shows once each (the returned texts of `grow`)."""

    url: Callable
    viewer: str
    grow: Callable
    rows: dict[str, int]
    sizes: tuple[int, int] = (FEW, MANY)
    shown: list[str] = field(default_factory=list)


# Growing each page's data


def _dashboard(world, units):
    for _ in range(units):
        MilestoneFactory(theme=world.theme, due_date=datetime.date(2023, 10, 1))
        _values(IndicatorFactory(theme=ThemeFactory(), reported_per_city=True))


def _theme_list(world, units):
    for _ in range(units):
        theme = ThemeFactory()
        measure = MeasureFactory(theme=theme)
        MilestoneFactory(theme=None, measure=measure)
        _values(IndicatorFactory(theme=theme))
        _relocated(theme, 3, world)


def _theme_detail(world, units):
    helsinki = Organisation.objects.get(slug="helsinki")
    for _ in range(units):
        measure = MeasureFactory(theme=world.theme)
        measure.participating_organisations.add(helsinki)
        MilestoneFactory(theme=world.theme, due_date=datetime.date(2024, 2, 1))
        indicator = IndicatorFactory(theme=world.theme)
        _values(indicator)
        _decision(world, theme=world.theme)
        _relocated(world.theme, EDITS, world)
        yield indicator.name


def _measure_detail(world, units):
    for _ in range(units):
        MilestoneFactory(theme=None, measure=world.measure)
        indicator = IndicatorFactory(theme=None, measure=world.measure)
        _values(indicator)
        _decision(world, measure=world.measure)
        _relocated(world.measure, EDITS, world, participating_organisations=True)
        yield indicator.name


def _measure_detail_as_published(world, units):
    """What a role outside the secretariat sees: each unit publishes the agenda of a
    meeting about the measure and approves the minutes of another that decides on it."""
    for _ in range(units):
        planned = MeetingFactory(body=world.secretariat, ends_at=None)
        AgendaItemFactory(meeting=planned, measure=world.measure)
        agenda_publish(meeting=planned, by=world.users["chair"], notify=False)
        decided = _decision(world, measure=world.measure)
        Meeting.objects.filter(pk=decided.meeting_id).update(
            status=Meeting.Status.MINUTES_APPROVED
        )
        _relocated(world.measure, EDITS, world, participating_organisations=True)


def _indicator_list(world, units):
    for _ in range(units):
        _values(IndicatorFactory(theme=world.theme, reported_per_city=True))


def _indicator_detail(world, units):
    # An indicator belongs to a theme or to one of its measures, never both.
    homes = itertools.cycle(
        [(None, world.measure), (world.theme, None), (None, MeasureFactory())]
    )
    organisations = itertools.cycle(Organisation.objects.order_by("pk")[:5])
    indicator = world.indicator
    start = indicator.observations.filter(city=None).count()
    for n in range(start, start + units):
        period = datetime.date(2015 + n // 4, 1 + 3 * (n % 4), 1)
        for city in [None, *_cities()]:
            ObservationFactory(
                indicator=indicator, city=city, period=period, value=Decimal(n)
            )
        indicator.theme, indicator.measure = next(homes)
        indicator.responsible_organisation = next(organisations)
        indicator.save()


def _round(world):
    return ReportingRound.objects.get_or_create(
        period=datetime.date(2023, 7, 1),
        defaults={
            "frequency": Indicator.Frequency.QUARTERLY,
            "due_date": datetime.date(2023, 9, 22),
        },
    )[0]


def _city_round(world, units):
    helsinki = Organisation.objects.get(slug="helsinki")
    reporting_round = _round(world)
    for _ in range(units):
        reported, missing = IndicatorFactory.create_batch(
            2, theme=world.theme, reported_per_city=True
        )
        _values(reported)
        monitoring_services.observation_record(
            indicator=reported,
            period=reporting_round.period,
            city=helsinki,
            value=Decimal("70"),
            by=None,
        )
        reporting_round.indicators.add(reported, missing)


def _proposal_list(world, units):
    espoo = Organisation.objects.get(slug="espoo")
    for _ in range(units):
        proposal = ThemeProposalFactory(
            city=espoo, author=world.users["city-espoo"], theme=world.theme
        )
        proposal_services.proposal_comment_add(
            proposal=proposal, by=world.users["chair"], text="Kommentti"
        )


def _proposal_detail(world, units):
    proposal = world.helsinki_sent
    proposal.refresh_from_db()
    themes = itertools.cycle([world.theme, ThemeFactory(), ThemeFactory()])
    for _ in range(units):
        proposal_services.proposal_comment_add(
            proposal=proposal, by=world.users["chair"], text="Kommentti"
        )
        # Files are added while a proposal is a draft: the sent one keeps the draft's.
        attachment = copy.copy(world.helsinki_draft_attachment)
        attachment.pk, attachment.proposal = None, proposal
        attachment.save()
        _decision(world, theme_proposal=proposal)
        proposal.theme = next(themes)
        proposal.save()


def _review_queue(world, units):
    helsinki = Organisation.objects.get(slug="helsinki")
    for _ in range(units):
        proposal = ThemeProposalFactory(
            city=helsinki,
            author=world.users["city-helsinki"],
            theme=world.theme,
            status=ThemeProposal.Status.SUBMITTED,
        )
        proposal_services.proposal_comment_add(
            proposal=proposal, by=world.users["chair"], text="Kommentti"
        )


def _schedule(world, units):
    """Each unit adds a theme with two measures of three milestones each; the
    schedule may fold the measures, so the themes are what it must show."""
    helsinki = Organisation.objects.get(slug="helsinki")
    for _ in range(units):
        theme = ThemeFactory()
        for measure in MeasureFactory.create_batch(2, theme=theme):
            measure.participating_organisations.add(helsinki)
            MilestoneFactory.create_batch(
                3, theme=None, measure=measure, due_date=datetime.date(2024, 1, 1)
            )
            _relocated(measure, 2, world, participating_organisations=True)
        yield theme.title


def _meeting_list(world, units):
    for n in range(units):
        meeting = MeetingFactory(
            body=world.secretariat,
            starts_at=at(MEETING_DAY + datetime.timedelta(days=n), 9),
            ends_at=None,
        )
        AgendaItemFactory.create_batch(3, meeting=meeting)


def _meeting_detail(world, units):
    """Each unit adds a decided item with an action item, publishes a new version
    of the agenda, and edits the meeting."""
    meeting = _held_meeting(world)
    owner = world.secretariat.memberships.order_by("order").first()
    for _ in range(units):
        # The agenda is open again for the unit's item, as before the meeting.
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.AGENDA_PUBLISHED
        )
        item = AgendaItemFactory(
            meeting=meeting,
            measure=world.measure,
            theme_proposal=world.helsinki_sent,
            outcome=AgendaItem.Outcome.APPROVED,
            decision="Hyväksyttiin.",
        )
        version = agenda_publish(meeting=meeting, by=world.users["chair"], notify=False)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        ActionItemFactory(meeting=meeting, agenda_item=item, owner=owner)
        meeting.refresh_from_db()
        meeting.place = f"Sali {item.pk}"
        meeting.save()
        yield version.get_absolute_url()


def _search(world, units):
    for _ in range(units):
        theme = ThemeFactory(title=f"Kokeilu {ThemeFactory._meta.next_sequence()}")
        MeasureFactory(theme=theme, title=f"Kokeilu toimenpiteenä {theme.pk}")
        _relocated(theme, 2, world)


def _calendar_feed(world, units):
    for n in range(units):
        MilestoneFactory(theme=world.theme, due_date=datetime.date(2023, 10, 1 + n))
        meeting = MeetingFactory(
            body=world.secretariat,
            starts_at=at(MEETING_DAY + datetime.timedelta(days=n), 9),
            ends_at=None,
        )
        AgendaItemFactory.create_batch(3, meeting=meeting)
        agenda_publish(meeting=meeting, by=world.users["chair"], notify=False)


def _proposal_compare(world, units):
    """Version 1 is made before the first unit; each unit adds a section, a theme
    with a measure and its milestone, and an indicator to the live proposal, edits
    the shown measure, and makes a new final version."""
    proposal = ModelProposal.objects.get_or_create(appointment=world.appointment)[0]
    chair = world.users["chair"]
    if not proposal.versions.exists():
        _version_made(proposal, 1, chair)
    for _ in range(units):
        number = proposal.versions.count() + 1
        ProposalSection.objects.create(
            proposal=proposal,
            kind=ProposalSection.Kind.OWN,
            title=f"Luku {number}",
            body="Sihteeristön lisäämä luku.",
            order=100 + number,
        )
        theme = ThemeFactory()
        MilestoneFactory(theme=None, measure=MeasureFactory(theme=theme))
        IndicatorFactory(theme=theme)
        _relocated(world.measure, 2, world, participating_organisations=True)
        _version_made(proposal, number, chair)


def _version_made(proposal, number, by):
    moment = datetime.datetime(2023, 9, 1, tzinfo=datetime.UTC)
    ModelProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        snapshot=snapshot_build(
            proposal=proposal, draft=False, number=number, made_by=by, at=moment
        ),
        created_by=by,
        created_at=moment + datetime.timedelta(days=number),
    )


def _url(name, subject=None):
    return lambda world: reverse(
        name, args=[getattr(world, subject).pk] if subject else []
    )


PAGES = {
    # The dashboard shows the next eight milestones: both sizes stay under that.
    "dashboard": Page(
        _url("secretariat:dashboard"),
        "chair",
        _dashboard,
        {"milestone": 1},
        sizes=(2, 6),
    ),
    "theme_list": Page(_url("themes:theme_list"), "chair", _theme_list, {"theme": 1}),
    "theme_detail": Page(
        _url("themes:theme_detail", "theme"),
        "chair",
        _theme_detail,
        {"measure": 1, "milestone": 1, "decision": 1, "history": EDITS},
    ),
    "measure_detail": Page(
        _url("themes:measure_detail", "measure"),
        "chair",
        _measure_detail,
        {"milestone": 1, "agenda-item": 1, "decision": 1, "history": EDITS},
    ),
    "measure_detail_as_observer": Page(
        _url("themes:measure_detail", "measure"),
        "observer",
        _measure_detail_as_published,
        {"agenda-item": 1, "decision": 1, "history": EDITS},
    ),
    "indicator_list": Page(
        _url("monitoring:indicator_list"), "chair", _indicator_list, {"indicator": 1}
    ),
    "indicator_detail": Page(
        _url("monitoring:indicator_detail", "indicator"),
        "chair",
        _indicator_detail,
        {"period": 1, "history": 1},
    ),
    "city_round": Page(
        lambda world: reverse(
            "monitoring:city_round", args=[_round(world).pk, "helsinki"]
        ),
        "city-helsinki",
        _city_round,
        {"value": 2, "missing": 1},
    ),
    "city_round_missing_only": Page(
        lambda world: (
            reverse("monitoring:city_round", args=[_round(world).pk, "helsinki"])
            + "?missing=on"
        ),
        "city-helsinki",
        _city_round,
        {"value": 1, "missing": 1},
    ),
    "city_overview": Page(
        lambda world: reverse("monitoring:city_overview", args=["helsinki"]),
        "city-helsinki",
        _indicator_list,
        {"indicator": 1},
    ),
    "proposal_list": Page(
        _url("theme_proposals:proposal_list"), "chair", _proposal_list, {"proposal": 1}
    ),
    "proposal_detail": Page(
        _url("theme_proposals:proposal_detail", "helsinki_sent"),
        "chair",
        _proposal_detail,
        {"comment": 1, "attachment": 1, "agenda-item": 1, "history": 1},
    ),
    "review_queue": Page(
        _url("theme_proposals:proposal_review_queue"),
        "chair",
        _review_queue,
        {"proposal": 1},
    ),
    "schedule": Page(_url("secretariat:schedule"), "chair", _schedule, {}),
    "meeting_list": Page(
        _url("meetings:meeting_list"), "chair", _meeting_list, {"meeting": 1}
    ),
    "meeting_detail": Page(
        lambda world: reverse(
            "meetings:meeting_detail", args=[_held_meeting(world).pk]
        ),
        "chair",
        _meeting_detail,
        {"agenda-item": 1, "action-item": 1, "history": 1},
    ),
    # At most twenty hits of a kind are shown: both sizes stay under that.
    "search": Page(
        lambda world: reverse("secretariat:search") + "?q=Kokeilu",
        "chair",
        _search,
        {"hit": 2},
    ),
    "calendar_feed": Page(
        lambda world: reverse(
            "secretariat:calendar_feed", args=[world.users["chair"].calendar_token]
        ),
        "chair",
        _calendar_feed,
        {"BEGIN:VEVENT": 2},
    ),
    "proposal_compare": Page(
        lambda world: reverse("secretariat:proposal_compare") + "?from=1&to=current",
        "chair",
        _proposal_compare,
        {'class="compare-change ': 5},
    ),
}


def _grown(page, world, units) -> list[str]:
    """Grow the page's data by `units`; return the texts the page must show."""
    return list(page.grow(world, units) or [])


def _rows(response, kind) -> int:
    if kind.islower() and " " not in kind and "=" not in kind:
        return rendered_rows(response, kind)
    return response.content.decode().count(kind)


@pytest.mark.parametrize("name", PAGES)
def test_queries_stay_the_same_with_many_rows(client, world, name):
    page = PAGES[name]
    few, many = page.sizes
    client.force_login(world.users[page.viewer])
    shown = _grown(page, world, few)
    url = page.url(world)
    # The first request fills the caches of the process (content types, the session).
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as with_few:
        response = _built(client, url)
    assert response.status_code == 200
    rows_with_few = {kind: _rows(response, kind) for kind in page.rows}

    shown += _grown(page, world, many - few)

    with CaptureQueriesContext(connection) as with_many:
        response = _built(client, url)
    assert response.status_code == 200
    assert len(with_many) == len(with_few), _queries(with_few, with_many)
    assert len(with_many) <= MOST_QUERIES, _queries(with_few, with_many)
    for kind, per_unit in page.rows.items():
        assert rows_with_few[kind] >= per_unit * few, kind
        assert _rows(response, kind) == rows_with_few[kind] + per_unit * (many - few), (
            kind
        )
    content = response.content.decode()
    assert [text for text in shown if text not in content] == []


def _built(client, url):
    """Request the page as built, not as a cache holds it (the calendar feed)."""
    cache.clear()
    return client.get(url)


def _queries(*captured) -> str:
    """The statements of the requests, for the failure message."""
    return "\n\n".join(
        "\n".join(query["sql"] for query in queries.captured_queries)
        for queries in captured
    )
