"""The example reporting round of `bootstrap_alliance --demo`."""

import datetime

import pytest
from django.core.management import call_command

from members.models import Organisation, User
from monitoring import selectors
from monitoring.demo import indicator_demo_load, round_demo_load
from monitoring.models import CityReport, Observation, ReportingRound
from themes.demo import DemoDataError, theme_demo_load

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def example_indicators(organisations):
    theme_demo_load(today=TODAY)
    indicator_demo_load(today=TODAY)


def test_the_example_round_is_this_quarter_due_in_two_weeks(example_indicators):
    result = round_demo_load(today=TODAY)

    round = ReportingRound.objects.get()
    assert round.period_label == "2026-Q2"
    assert round.due_date == datetime.date(2026, 6, 3)
    assert round.is_open and round.is_example and round.opened_by is None
    assert round.indicators.count() >= 2
    assert not round.indicators.exclude(reported_per_city=True).exists()

    tampere = Organisation.objects.get(slug="tampere")
    missing = selectors.city_round_missing(round=round, city=tampere)
    entered = Observation.objects.filter(city=tampere, period=round.period)
    assert missing and entered.exists()
    assert len(missing) + entered.count() == round.indicators.count()
    table = selectors.round_table(round=round, today=TODAY)
    complete = {row.city.slug for row in table.rows if row.is_complete}
    assert complete == {"helsinki"}
    assert result["written"] == 1 + entered.count() + 2 * round.indicators.count() + 1

    # Idempotent: a second load writes nothing and no history.
    history = (ReportingRound.history.count(), Observation.history.count())
    assert round_demo_load(today=TODAY)["written"] == 0
    assert round_demo_load(today=TODAY + datetime.timedelta(days=3))["written"] == 0
    assert (ReportingRound.history.count(), Observation.history.count()) == history
    assert CityReport.objects.count() == 1


def test_the_indicators_must_be_loaded_first(organisations):
    with pytest.raises(DemoDataError):
        round_demo_load(today=TODAY)


def test_bootstrap_demo_opens_the_round_and_tampere_owes_values(client):
    call_command("bootstrap_alliance", "--demo", verbosity=0)
    round = ReportingRound.objects.get()
    tampere = Organisation.objects.get(slug="tampere")
    debts = selectors.rounds_owed(cities=[tampere], today=round.due_date)
    assert len(debts) == 1 and debts[0].missing_count > 0

    # Signed in as keskinen (Tampere), the dashboard says what Tampere owes.
    client.force_login(User.objects.get(username="keskinen"))
    response = client.get("/")
    content = response.content.decode()
    assert f"/rounds/{round.pk}/cities/tampere/" in content
    assert round.period_label in content
