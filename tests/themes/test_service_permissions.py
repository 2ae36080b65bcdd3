"""The themes services refuse whom the rule refuses, whoever calls them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import ROLE_NAMES, role_users_create
from tests.members.factories import standard_organisations_create
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes import services
from themes.models import Theme
from themes.permissions import can_edit_theme_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    standard_organisations_create()
    return role_users_create()


def _writes(theme, measure, milestone):
    """Every write of the app, as (name, call taking `by`)."""
    return [
        ("theme_save", lambda by: services.theme_save(theme=theme, by=by)),
        ("measure_save", lambda by: services.measure_save(measure=measure, by=by)),
        (
            "milestone_save",
            lambda by: services.milestone_save(milestone=milestone, by=by),
        ),
        (
            "theme_move",
            lambda by: services.theme_move(theme=theme, direction="down", by=by),
        ),
        (
            "measure_move",
            lambda by: services.measure_move(measure=measure, direction="down", by=by),
        ),
    ]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_write_follows_the_rule(users, role):
    user = users[role]
    measure = MeasureFactory(theme=ThemeFactory(lead_organisation__slug="tem"))
    milestone = MilestoneFactory(
        theme=None, measure=measure, due_date=datetime.date(2024, 1, 1)
    )
    for name, write in _writes(measure.theme, measure, milestone):
        if can_edit_theme_content(user):
            write(user)
        else:
            with pytest.raises(PermissionDenied):
                write(user)
            assert not measure.theme.history.filter(history_user=user).exists(), name


def test_the_system_may_write(users):
    theme = ThemeFactory(lead_organisation__slug="tem", title="Vanha")
    theme.title = "Uusi"

    services.theme_save(theme=theme, by=None)

    assert Theme.objects.get(pk=theme.pk).title == "Uusi"
