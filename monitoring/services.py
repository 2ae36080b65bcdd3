"""Writes of the monitoring app: recording values, and the example indicators."""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from alliance.history import ConcurrentEdit, changes_since, edit_token, save_tracked
from alliance.services import move_in_order
from alliance.upsert import ensure_row
from members.models import Organisation, User
from monitoring.models import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    Indicator,
    Observation,
    StatusThresholds,
)
from monitoring.periods import Frequency, period_end
from monitoring.validators import validate_observation_city, validate_period_fits
from themes.models import Measure, Theme
from themes.services import DemoDataError, demo_organisations_get


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
) -> Observation:
    """Record an indicator's value for a period, nationally or for a city.

    A value already recorded for the same period and city is replaced (and the
    replaced value stays in the history); recording the same value and note again
    writes nothing. `by` is None only for values that no person entered (imports).
    """
    observation_check(indicator=indicator, period=period, value=value, city=city)
    key = {"indicator": indicator, "period": period, "city": city}
    with transaction.atomic():
        observation = Observation.objects.select_for_update().filter(**key).first()
        if observation is None:
            observation = Observation(**key, value=value, note=note, entered_by=by)
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
        # A value someone recorded is real data, even where an example stood.
        observation.is_example = False
        observation._history_user = by
        observation.save(
            update_fields=["value", "note", "entered_by", "is_example", "updated_at"]
        )
    return observation


# The example indicators, attached to the example themes of themes.services (by
# title) or to their measures. The values are invented: a steady path from the
# baseline towards the target at the indicator's pace, with a fixed wobble, and for
# each city an offset and a pace of its own. Paces below 1 make some indicators and
# some cities fall behind, so that every status appears.
EXAMPLE_NOTE = (
    "Esimerkkimittari: arvot ovat kuvitteellisia eivätkä perustu tilastoihin."
)
EXAMPLE_CITIES = ["helsinki", "espoo", "tampere", "vantaa", "oulu", "turku"]
EXAMPLE_CITY_PACES = [
    Decimal("1.2"),
    Decimal("1.0"),
    Decimal("0.8"),
    Decimal("0.9"),
    Decimal("0.5"),
    Decimal("0.7"),
]
EXAMPLE_WOBBLE = [
    Decimal(w) for w in ("0", "0.3", "-0.2", "0.1", "-0.1", "0.2", "-0.3", "0")
]
EXAMPLE_BASELINE_DATE = datetime.date(2023, 12, 31)
EXAMPLE_TARGET_DATE = datetime.date(2027, 12, 31)
EXAMPLE_FIRST_PERIOD = datetime.date(2024, 1, 1)
EXAMPLE_LAST_PERIOD = datetime.date(2025, 10, 1)

_PERCENT = Indicator.ValueType.PERCENTAGE
_NUMBER = Indicator.ValueType.NUMBER
_HIGHER = Indicator.Direction.HIGHER_IS_BETTER
_LOWER = Indicator.Direction.LOWER_IS_BETTER

