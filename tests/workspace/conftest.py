"""A small world with every role, for the workspace's page and permission tests."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Body, Organisation
from secretariat.bootstrap import bootstrap
from secretariat.models import Appointment
from tests.factories import UserFactory
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes.proposals.models import ThemeProposal
from themes.proposals.services import (
    proposal_attachment_add,
    proposal_create,
    proposal_transition,
)

# The secretariat's working month: the proposal was due on 30.9.2023.
TODAY = datetime.date(2023, 9, 15)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = [
    "anonymous",
    "no-role",
    "observer",
    "city-helsinki",
    "city-espoo",
    "staff",
    "chair",
]


@pytest.fixture
def fixed_today():
    moment = datetime.datetime(2023, 9, 15, 10, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield TODAY


@pytest.fixture
def world(db, fixed_today):
    bootstrap(demo=False, today=TODAY)
    groups = {group.name: group for group in Group.objects.all()}

    def user(username, *group_names):
        account = UserFactory(username=username)
        account.groups.add(*(groups[name] for name in group_names))
        return account

    users = {
        "anonymous": None,
        "no-role": user("norole"),
        "observer": user("observer", "observer"),
        "city-helsinki": user("nyholm", "city-helsinki"),
        "city-espoo": user("ferm", "city-espoo"),
        "staff": user("voutilainen", "secretariat-staff"),
        "chair": user("palonen", "chair", "secretariat-staff"),
    }
    theme = ThemeFactory(
        title="Työllisyys", lead_organisation=Organisation.objects.get(slug="tem")
    )
    measure = MeasureFactory(
        theme=theme,
        title="Työllisyyspalvelujen yhteiskehittäminen",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    milestone = MilestoneFactory(
        theme=None, measure=measure, due_date=datetime.date(2023, 11, 30)
    )
    indicator = IndicatorFactory(
        theme=theme, name="Työllisyysaste", reported_per_city=True
    )
    helsinki_observation = ObservationFactory(
        indicator=indicator,
        city=Organisation.objects.get(slug="helsinki"),
        period=datetime.date(2023, 4, 1),
        value=Decimal("71.5"),
    )
    helsinki = Organisation.objects.get(slug="helsinki")
    nyholm = users["city-helsinki"]
    helsinki_draft = proposal_create(
        city=helsinki, by=nyholm, title="Datatalouden kokeilut", rationale="Perustelu"
    )
    helsinki_draft_attachment = proposal_attachment_add(
        proposal=helsinki_draft,
        upload=SimpleUploadedFile("liite.pdf", PDF_BYTES, "application/pdf"),
        by=nyholm,
    )
    helsinki_sent = proposal_create(
        city=helsinki,
        by=nyholm,
        title="Kaupunkien datayhteistyö",
        rationale="Perustelu",
    )
    proposal_transition(
        proposal=helsinki_sent, to_status=ThemeProposal.Status.SUBMITTED, by=nyholm
    )
    secretariat = Body.objects.get(kind=Body.Kind.SECRETARIAT)
    return SimpleNamespace(
        users=users,
        theme=theme,
        measure=measure,
        milestone=milestone,
        indicator=indicator,
        helsinki_observation=helsinki_observation,
        helsinki_draft=helsinki_draft,
        helsinki_draft_attachment=helsinki_draft_attachment,
        helsinki_sent=helsinki_sent,
        secretariat=secretariat,
        membership=secretariat.memberships.order_by("order").first(),
        appointment=Appointment.objects.get(),
        organisation=Organisation.objects.get(slug="helsinki"),
        person=secretariat.memberships.order_by("order").first().person,
        task=Appointment.objects.get().tasks.get(number=1),
    )


@pytest.fixture
def as_role(client, world):
    def sign_in(role):
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        return client

    return sign_in
