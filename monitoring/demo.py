"""The example indicators and values, and the example reporting round, that
`bootstrap_alliance --demo` loads."""

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction

from alliance.upsert import ensure_row
from monitoring.models import (
    CityReport,
    Indicator,
    Observation,
    ReportingRound,
)
from monitoring.periods import Frequency, period_end
from monitoring.services import (
    city_report_complete,
    indicator_save,
    observation_record,
    round_open,
)
from themes.demo import DemoDataError, demo_organisations_get
from themes.models import Measure, Theme

# The example indicators, attached to the example themes of themes.demo (by
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

    Run themes.demo.theme_demo_load first: the indicators attach to its themes
    and measures. Values are loaded for the periods of 2024 and 2025 that have ended
    by `today`, nationally and, for indicators reported per city, for each of the six
    cities. A value someone recorded is left alone. Every write goes through the
    services as the system (`by` None). Idempotent: a second call with the same
    `today` writes nothing and no history. Return how many rows were
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
        # Each indicator's place among its theme's or measure's, counted from 0 as
        # the service numbers a new one in an empty list.
        orders = Counter()
        for spec in EXAMPLE_INDICATORS:
            theme = themes.get(spec["theme"])
            measure = None
            if theme is not None and "measure" in spec:
                measure = measures.get((theme.pk, spec["measure"]))
            if theme is None or ("measure" in spec and measure is None):
                raise DemoDataError(
                    "Load the example themes before the example indicators; "
                    "missing: " + spec.get("measure", spec["theme"])
                )
            subject = (spec["theme"], spec.get("measure"))
            order = orders[subject]
            orders[subject] += 1
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
                save=lambda row: indicator_save(indicator=row, by=None, token=None),
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
            if observation is not None and (
                not observation.is_example or observation.value == value
            ):
                counts["unchanged"] += 1
                continue
            observation_record(
                indicator=indicator,
                period=period,
                city=city,
                value=value,
                by=None,
                example=True,
            )
            counts["written"] += 1
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


# The example round: the current quarter, due in two weeks. Helsinki has entered
# every value and completed its report, Espoo has entered every value, Tampere about
# half of them (the rest are missing), and the other cities nothing yet.
EXAMPLE_ROUND_DUE_IN = datetime.timedelta(days=14)
EXAMPLE_ROUND_COMPLETE = ["helsinki"]
EXAMPLE_ROUND_ALL_ENTERED = ["helsinki", "espoo"]
EXAMPLE_ROUND_HALF_ENTERED = ["tampere"]


def round_demo_load(*, today: datetime.date) -> dict[str, int]:
    """Open the example round for the quarter of `today`, and enter some values.

    Run indicator_demo_load first: the round covers the example indicators reported
    per city each quarter. A round someone opened for the quarter is used as it is,
    and a value someone recorded is left alone. Every write goes through the services
    as the system. Idempotent: a second call writes nothing.
    """
    counts = Counter(written=0, unchanged=0)
    period = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    with transaction.atomic():
        indicators = list(
            Indicator.objects.filter(
                is_example=True,
                reported_per_city=True,
                frequency=Frequency.QUARTERLY,
            ).order_by("order", "name", "pk")
        )
        if not indicators:
            raise DemoDataError(
                "Load the example indicators before the example reporting round."
            )
        round = ReportingRound.objects.filter(
            period=period, frequency=Frequency.QUARTERLY
        ).first()
        if round is None:
            round = round_open(
                period=period,
                frequency=Frequency.QUARTERLY,
                due_date=today + EXAMPLE_ROUND_DUE_IN,
                indicators=indicators,
                by=None,
                example=True,
            )
            counts["written"] += 1
        else:
            counts["unchanged"] += 1
        if not round.is_open:
            return dict(counts)
        specs = {spec["name"]: spec for spec in EXAMPLE_INDICATORS}
        organisations = demo_organisations_get(
            slugs=set(EXAMPLE_ROUND_ALL_ENTERED + EXAMPLE_ROUND_HALF_ENTERED)
        )
        covered = [i for i in round.indicators.all() if i.name in specs]
        recorded = set(
            Observation.objects.filter(
                indicator__in=covered, period=period, city__isnull=False
            ).values_list("indicator_id", "city_id")
        )
        for slug, city in organisations.items():
            entered = (
                covered
                if slug in EXAMPLE_ROUND_ALL_ENTERED
                else covered[: len(covered) // 2]
            )
            index = EXAMPLE_CITIES.index(slug)
            for indicator in entered:
                if (indicator.pk, city.pk) in recorded:
                    counts["unchanged"] += 1
                    continue
                spec = specs[indicator.name]
                observation_record(
                    indicator=indicator,
                    period=period,
                    city=city,
                    value=_example_value(
                        indicator=indicator,
                        spec=spec,
                        period=period,
                        wobble=EXAMPLE_WOBBLE[0],
                        offset=Decimal(spec["per_city"][index]),
                        pace=EXAMPLE_CITY_PACES[index],
                    ),
                    by=None,
                    example=True,
                )
                counts["written"] += 1
        for slug in EXAMPLE_ROUND_COMPLETE:
            city = organisations[slug]
            if CityReport.objects.filter(
                round=round, city=city, completed_at__isnull=False
            ).exists():
                counts["unchanged"] += 1
                continue
            city_report_complete(round=round, city=city, by=None, confirm_missing=True)
            counts["written"] += 1
    return dict(counts)