EXAMPLE_INDICATORS = [
    {
        "theme": "Työllisyys",
        "name": "Työllisyysaste, 20–64-vuotiaat",
        "definition": "Työllisten osuus 20–64-vuotiaasta väestöstä.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _HIGHER,
        "baseline": "74.0",
        "target": "78.0",
        "data_source": "Tilastokeskus, työvoimatutkimus (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "tem",
        "per_city": ["1.5", "2.5", "-1.0", "-0.5", "-2.0", "-1.5"],
        "pace": "0.9",
        "wobble": "0.4",
        "places": 1,
    },
    {
        "theme": "Työllisyys",
        "name": "Työttömyysaste",
        "definition": "Työttömien osuus työvoimasta.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _LOWER,
        "baseline": "9.5",
        "target": "7.5",
        "data_source": "Tilastokeskus, työvoimatutkimus (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "tem",
        "per_city": ["0.5", "-1.0", "1.5", "1.0", "1.0", "1.5"],
        "pace": "0.5",
        "wobble": "0.3",
        "places": 1,
    },
    {
        "theme": "Työllisyys",
        "measure": "Nuorten työllistymisen yhteinen toimintamalli",
        "name": "Alle 25-vuotiaat työttömät työnhakijat",
        "definition": "Alle 25-vuotiaiden työttömien työnhakijoiden määrä "
        "neljänneksen lopussa.",
        "unit": "henkilöä",
        "value_type": _NUMBER,
        "direction": _LOWER,
        "baseline": "32000",
        "target": "26000",
        "data_source": "Työnvälitystilasto (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "tem",
        "pace": "0.3",
        "wobble": "600",
        "places": 0,
    },
    {
        "theme": "Korkeakoulutus",
        "name": "Korkeakoulututkinnon suorittaneiden osuus 25–34-vuotiaista",
        "definition": "Korkeakoulututkinnon suorittaneiden osuus 25–34-vuotiaasta "
        "väestöstä vuoden lopussa.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _HIGHER,
        "baseline": "41.0",
        "target": "45.0",
        "data_source": "Tilastokeskus, väestön koulutusrakenne (esimerkki)",
        "frequency": Frequency.YEARLY,
        "responsible": "okm",
        "per_city": ["8.0", "10.0", "3.0", "-4.0", "1.0", "2.0"],
        "pace": "1.0",
        "wobble": "0.2",
        "places": 1,
    },
    {
        "theme": "Korkeakoulutus",
        "measure": "Jatkuvan oppimisen yhteistarjonta kaupunkiseuduilla",
        "name": "Jatkuvan oppimisen koulutuksiin osallistuneet",
        "definition": "Yhteistarjonnan koulutuksiin neljänneksen aikana "
        "osallistuneet henkilöt.",
        "unit": "henkilöä",
        "value_type": _NUMBER,
        "direction": _HIGHER,
        "baseline": "12000",
        "target": "18000",
        "data_source": "Korkeakoulujen ilmoitukset (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "okm",
        "pace": "1.1",
        "wobble": "400",
        "places": 0,
    },
    {
        "theme": "Innovaatiopolitiikka",
        "name": "Tutkimus- ja kehittämismenojen osuus alueen bruttokansantuotteesta",
        "definition": "Alueen tutkimus- ja kehittämismenot suhteessa alueen "
        "bruttokansantuotteeseen.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _HIGHER,
        "baseline": "3.0",
        "target": "4.0",
        "data_source": "Tilastokeskus, tutkimus- ja kehittämistoiminta (esimerkki)",
        "frequency": Frequency.YEARLY,
        "responsible": "tem",
        "per_city": ["0.4", "2.0", "1.5", "-1.0", "1.8", "-0.3"],
        "pace": "0.6",
        "wobble": "0.05",
        "places": 2,
    },
    {
        "theme": "Innovaatiopolitiikka",
        "measure": "Innovatiiviset julkiset hankinnat",
        "name": "Innovatiivisten hankintojen osuus kaupunkien hankinnoista",
        "definition": "Innovatiivisiksi luokiteltujen hankintojen arvo suhteessa "
        "kaupunkien kaikkien hankintojen arvoon.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _HIGHER,
        "baseline": "5.0",
        "target": "10.0",
        "data_source": "Kaupunkien hankintatiedot (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "tem",
        "pace": "0.2",
        "wobble": "0.3",
        "places": 1,
    },
    {
        "theme": "Kansainvälistyminen",
        "name": "Vieraskielisten työllisyysaste, 20–64-vuotiaat",
        "definition": "Työllisten osuus 20–64-vuotiaista, joiden äidinkieli on muu "
        "kuin suomi, ruotsi tai saame.",
        "unit": "%",
        "value_type": _PERCENT,
        "direction": _HIGHER,
        "baseline": "62.0",
        "target": "68.0",
        "data_source": "Tilastokeskus, työssäkäyntitilasto (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "tem",
        "per_city": ["1.0", "2.0", "-1.0", "0.5", "-3.0", "-2.0"],
        "pace": "0.7",
        "wobble": "0.5",
        "places": 1,
    },
    {
        "theme": "Kansainvälistyminen",
        "measure": "Kansainvälisten osaajien vastaanoton palvelumalli",
        "name": "Työperusteisen oleskeluluvan keskimääräinen käsittelyaika",
        "definition": "Neljänneksen aikana ratkaistujen ensimmäisten työperusteisten "
        "oleskelulupien keskimääräinen käsittelyaika.",
        "unit": "vrk",
        "value_type": _NUMBER,
        "direction": _LOWER,
        "baseline": "60",
        "target": "30",
        "data_source": "Maahanmuuttoviraston tilastot (esimerkki)",
        "frequency": Frequency.QUARTERLY,
        "responsible": "sm",
        "pace": "0.8",
        "wobble": "3",
        "places": 0,
    },
]


