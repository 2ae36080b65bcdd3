"""Writes of the monitoring app: recording values, the example indicators, and the
reporting rounds."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.history import ConcurrentEdit, changes_since, edit_token, save_tracked
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from members.models import Organisation, User
from monitoring.models import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    CityReport,
    Indicator,
    Observation,
    ReportingRound,
    StatusThresholds,
)
from monitoring.permissions import (
    can_complete_city_report,
    can_edit_indicators,
    can_edit_thresholds,
    can_enter_round_values,
    can_manage_rounds,
    can_record_for,
)
from monitoring.selectors import city_round_missing
from monitoring.validators import validate_observation_city, validate_period_fits


def observation_check(
    *,
    indicator: Indicator,
    period: datetime.date,
    value: Decimal,
    city: Organisation | None = None,
) -> None:
    """Raise a ValidationError, keyed by field, if the value cannot be recorded."""
    errors = {}
    try:
        validate_period_fits(period, indicator.frequency)
    except ValidationError as error:
        errors["period"] = error
    try:
        validate_observation_city(
            city=city, reported_per_city=indicator.reported_per_city
        )
    except ValidationError as error:
        errors["city"] = error
    try:
        DecimalValidator(VALUE_MAX_DIGITS, VALUE_DECIMAL_PLACES)(value)
    except ValidationError as error:
        errors["value"] = error
    if errors:
        raise ValidationError(errors)


def observation_record(
    *,
    indicator: Indicator,
    period: datetime.date,
    value: Decimal,
    city: Organisation | None = None,
    note: str = "",
    by: User | None,
    example: bool = False,
) -> Observation:
    """Record an indicator's value for a period, nationally or for a city.

    A value already recorded for the same period and city is replaced (and the
    replaced value stays in the history); recording the same value and note again
    writes nothing. `by` is None only for values that no person entered (imports,
    the example data). `example` marks the value as example content; otherwise it
    is real data, even where an example stood.
    """
    observation_check(indicator=indicator, period=period, value=value, city=city)
    require_rule(by, can_record_for, indicator, city)
    key = {"indicator": indicator, "period": period, "city": city}
    with transaction.atomic():
        observation = Observation.objects.select_for_update().filter(**key).first()
        if observation is None:
            observation = Observation(
                **key, value=value, note=note, entered_by=by, is_example=example
            )
            observation._history_user = by
            try:
                with transaction.atomic():
                    observation.save()
                return observation
            except IntegrityError:
                # Recorded by someone else in the meantime: replace theirs below.
                observation = Observation.objects.select_for_update().get(**key)
        if observation.value == value and observation.note == note:
            return observation
        observation.value = value
        observation.note = note
        observation.entered_by = by
        observation.is_example = example
        observation._history_user = by
        observation.save(
            update_fields=["value", "note", "entered_by", "is_example", "updated_at"]
        )
    return observation


# Editing in the browser: indicators, single values, a period's values at once and
# the status thresholds.


def indicator_save(
    *, indicator: Indicator, by: User | None, token: str | None
) -> Indicator:
    """Save an indicator as `by`; a new one goes last among its subject's indicators.

    Refused with ConcurrentEdit when someone saved it after `token` was read.
    """
    require_rule(by, can_edit_indicators)
    with transaction.atomic():
        if indicator.pk is None:
            indicator.order = next_position(_indicator_siblings(indicator))
        return save_tracked(indicator, by=by, token=token)


def indicator_move(*, indicator: Indicator, direction: str, by: User) -> None:
    """Move an indicator up or down among its theme's or its measure's indicators."""
    require_rule(by, can_edit_indicators)
    move_in_order(
        indicator,
        siblings=_indicator_siblings(indicator),
        direction=direction,
        by=by,
    )


def _indicator_siblings(indicator: Indicator):
    if indicator.theme_id is not None:
        return Indicator.objects.filter(theme_id=indicator.theme_id)
    return Indicator.objects.filter(measure_id=indicator.measure_id)


def observation_update(
    *,
    observation: Observation,
    value: Decimal,
    note: str,
    by: User,
    token: str | None,
) -> Observation:
    """Change a recorded value and its note, unless someone changed it meanwhile.

    The period and the city stay; the write goes through observation_record, so the
    value counts as entered by `by` and is no longer example content.
    """
    with transaction.atomic():
        Observation.objects.select_for_update().filter(pk=observation.pk).first()
        if token is not None and edit_token(observation) != str(token):
            raise ConcurrentEdit(*changes_since(observation, token))
        return observation_record(
            indicator=observation.indicator,
            period=observation.period,
            city=observation.city,
            value=value,
            note=note,
            by=by,
        )


@dataclass(frozen=True)
class ObservationEntry:
    """One value of a period from the bulk page: national (no city) or a city's."""

    city: Organisation | None
    value: Decimal
    note: str = ""


