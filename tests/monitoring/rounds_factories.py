"""A world for the reporting rounds: the cities' representatives and a round."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group

from members.models import Organisation, User
from monitoring.models import Indicator, ReportingRound
from monitoring.services import round_open
from tests.factories import UserFactory, cast_create
from tests.monitoring.factories import IndicatorFactory
from tests.themes.factories import ThemeFactory

Q3_2023 = datetime.date(2023, 7, 1)
# The fixed clock's today is 15.9.2023: a week before this due date.
DUE = datetime.date(2023, 9, 22)


@dataclass
class RoundWorld:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    indicators: list[Indicator]
    yearly: Indicator
    national_only: Indicator
    round: ReportingRound

    @property
    def tampere(self) -> Organisation:
        return self.organisations["tampere"]

    @property
    def turku(self) -> Organisation:
        return self.organisations["turku"]

    @property
    def helsinki(self) -> Organisation:
        return self.organisations["helsinki"]


def rounds_world(organisations, *, indicator_count: int = 3) -> RoundWorld:
    """Tampere's, Turku's and Helsinki's people, the secretariat, and an open round
    for 2023-Q3 of `indicator_count` quarterly indicators reported per city."""
    cast = cast_create(
        "keskinen",
        "nyholm",
        "lindqvist",
        "voutilainen",
        "palonen",
        "observer",
        "norole",
        languages={"keskinen": "fi"},
    )
    turku_user = UserFactory(username="virtanen", language="sv")
    turku_user.groups.add(Group.objects.get(name="city-turku"))
    users = {
        "tampere": cast["keskinen"],
        "turku": turku_user,
        "helsinki": cast["nyholm"],
        "helsinki_sv": cast["lindqvist"],
        "staff": cast["voutilainen"],
        "chair": cast["palonen"],
        "observer": cast["observer"],
        "norole": cast["norole"],
    }
    theme = ThemeFactory(title="Työllisyys", lead_organisation=organisations["tem"])
    indicators = [
        IndicatorFactory(
            theme=theme, name=f"Kaupunkimittari {n}", unit="%", reported_per_city=True
        )
        for n in range(indicator_count)
    ]
    yearly = IndicatorFactory(
        theme=theme,
        name="Vuosimittari",
        reported_per_city=True,
        frequency=Indicator.Frequency.YEARLY,
    )
    national_only = IndicatorFactory(theme=theme, name="Kansallinen mittari")
    round = round_open(
        period=Q3_2023,
        frequency=Indicator.Frequency.QUARTERLY,
        due_date=DUE,
        indicators=indicators,
        by=users["staff"],
    )
    return RoundWorld(
        organisations=organisations,
        users=users,
        indicators=indicators,
        yearly=yearly,
        national_only=national_only,
        round=round,
    )
