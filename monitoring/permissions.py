"""Who may see and change indicators, observations and the status thresholds.

Every role reads the monitoring data. The secretariat (the chair and the staff) adds
and changes indicators, the thresholds and any value. A city representative records
and changes only their own city's values of indicators reported per city, never a
national value: the city scope is the rule of members.permissions (the city group's
permission on its own Organisation), never a grant on an observation.

Reporting rounds: the secretariat opens and closes them; every role sees a round's
table of what is in and what is missing. While a round is open, a city's
representatives (and the secretariat) enter that city's values of the round and mark
its report complete; nobody acts for another city.
"""

from django.db.models import QuerySet

from members.models import Organisation
from members.permissions import (
    can_act_for,
    can_edit_content,
    can_view_content,
    organisations_acted_for,
)
from monitoring.models import Indicator, Observation, ReportingRound


def can_view_monitoring(user) -> bool:
    """May the user read indicators, values and progress at all?"""
    return can_view_content(user)


def can_view_indicator(user, indicator: Indicator) -> bool:
    return can_view_monitoring(user)


def can_view_city_overview(user, city: Organisation) -> bool:
    """May the user see a city's progress on the indicators reported per city?"""
    return can_view_monitoring(user) and city.kind == Organisation.Kind.CITY


def can_edit_indicators(user) -> bool:
    """May the user add, change and reorder indicators?"""
    return can_edit_content(user)


def can_edit_thresholds(user) -> bool:
    return can_edit_content(user)


def recordable_cities(user, indicator: Indicator) -> QuerySet[Organisation]:
    """Return the cities whose values of `indicator` the user may record."""
    if not indicator.reported_per_city or not can_view_monitoring(user):
        return Organisation.objects.none()
    cities = Organisation.objects.filter(kind=Organisation.Kind.CITY)
    if can_edit_content(user):
        return cities
    return cities.filter(pk__in=organisations_acted_for(user).values("pk"))


def can_record_national(user, indicator: Indicator) -> bool:
    return can_edit_content(user)


def can_record_for(user, indicator: Indicator, city: Organisation | None) -> bool:
    """May the user record or change the value of `indicator` for `city`?

    `city` None is the national value.
    """
    if city is None:
        return can_record_national(user, indicator)
    return recordable_cities(user, indicator).filter(pk=city.pk).exists()


def can_change_observation(user, observation: Observation) -> bool:
    return can_record_for(user, observation.indicator, observation.city)


def can_manage_rounds(user) -> bool:
    """May the user open and close reporting rounds?"""
    return can_edit_content(user)


def can_view_round(user, round: ReportingRound) -> bool:
    return can_view_monitoring(user)


def can_report_for_city(user, city: Organisation) -> bool:
    """May the user report the city's values: its representative or the secretariat?"""
    if city.kind != Organisation.Kind.CITY or not can_view_monitoring(user):
        return False
    return can_edit_content(user) or can_act_for(user, city)


def round_takes_reports(round: ReportingRound) -> bool:
    """Does the round still take values and completions (from whoever reports)?"""
    return round.is_open


def can_enter_round_values(user, round: ReportingRound, city: Organisation) -> bool:
    """May the user enter the city's values of the round, on the city's round page?"""
    return round_takes_reports(round) and can_report_for_city(user, city)


def can_complete_city_report(user, round: ReportingRound, city: Organisation) -> bool:
    """May the user mark the city's report of the open round complete?"""
    return round_takes_reports(round) and can_report_for_city(user, city)


def can_import_observations(user) -> bool:
    """May the user import values from a spreadsheet?

    Whoever records values for some city, or nationally; each row is then checked
    with can_record_for.
    """
    if not can_view_monitoring(user):
        return False
    return can_edit_content(user) or organisations_acted_for(user).exists()


def can_delete_observation(user, observation: Observation) -> bool:
    """Whoever may change a value may delete it."""
    return can_change_observation(user, observation)


def can_relocate_indicator(user) -> bool:
    """May the user move an indicator to another theme or measure?"""
    return can_edit_indicators(user)
