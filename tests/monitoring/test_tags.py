"""The template tags that show monitoring on other apps' pages."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from monitoring.parsing import parse_number
from monitoring.selectors import ProgressStatus, theme_progress_list, theme_statuses
from monitoring.templatetags.monitoring_tags import (
    number,
    percent,
    period_label,
)
from tests.monitoring.factories import Q1_2024, IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load badges monitoring_tags %}" + source).render(
        Context(context)
    )


# Filters and the badge


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("fi", Decimal("1234.5000"), "1\u00a0234,5"),
        ("sv", Decimal("-3.5000"), "\u22123,5"),
        ("en", Decimal("1234.5000"), "1,234.5"),
        ("fi", Decimal("32000.0000"), "32\u00a0000"),
        ("fi", None, ""),
    ],
)
def test_numbers_are_shown_without_the_stored_zeros(language, value, shown):
    with translation.override(language):
        assert number(value) == shown


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_negative_number_shows_the_minus_sign_and_reads_back(language):
    with translation.override(language):
        shown = number(Decimal("-34.5"))
        assert shown.startswith("\u2212") and "-" not in shown
        assert parse_number(shown) == Decimal("-34.5")
        assert percent(Decimal("-0.05")) == "\u22125\u00a0%"


def test_shares_periods_and_lookups():
    with translation.override("fi"):
        assert percent(Decimal("0.456")) == "46\u00a0%"
    assert percent(None) == ""
    assert period_label(Q1_2024, "quarterly") == "2024-Q1"
    assert period_label(datetime.date(2024, 3, 1), "monthly") == "2024-03"
    assert period_label(None, "yearly") == ""
    assert render("{{ m|lookup:2 }}", m={2: "kaksi"}) == "kaksi"
    assert render("{{ m|lookup:3|default:'–' }}", m={2: "kaksi"}) == "–"


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "At risk"), ("fi", "Vaarassa jäädä jälkeen"), ("sv", "I riskzonen")],
)
def test_the_status_badge_is_translated(language, label):
    with translation.override(language):
        html = render("{% status_badge status %}", status=ProgressStatus.AT_RISK)

    assert html == f'<span class="badge status--at_risk">{label}</span>'


def test_the_status_badge_takes_a_plain_value_and_nothing():
    with translation.override("en"):
        assert "status--off_track" in render(
            "{% status_badge 'off_track'|progress_status %}"
        )
        assert render("{% status_badge None|progress_status %}") == (
            '<span class="badge status--no_data">No data</span>'
        )


# The progress maps


def _themes_with_indicators(count, organisations):
    themes = []
    for index in range(count):
        theme = ThemeFactory(lead_organisation=organisations["tem"])
        measure = MeasureFactory(theme=theme)
        own = IndicatorFactory(theme=theme)
        of_measure = IndicatorFactory(theme=None, measure=measure)
        ObservationFactory(indicator=own, value=Decimal(150 if index % 2 else 101))
        ObservationFactory(indicator=of_measure, value=Decimal(150))
        themes.append(theme)
    return themes


@pytest.mark.parametrize("count", [3, 30])
def test_the_theme_status_map_is_read_in_one_query(
    count, organisations, django_assert_num_queries
):
    themes = _themes_with_indicators(count, organisations)
    empty = ThemeFactory(lead_organisation=organisations["tem"])

    with django_assert_num_queries(1):
        html = render(
            "{% theme_status_map themes as statuses %}"
            "{% for theme in themes %}[{{ statuses|lookup:theme.pk }}]{% endfor %}",
            themes=[*themes, empty],
        )

    assert html.count("[off_track]") == (count + 1) // 2
    assert html.count("[on_track]") == count // 2
    assert html.endswith("[no_data]")


def test_the_theme_status_map_agrees_with_the_worked_out_roll_up(organisations):
    themes = _themes_with_indicators(4, organisations)

    statuses = theme_statuses(themes=themes)

    assert statuses == {
        summary.subject.pk: summary.status
        for summary in theme_progress_list(themes=themes)
    }


# The indicator panel


def test_the_panel_shows_a_themes_indicators_with_their_latest_values(world):
    with translation.override("en"):
        html = render(
            "{% indicator_panel theme user %}",
            theme=world.theme,
            user=world.users["observer"],
        )

    assert world.per_city.get_absolute_url() in html
    assert world.national_only.get_absolute_url() in html
    assert "120 %" in html
    assert "2024-Q1" in html
    assert '<span class="badge status--no_data">No data</span>' in html
    assert "indicator_add" not in html and "/move/" not in html
    assert reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk]) not in (
        html
    )


def test_the_panel_offers_the_secretariat_to_add_and_reorder(world):
    request = RequestFactory().get("/themes/7/")
    html = render(
        "{% indicator_panel theme user %}",
        theme=world.theme,
        user=world.users["staff"],
        request=request,
        csrf_token="token",
    )

    add = reverse("monitoring:indicator_add_for_theme", args=[world.theme.pk])
    assert f"{add}?next=/themes/7/" in html
    up = reverse("monitoring:indicator_move", args=[world.national_only.pk, "up"])
    down = reverse("monitoring:indicator_move", args=[world.per_city.pk, "down"])
    assert f'hx-post="{up}"' in html and f'hx-post="{down}"' in html
    assert f'id="indicators-theme-{world.theme.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_panel_of_a_measure_links_to_adding_to_the_measure(world):
    html = render(
        "{% indicator_panel measure user %}",
        measure=world.measure,
        user=world.users["chair"],
    )

    assert reverse("monitoring:indicator_add_for_measure", args=[world.measure.pk]) in (
        html
    )
    assert "<table>" not in html  # no indicators yet


def test_the_panel_shows_nothing_to_a_user_without_a_role(world):
    html = render(
        "{% indicator_panel theme user %}",
        theme=world.theme,
        user=world.users["norole"],
    )

    assert "Työllisyysaste" not in html
    assert "/indicators/" not in html


@pytest.mark.parametrize("count", [5, 50])
def test_the_panel_runs_a_fixed_number_of_queries(
    count, world, django_assert_max_num_queries
):
    for _ in range(count):
        ObservationFactory(indicator=IndicatorFactory(theme=world.theme))
    user = world.users["staff"]
    user.refresh_from_db()  # no roles read yet

    with django_assert_max_num_queries(4):
        html = render("{% indicator_panel theme user %}", theme=world.theme, user=user)

    assert html.count('class="badge status--') == count + 2
