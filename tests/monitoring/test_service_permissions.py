"""The monitoring services refuse whom the rule refuses, whoever calls them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from monitoring import services
from monitoring.models import Observation, StatusThresholds
from monitoring.permissions import (
    can_edit_indicators,
    can_edit_thresholds,
    can_record_for,
)
from tests.factories import ROLE_NAMES, role_users_create
from tests.members.factories import standard_organisations_create
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import ThemeFactory

pytestmark = pytest.mark.django_db

Q1 = datetime.date(2024, 1, 1)


@pytest.fixture
def organisations():
    return standard_organisations_create()


@pytest.fixture
def users(organisations):
    return role_users_create()


@pytest.fixture
def indicator(organisations):
    return IndicatorFactory(
        theme=ThemeFactory(lead_organisation=organisations["tem"]),
        reported_per_city=True,
    )


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("city", ["helsinki", "espoo"])
def test_values_are_recorded_only_where_the_rule_allows(
    users, organisations, indicator, role, city
):
    user, organisation = users[role], organisations[city]
    allowed = can_record_for(user, indicator, organisation)
    writes = [
        lambda: services.observation_record(
            indicator=indicator, period=Q1, value=Decimal(5), city=organisation, by=user
        ),
        lambda: services.observation_record_many(
            indicator=indicator,
            period=Q1,
            entries=[services.ObservationEntry(city=organisation, value=Decimal(6))],
            by=user,
        ),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    assert Observation.objects.exists() is allowed


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_a_recorded_value_is_changed_only_where_the_rule_allows(
    users, organisations, indicator, role
):
    user = users[role]
    observation = ObservationFactory(
        indicator=indicator, city=organisations["helsinki"], value=Decimal(1)
    )
    if can_record_for(user, indicator, observation.city):
        services.observation_update(
            observation=observation, value=Decimal(2), note="", by=user, token=None
        )
    else:
        with pytest.raises(PermissionDenied):
            services.observation_update(
                observation=observation, value=Decimal(2), note="", by=user, token=None
            )
        observation.refresh_from_db()
        assert observation.value == Decimal(1)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_indicators_and_thresholds_are_changed_by_the_secretariat_only(
    users, indicator, role
):
    user = users[role]
    indicator.name = "Uusi nimi"
    thresholds = StatusThresholds(on_track=Decimal("0.9"), at_risk=Decimal("0.6"))
    writes = [
        (
            can_edit_indicators,
            lambda: services.indicator_save(indicator=indicator, by=user, token=None),
        ),
        (
            can_edit_indicators,
            lambda: services.indicator_move(
                indicator=indicator, direction="up", by=user
            ),
        ),
        (
            can_edit_thresholds,
            lambda: services.status_thresholds_save(
                thresholds=thresholds, by=user, token=None
            ),
        ),
    ]
    for rule, write in writes:
        if rule(user):
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    if not can_edit_indicators(user):
        indicator.refresh_from_db()
        assert indicator.name != "Uusi nimi"
        assert not StatusThresholds.objects.exists()


def test_an_import_records_as_the_system(organisations, indicator):
    services.observation_record(
        indicator=indicator,
        period=Q1,
        value=Decimal(5),
        city=organisations["oulu"],
        by=None,
    )

    assert Observation.objects.get().entered_by is None
