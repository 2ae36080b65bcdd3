import datetime

import factory

from members.models import Organisation
from tests.members.factories import OrganisationFactory
from themes.models import Measure, Milestone, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Teema {n}")
    status = Theme.Status.ACTIVE
    lead_organisation = factory.SubFactory(
        OrganisationFactory, slug="tem", kind=Organisation.Kind.MINISTRY
    )
    order = factory.Sequence(lambda n: n)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    theme = factory.SubFactory(ThemeFactory)
    title = factory.Sequence(lambda n: f"Toimenpide {n}")
    lead_organisation = factory.SelfAttribute("theme.lead_organisation")
    start_date = datetime.date(2023, 10, 1)
    end_date = datetime.date(2025, 12, 31)
    status = Measure.Status.IN_PROGRESS
    order = factory.Sequence(lambda n: n)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Välitavoite {n}")
    kind = Milestone.Kind.LAUNCH
    due_date = datetime.date(2023, 11, 30)
    theme = factory.SubFactory(ThemeFactory)
    measure = None