def indicator_demo_load(*, today: datetime.date) -> dict[str, int]:
    """Load the example indicators and their values, marked as examples.

    Run themes.services.theme_demo_load first: the indicators attach to its themes
    and measures. Values are loaded for the periods of 2024 and 2025 that have ended
    by `today`, nationally and, for indicators reported per city, for each of the six
    cities. A value someone recorded is left alone. Idempotent: a second call with
    the same `today` writes nothing and no history. Return how many rows were
    written and how many were already as they should be.
    """
    counts = Counter(written=0, unchanged=0)
    with transaction.atomic():
        organisations = demo_organisations_get(
            slugs={spec["responsible"] for spec in EXAMPLE_INDICATORS}
            | set(EXAMPLE_CITIES)
        )
        cities = [organisations[slug] for slug in EXAMPLE_CITIES]
        themes = {
            theme.title: theme
            for theme in Theme.objects.filter(
                is_example=True,
                title__in={spec["theme"] for spec in EXAMPLE_INDICATORS},
            )
        }
        measures = {
            (measure.theme_id, measure.title): measure
            for measure in Measure.objects.filter(
                is_example=True, theme__in=list(themes.values())
            )
        }
        for order, spec in enumerate(EXAMPLE_INDICATORS, start=1):
            theme = themes.get(spec["theme"])
            measure = None
            if theme is not None and "measure" in spec:
                measure = measures.get((theme.pk, spec["measure"]))
            if theme is None or ("measure" in spec and measure is None):
                raise DemoDataError(
                    "Load the example themes before the example indicators; "
                    "missing: " + spec.get("measure", spec["theme"])
                )
            indicator, written = ensure_row(
                Indicator,
                lookup={
                    "is_example": True,
                    "theme": None if measure else theme,
                    "measure": measure,
                    "name": spec["name"],
                },
                values={
                    "definition": spec["definition"] + " " + EXAMPLE_NOTE,
                    "unit": spec["unit"],
                    "value_type": spec["value_type"],
                    "direction": spec["direction"],
                    "baseline_value": Decimal(spec["baseline"]),
                    "baseline_date": EXAMPLE_BASELINE_DATE,
                    "target_value": Decimal(spec["target"]),
                    "target_date": EXAMPLE_TARGET_DATE,
                    "data_source": spec["data_source"],
                    "frequency": spec["frequency"],
                    "responsible_organisation": organisations[spec["responsible"]],
                    "reported_per_city": "per_city" in spec,
                    "order": order,
                },
            )
            counts["written" if written else "unchanged"] += 1
            counts.update(
                _observations_ensure(
                    indicator=indicator, spec=spec, cities=cities, today=today
                )
            )
    return dict(counts)


def _observations_ensure(*, indicator, spec, cities, today) -> Counter:
    counts = Counter()
    existing = {
        (observation.period, observation.city_id): observation
        for observation in indicator.observations.all()
    }
    units = [(None, Decimal(0), Decimal(1))]
    if "per_city" in spec:
        units += [
            (city, Decimal(offset), pace)
            for city, offset, pace in zip(
                cities, spec["per_city"], EXAMPLE_CITY_PACES, strict=True
            )
        ]
    new = []
    for index, period in enumerate(_example_periods(indicator.frequency, today=today)):
        for city, offset, city_pace in units:
            value = _example_value(
                indicator=indicator,
                spec=spec,
                period=period,
                wobble=EXAMPLE_WOBBLE[index % len(EXAMPLE_WOBBLE)],
                offset=offset,
                pace=city_pace,
            )
            observation = existing.get((period, city and city.pk))
            if observation is None:
                new.append(
                    Observation(
                        indicator=indicator,
                        period=period,
                        city=city,
                        value=value,
                        is_example=True,
                    )
                )
            elif not observation.is_example or observation.value == value:
                counts["unchanged"] += 1
            else:
                observation.value = value
                observation.save(update_fields=["value", "updated_at"])
                counts["written"] += 1
    if new:
        # Hundreds of rows: one insert for them and one for their history.
        bulk_create_with_history(new, Observation)
        counts["written"] += len(new)
    return counts


def _example_periods(frequency, *, today):
    period = EXAMPLE_FIRST_PERIOD
    while period <= EXAMPLE_LAST_PERIOD and period_end(period, frequency) < today:
        yield period
        period = period_end(period, frequency) + datetime.timedelta(days=1)


def _example_value(*, indicator, spec, period, wobble, offset, pace) -> Decimal:
    elapsed = Decimal(
        (period_end(period, indicator.frequency) - indicator.baseline_date).days
    ) / Decimal((indicator.target_date - indicator.baseline_date).days)
    way = indicator.target_value - indicator.baseline_value
    value = (
        indicator.baseline_value
        + offset
        + way * elapsed * Decimal(spec["pace"]) * pace
        + wobble * Decimal(spec["wobble"])
    )
    return value.quantize(Decimal(1).scaleb(-spec["places"]))


# Editing in the browser: indicators, single values, a period's values at once and
# the status thresholds.


def indicator_save(*, indicator: Indicator, by: User, token: str | None) -> Indicator:
    """Save an indicator as `by`; a new one goes last among its subject's indicators.

    Refused with ConcurrentEdit when someone saved it after `token` was read.
    """
    with transaction.atomic():
        if indicator.pk is None:
            last = _indicator_siblings(indicator).aggregate(last=Max("order"))["last"]
            indicator.order = 0 if last is None else last + 1
        return save_tracked(indicator, by=by, token=token)


def indicator_move(*, indicator: Indicator, direction: str, by: User) -> None:
    """Move an indicator up or down among its theme's or its measure's indicators."""
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
    with transaction.atomic():
        if thresholds.pk is None:
            existing = StatusThresholds.objects.select_for_update().first()
            if existing is not None:
                raise ConcurrentEdit(*changes_since(existing, "0"))
        return save_tracked(thresholds, by=by, token=token)
