"""Writes of the monitoring app: recording values, and the example indicators."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import IntegrityError, transaction

from alliance.history import ConcurrentEdit, changes_since, edit_token, save_tracked
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule
from members.models import Organisation, User
from monitoring.models import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    Indicator,
    Observation,
    StatusThresholds,
)
from monitoring.permissions import (
    can_edit_indicators,
    can_edit_thresholds,
    can_record_for,
)
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
