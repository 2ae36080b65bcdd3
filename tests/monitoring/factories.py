import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from members.models import Organisation, User
from monitoring.models import Indicator, Observation
from monitoring.services import indicator_status_refresh
from tests.factories import cast_create
from tests.themes.factories import MeasureFactory, ThemeFactory
from themes.models import Measure, Theme


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A quarterly 'higher is better' indicator from 100 (end of 2023) to 200 (2025)."""

    class Meta:
        model = Indicator

    theme = factory.SubFactory(ThemeFactory)
    measure = None
    name = factory.Sequence(lambda n: f"Mittari {n}")
    unit = "henkilöä"
    value_type = Indicator.ValueType.NUMBER
    direction = Indicator.Direction.HIGHER_IS_BETTER
    baseline_value = Decimal("100")
    baseline_date = datetime.date(2023, 12, 31)
    target_value = Decimal("200")
    target_date = datetime.date(2025, 12, 31)
    frequency = Indicator.Frequency.QUARTERLY
    responsible_organisation = factory.LazyAttribute(
        lambda o: (o.theme or o.measure).lead_organisation
    )
    order = factory.Sequence(lambda n: n)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation
        skip_postgeneration_save = True

    indicator = factory.SubFactory(IndicatorFactory)
    period = datetime.date(2024, 1, 1)
    value = Decimal("110")
    city = None

    @factory.post_generation
    def stored_status(observation, create, extracted, **kwargs):
        # As the services do after every national value, so that the lists filter
        # what the tests wrote.
        if create and observation.city_id is None:
            indicator_status_refresh(indicators=[observation.indicator])


Q1_2024 = datetime.date(2024, 1, 1)
Q2_2024 = datetime.date(2024, 4, 1)


@dataclass
class World:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    theme: Theme
    measure: Measure
    per_city: Indicator
    national_only: Indicator
    national_value: Observation
    helsinki_value: Observation
    espoo_value: Observation

    @property
    def helsinki(self) -> Organisation:
        return self.organisations["helsinki"]

    @property
    def espoo(self) -> Organisation:
        return self.organisations["espoo"]


def monitoring_world(organisations) -> World:
    """Create a user of each role and a theme with two indicators and three values."""
    cast = cast_create("norole", "observer", "nyholm", "ferm", "voutilainen", "palonen")
    users = {
        "norole": cast["norole"],
        "observer": cast["observer"],
        "helsinki": cast["nyholm"],
        "espoo": cast["ferm"],
        "staff": cast["voutilainen"],
        "chair": cast["palonen"],
    }
    theme = ThemeFactory(title="Työllisyys", lead_organisation=organisations["tem"])
    measure = MeasureFactory(theme=theme, title="Nuorten työllistyminen")
    per_city = IndicatorFactory(
        theme=theme, name="Työllisyysaste", unit="%", reported_per_city=True
    )
    national_only = IndicatorFactory(theme=theme, name="Avoimet työpaikat")
    return World(
        organisations=organisations,
        users=users,
        theme=theme,
        measure=measure,
        per_city=per_city,
        national_only=national_only,
        national_value=ObservationFactory(
            indicator=per_city, period=Q1_2024, value=Decimal("120")
        ),
        helsinki_value=ObservationFactory(
            indicator=per_city,
            period=Q1_2024,
            value=Decimal("130"),
            city=organisations["helsinki"],
        ),
        espoo_value=ObservationFactory(
            indicator=per_city,
            period=Q1_2024,
            value=Decimal("125"),
            city=organisations["espoo"],
        ),
    )
