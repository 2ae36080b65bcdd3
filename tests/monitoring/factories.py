import datetime
from decimal import Decimal

import factory

from monitoring.models import Indicator, Observation
from tests.themes.factories import ThemeFactory


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

    indicator = factory.SubFactory(IndicatorFactory)
    period = datetime.date(2024, 1, 1)
    value = Decimal("110")
    city = None
