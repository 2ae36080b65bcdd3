"""Writes of the monitoring app: recording values, the example indicators, and the
reporting rounds."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.audit import audit_record
from alliance.history import ConcurrentEdit, changes_since, edit_token, save_tracked
from alliance.models import AuditEvent
from alliance.ordering import move_in_order, next_position
from alliance.permissions import require_rule, rule_permits
from members.models import Organisation, User
from monitoring import selectors
from monitoring.importing import Lookups, ParsedRow, RowError, parse_row, read_table
from monitoring.models import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    CityReport,
    Indicator,
    Observation,
    ReportingRound,
    StatusThresholds,
)
from monitoring.periods import period_label
from monitoring.permissions import (
    can_complete_city_report,
    can_delete_observation,
    can_edit_indicators,
    can_edit_thresholds,
    can_enter_round_values,
    can_import_observations,
    can_manage_rounds,
    can_record_for,
    can_relocate_indicator,
)
from monitoring.selectors import city_round_missing_count
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


def indicator_status_refresh(*, indicators: Iterable[Indicator]) -> None:
    """Store each indicator's status, worked out from its latest national value.

    Call it whenever a national value, the thresholds or an indicator's baseline,
    target, dates, direction or frequency change: the lists filter by the stored
    status. Four queries at most besides reading the values, however many indicators;
    the given objects get the new status too.
    """
    items = selectors.indicator_progress_list(indicators=indicators)
    by_status: dict[str, list[Indicator]] = {}
    for item in items:
        by_status.setdefault(item.status, []).append(item.indicator)
    for status, group in by_status.items():
        # An update, not a save: the status is derived and has no history of its own.
        Indicator.objects.filter(pk__in=[indicator.pk for indicator in group]).update(
            latest_status=status
        )
        for indicator in group:
            indicator.latest_status = status


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
    is real data, even where an example stood. A national value refreshes the
    indicator's stored status.
    """
    with transaction.atomic():
        observation = _observation_write(
            indicator=indicator,
            period=period,
            value=value,
            city=city,
            note=note,
            by=by,
            example=example,
        )
        if city is None:
            indicator_status_refresh(indicators=[indicator])
    return observation


def _observation_write(
    *, indicator, period, value, city, note, by, example
) -> Observation:
    """Record the value as observation_record does, leaving the status to the caller."""
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
        save_tracked(indicator, by=by, token=token)
        # The baseline, the target, their dates, the direction and the frequency
        # all decide the status.
        indicator_status_refresh(indicators=[indicator])
    return indicator


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
        save_tracked(thresholds, by=by, token=token)
        indicator_status_refresh(indicators=Indicator.objects.all())
    return thresholds


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
        missing, _total = city_round_missing_count(round=round, city=city)
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


# Adding a single value (refused where one exists), deleting a value, and moving an
# indicator to another theme or measure.


class ObservationExists(ValidationError):
    """The period and city already have a value: it is changed, not added again."""

    def __init__(self, observation: Observation):
        super().__init__(
            _(
                "This period already has a value (%(value)s). Change the existing "
                "value instead."
            ),
            code="duplicate_value",
            params={"value": number_format(observation.value.normalize())},
        )
        self.observation = observation


def observation_add(
    *,
    indicator: Indicator,
    period: datetime.date,
    value: Decimal,
    city: Organisation | None = None,
    note: str = "",
    by: User | None,
) -> Observation:
    """Add a value for a period and city that has none yet.

    Refused with ObservationExists when one is recorded, so that no one replaces a
    value without seeing it: the existing one is changed with observation_update.
    """
    observation_check(indicator=indicator, period=period, value=value, city=city)
    require_rule(by, can_record_for, indicator, city)
    key = {"indicator": indicator, "period": period, "city": city}
    with transaction.atomic():
        existing = Observation.objects.select_for_update().filter(**key).first()
        if existing is not None:
            raise ObservationExists(existing)
        observation = Observation(**key, value=value, note=note, entered_by=by)
        observation._history_user = by
        try:
            with transaction.atomic():
                observation.save()
        except IntegrityError:
            raise ObservationExists(Observation.objects.get(**key)) from None
        if city is None:
            indicator_status_refresh(indicators=[indicator])
    return observation


def observation_delete(
    *, observation: Observation, by: User | None, token: str | None
) -> None:
    """Delete a value as `by`; the history keeps it, and who deleted it.

    Refused with ConcurrentEdit when someone changed it after `token` was read.
    """
    require_rule(by, can_delete_observation, observation)
    with transaction.atomic():
        locked = Observation.objects.select_for_update().filter(pk=observation.pk)
        current = locked.first()
        if current is None:
            return
        if token is not None and edit_token(current) != str(token):
            raise ConcurrentEdit(*changes_since(current, token))
        current._history_user = by
        current.delete()
        if current.city_id is None:
            indicator_status_refresh(indicators=[current.indicator])