class ObservationBatchError(Exception):
    """Some entries of a batch cannot be recorded; `errors` maps their positions."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__("Some values cannot be recorded.")
        self.errors = errors


def observation_record_many(
    *,
    indicator: Indicator,
    period: datetime.date,
    entries: Sequence[ObservationEntry],
    by: User,
) -> list[Observation]:
    """Record several values of one period of an indicator: all of them or none.

    Every entry is checked before anything is written; if any fails,
    ObservationBatchError names them and nothing is saved. A failure while writing
    rolls back the values already written in the batch.
    """
    errors = {}
    for position, entry in enumerate(entries):
        try:
            observation_check(
                indicator=indicator, period=period, value=entry.value, city=entry.city
            )
        except ValidationError as error:
            errors[position] = error
        else:
            require_rule(by, can_record_for, indicator, entry.city)
    if errors:
        raise ObservationBatchError(errors)
    with transaction.atomic():
        return [
            observation_record(
                indicator=indicator,
                period=period,
                city=entry.city,
                value=entry.value,
                note=entry.note,
                by=by,
            )
            for entry in entries
        ]


def status_thresholds_save(
    *, thresholds: StatusThresholds, by: User, token: str | None
) -> StatusThresholds:
    """Save the secretariat's thresholds; the first save creates the one row.

    A new row is refused as a concurrent edit when someone created the row after
    the form was opened, so that there is never a second one.
    """
    require_rule(by, can_edit_thresholds)
    with transaction.atomic():
        if thresholds.pk is None:
            existing = StatusThresholds.objects.select_for_update().first()
            if existing is not None:
                raise ConcurrentEdit(*changes_since(existing, "0"))
        return save_tracked(thresholds, by=by, token=token)


# Reporting rounds. A round is open until the secretariat closes it; while it is open a
# city's representatives enter the city's values of the round and mark its report
# complete. Values are ordinary observations, recorded through observation_record.


def round_check(
    *,
    period: datetime.date,
    frequency: str,
    due_date: datetime.date,
    indicators: Sequence[Indicator],
) -> None:
    """Raise a ValidationError, keyed by field, if a round cannot be opened so."""
    errors = {}
    try:
        validate_period_fits(period, frequency)
    except ValidationError as error:
        errors["period"] = error
    else:
        if ReportingRound.objects.filter(period=period, frequency=frequency).exists():
            errors["period"] = ValidationError(
                _("There is already a round for this period."), code="duplicate_round"
            )
    if due_date < period:
        errors["due_date"] = ValidationError(
            _("The due date cannot come before the period begins."),
            code="due_before_period",
        )
    if not indicators:
        errors["indicators"] = ValidationError(
            _("Choose at least one indicator."), code="no_indicators"
        )
    unfit = [
        indicator.name
        for indicator in indicators
        if not indicator.reported_per_city or indicator.frequency != frequency
    ]
    if unfit:
        errors["indicators"] = ValidationError(
            _(
                "A round covers indicators reported per city and recorded as often "
                "as its period; these are not: %(names)s."
            ),
            code="indicator_unfit",
            params={"names": ", ".join(unfit)},
        )
    if errors:
        raise ValidationError(errors)


def round_open(
    *,
    period: datetime.date,
    frequency: str,
    due_date: datetime.date,
    indicators: Sequence[Indicator],
    by: User | None,
    example: bool = False,
) -> ReportingRound:
    """Open a reporting round for a period, with its due date and its indicators.

    A period has one round at most; the indicators must be reported per city and
    recorded as often as the period (a quarterly indicator in a quarter's round).
    """
    require_rule(by, can_manage_rounds)
    indicators = list(indicators)
    round_check(
        period=period, frequency=frequency, due_date=due_date, indicators=indicators
    )
    round = ReportingRound(
        period=period,
        frequency=frequency,
        due_date=due_date,
        opened_by=by,
        is_example=example,
    )
    try:
        with transaction.atomic():
            save_tracked(round, by=by, token=None, m2m={"indicators": indicators})
    except IntegrityError:
        raise ValidationError(
            {
                "period": ValidationError(
                    _("There is already a round for this period."),
                    code="duplicate_round",
                )
            }
        ) from None
    return round


def _round_locked(round: ReportingRound) -> ReportingRound:
    """Lock the round's row and return it as it is now."""
    return ReportingRound.objects.select_for_update().get(pk=round.pk)


def _refuse_closed(round: ReportingRound) -> None:
    if not round.is_open:
        raise ValidationError(
            _("The round for %(period)s is closed.") % {"period": round.period_label},
            code="round_closed",
        )


def round_close(*, round: ReportingRound, by: User | None) -> ReportingRound:
    """Close an open round: its city pages no longer take values or completions."""
    require_rule(by, can_manage_rounds)
    with transaction.atomic():
        current = _round_locked(round)
        _refuse_closed(current)
        round.status = ReportingRound.Status.CLOSED
        round.closed_by = by
        round.closed_at = timezone.now()
        round._history_user = by
        round.save(update_fields=["status", "closed_by", "closed_at"])
    return round


@dataclass(frozen=True)
class RoundValueEntry:
    """A city's value of one of the round's indicators, from the city's round page.

    `token` is the edit token of the value as the page showed it ("0": no value yet).
    """

    indicator: Indicator
    value: Decimal
    note: str = ""
    token: str = "0"


class RoundValuesConflict(Exception):
    """Someone changed some of the values after the page was opened.

    `conflicts` maps the indicator ids to what changed (alliance.history).
    """

    def __init__(self, conflicts: dict[int, ConcurrentEdit]):
        super().__init__(_("Someone else changed some of these values meanwhile."))
        self.conflicts = conflicts


def city_round_values_save(
    *,
    round: ReportingRound,
    city: Organisation,
    entries: Sequence[RoundValueEntry],
    by: User | None,
) -> list[Observation]:
    """Record a city's values of an open round: all of them or none.

    Each entry is checked as observation_record checks it (ObservationBatchError names
    the bad ones by position); a value someone recorded or changed after the page
    was opened is not overwritten: RoundValuesConflict names them and nothing is
    saved.
    """
    require_rule(by, can_enter_round_values, round, city)
    covered = set(round.indicators.values_list("pk", flat=True))
    errors = {}
    for position, entry in enumerate(entries):
        if entry.indicator.pk not in covered:
            errors[position] = ValidationError(
                _("The indicator is not part of this round."), code="not_in_round"
            )
            continue
        try:
            observation_check(
                indicator=entry.indicator,
                period=round.period,
                value=entry.value,
                city=city,
            )
        except ValidationError as error:
            errors[position] = error
    if errors:
        raise ObservationBatchError(errors)
    with transaction.atomic():
        _refuse_closed(_round_locked(round))
        existing = {
            observation.indicator_id: observation
            for observation in Observation.objects.select_for_update().filter(
                indicator__in=[entry.indicator.pk for entry in entries],
                city=city,
                period=round.period,
            )
        }
        conflicts = {}
        for entry in entries:
            observation = existing.get(entry.indicator.pk)
            current = edit_token(observation) if observation is not None else "0"
            if current != str(entry.token):
                conflicts[entry.indicator.pk] = ConcurrentEdit(
                    *changes_since(observation, entry.token)
                    if observation is not None
                    else ([], [])
                )
        if conflicts:
            raise RoundValuesConflict(conflicts)
        return [
            observation_record(
                indicator=entry.indicator,
                period=round.period,
                city=city,
                value=entry.value,
                note=entry.note,
                by=by,
            )
            for entry in entries
        ]


def city_report_complete(
    *,
    round: ReportingRound,
    city: Organisation,
    by: User | None,
    confirm_missing: bool = False,
) -> CityReport:
    """Mark the city's report of an open round complete.

    A city may complete its report with values still missing (a statistic not yet
    published), but only when it confirms so: otherwise a ValidationError with the
    code `values_missing` says how many are missing. Completing again changes nothing.
    """
    require_rule(by, can_complete_city_report, round, city)
    with transaction.atomic():
        _refuse_closed(_round_locked(round))
        report = (
            CityReport.objects.select_for_update()
            .filter(round=round, city=city)
            .first()
        )
        if report is not None and report.is_complete:
            return report
        missing = len(city_round_missing(round=round, city=city))
        if missing and not confirm_missing:
            raise ValidationError(
                ngettext(
                    "%(count)s value is still missing. Confirm that the report is "
                    "complete without it.",
                    "%(count)s values are still missing. Confirm that the report is "
                    "complete without them.",
                    missing,
                ),
                code="values_missing",
                params={"count": missing},
            )
        if report is None:
            report = CityReport(round=round, city=city)
        report.completed_at = timezone.now()
        report.completed_by = by
        report.missing_at_completion = missing
        report._history_user = by
        report.save()
    return report