def indicator_relocate(
    *, indicator: Indicator, by: User | None, token: str | None
) -> Indicator:
    """Save an indicator moved to another theme or measure; it goes last there.

    The form has set exactly one of `theme` and `measure`. Refused with
    ConcurrentEdit when someone saved the indicator after `token` was read.
    """
    require_rule(by, can_relocate_indicator)
    with transaction.atomic():
        before = Indicator.objects.filter(pk=indicator.pk).values(
            "theme_id", "measure_id"
        )
        moved = list(before) != [
            {"theme_id": indicator.theme_id, "measure_id": indicator.measure_id}
        ]
        if moved:
            indicator.order = next_position(
                _indicator_siblings(indicator).exclude(pk=indicator.pk)
            )
        return save_tracked(indicator, by=by, token=token)


# Importing values from a spreadsheet (monitoring.importing reads it).

# How long a preview may be confirmed.
IMPORT_PLAN_MAX_AGE = datetime.timedelta(hours=2)
_IMPORT_PLAN_SALT = "monitoring.import-plan"


@dataclass(frozen=True)
class ImportChange:
    """A row of the file that adds a value, or changes one (`existing`)."""

    number: int
    indicator: Indicator
    period: datetime.date
    city: Organisation | None
    value: Decimal
    # None keeps the note of a changed value: the row left the note empty.
    note: str | None
    existing: Observation | None = None
    token: str | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.indicator.frequency)


@dataclass
class ImportPreview:
    """What importing a file would do; `plan` carries it to the confirmation."""

    added: list[ImportChange]
    changed: list[ImportChange]
    unchanged: int
    skipped: int
    errors: list[RowError]
    plan: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportPlanInvalid(Exception):
    """The confirmation carries no preview of this person's, or an expired one."""


class ImportStale(ValidationError):
    """Values previewed were changed (or added) since: nothing was imported."""

    def __init__(self, numbers: list[int]):
        super().__init__(
            _(
                "Nothing was imported: values of rows %(rows)s were changed by someone "
                "after the preview. Upload the file again to see them."
            ),
            code="changed_since_preview",
            params={"rows": ", ".join(str(number) for number in numbers)},
        )
        self.numbers = numbers


def _import_lookups() -> Lookups:
    indicators = list(Indicator.objects.all())
    by_name: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_name.setdefault(indicator.name.strip(), []).append(indicator)
    cities = {}
    for city in Organisation.objects.filter(kind=Organisation.Kind.CITY):
        # Finnish and Swedish names alike: a Swedish template names Helsingfors.
        for name in (city.slug, city.name_sv, city.name_fi):
            cities[name.strip().lower()] = city
    return Lookups(
        indicators_by_id={indicator.pk: indicator for indicator in indicators},
        indicators_by_name=by_name,
        cities_by_name=cities,
    )


def _scope_error(by: User | None, indicator: Indicator, city) -> ValidationError:
    if city is None:
        return ValidationError(
            _("Only the secretariat records national values."),
            code="national_not_permitted",
        )
    return ValidationError(
        _("You may import only your own city's values, not %(city)s's."),
        code="city_not_permitted",
        params={"city": city.name},
    )


def observations_import_preview(*, upload, by: User | None) -> ImportPreview:
    """Read a file of values and return what importing it would add and change.

    Raises ImportFileError when the file cannot be read. Each bad row (unreadable,
    a value that cannot be recorded, another city's, a repeat of an earlier row) is
    in `errors` with its reasons; then nothing may be imported.
    """
    require_rule(by, can_import_observations)
    table = read_table(upload)
    lookups = _import_lookups()
    permitted: dict[tuple[int, int | None], bool] = {}
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    skipped = table.skipped
    for row in table.rows:
        if row.is_empty:
            skipped += 1
            continue
        try:
            item = parse_row(row, lookups=lookups)
            observation_check(
                indicator=item.indicator,
                period=item.period,
                value=item.value,
                city=item.city,
            )
        except ValidationError as error:
            errors.append(RowError(row.number, error.messages, row))
            continue
        scope = (item.indicator.pk, item.city.pk if item.city else None)
        if scope not in permitted:
            permitted[scope] = rule_permits(
                by, can_record_for, item.indicator, item.city
            )
        if not permitted[scope]:
            error = _scope_error(by, item.indicator, item.city)
            errors.append(RowError(row.number, error.messages, row))
            continue
        key = (*scope, item.period)
        if key in seen:
            message = _(
                "Row %(row)s already gives the value of the same indicator, period "
                "and city."
            ) % {"row": seen[key]}
            errors.append(RowError(row.number, [message], row))
            continue
        seen[key] = row.number
        parsed.append(item)
    existing = _existing_observations(parsed)
    tokens = selectors.observation_edit_tokens(
        ids=[observation.pk for observation in existing.values()]
    )
    added, changed, unchanged = [], [], 0
    for item in parsed:
        key = (item.indicator.pk, item.city.pk if item.city else None, item.period)
        current = existing.get(key)
        note = item.note or None
        if current is None:
            added.append(_change(item, note=item.note))
        elif current.value == item.value and (note is None or note == current.note):
            unchanged += 1
        else:
            current.indicator = item.indicator
            changed.append(
                _change(item, note=note, existing=current, token=tokens[current.pk])
            )
    preview = ImportPreview(
        added=added,
        changed=changed,
        unchanged=unchanged,
        skipped=skipped,
        errors=errors,
    )
    if preview.ok:
        preview.plan = _import_plan_sign(by, added + changed)
    return preview


def _change(item: ParsedRow, *, note, existing=None, token=None) -> ImportChange:
    return ImportChange(
        number=item.number,
        indicator=item.indicator,
        period=item.period,
        city=item.city,
        value=item.value,
        note=note,
        existing=existing,
        token=token,
    )


def _existing_observations(items) -> dict[tuple, Observation]:
    """Return the values already recorded for the rows' keys, in one query."""
    if not items:
        return {}
    keys = {
        (item.indicator.pk, item.city.pk if item.city else None, item.period)
        for item in items
    }
    candidates = Observation.objects.filter(
        indicator_id__in={key[0] for key in keys},
        period__in={key[2] for key in keys},
    ).select_related("entered_by", "city")
    found = {}
    for observation in candidates:
        key = (observation.indicator_id, observation.city_id, observation.period)
        if key in keys:
            found[key] = observation
    return found


def _import_plan_sign(by: User | None, changes: list[ImportChange]) -> str:
    rows = [
        [
            change.number,
            change.indicator.pk,
            change.period.isoformat(),
            change.city.pk if change.city else None,
            str(change.value),
            change.note,
            change.existing.pk if change.existing else None,
            change.token,
        ]
        for change in changes
    ]
    return signing.dumps(
        {"by": by.pk if by else None, "rows": rows},
        salt=_IMPORT_PLAN_SALT,
        compress=True,
    )


def observations_import(*, plan: str, by: User | None, request=None) -> int:
    """Import the values of a confirmed preview, all of them or none.

    Raises ImportPlanInvalid for a plan not signed for `by` or expired, and
    ImportStale (importing nothing) when a previewed value was changed, deleted or
    added since the preview. Each value is recorded as `by`, its history kept, and
    the import as one audit event (with the address of `request`, when given).
    Return the number of values added or changed.
    """
    require_rule(by, can_import_observations)
    try:
        payload = signing.loads(
            plan, salt=_IMPORT_PLAN_SALT, max_age=IMPORT_PLAN_MAX_AGE
        )
        if payload["by"] != (by.pk if by else None):
            raise ImportPlanInvalid
        rows = [
            (
                int(number),
                int(indicator_id),
                datetime.date.fromisoformat(period),
                None if city_id is None else int(city_id),
                Decimal(value),
                note,
                None if observation_id is None else int(observation_id),
                token,
            )
            for (
                number,
                indicator_id,
                period,
                city_id,
                value,
                note,
                observation_id,
                token,
            ) in payload["rows"]
        ]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ImportPlanInvalid from error
    indicators = Indicator.objects.in_bulk({row[1] for row in rows})
    cities = Organisation.objects.in_bulk({row[3] for row in rows if row[3]})
    with transaction.atomic():
        previewed = {row[6]: row for row in rows if row[6] is not None}
        current = Observation.objects.select_for_update().in_bulk(list(previewed))
        tokens = selectors.observation_edit_tokens(ids=list(current))
        stale = [
            row[0]
            for pk, row in previewed.items()
            if pk not in current or tokens[pk] != row[7]
        ]
        new_keys = {(row[1], row[3], row[2]): row[0] for row in rows if row[6] is None}
        if new_keys:
            appeared = Observation.objects.filter(
                indicator_id__in={key[0] for key in new_keys},
                period__in={key[2] for key in new_keys},
            ).values_list("indicator_id", "city_id", "period")
            stale += [new_keys[key] for key in appeared if key in new_keys]
        if stale:
            raise ImportStale(sorted(stale))
        for number, indicator_id, period, city_id, value, note, pk, _token in rows:
            indicator = indicators.get(indicator_id)
            if indicator is None or (city_id is not None and city_id not in cities):
                raise ImportStale([number])
            _observation_write(
                indicator=indicator,
                period=period,
                city=cities.get(city_id) if city_id else None,
                value=value,
                note=current[pk].note if note is None else note,
                by=by,
                example=False,
            )
        # Once for the whole file, not once a row.
        indicator_status_refresh(
            indicators={
                row[1]: indicators[row[1]] for row in rows if row[3] is None
            }.values()
        )
        audit_record(
            kind=AuditEvent.Kind.BULK_WRITE,
            user=by,
            what=f"observations imported: {len(rows)}",
            request=request,
        )
    return len(rows)
