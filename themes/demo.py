"""The example themes, measures and milestones of `bootstrap_alliance --demo`."""

import datetime
from collections import Counter

from django.db import transaction

from alliance.upsert import ensure_row
from members.models import Organisation
from themes.models import Measure, Milestone, Theme
from themes.services import measure_save, milestone_save, theme_save


class DemoDataError(Exception):
    """Example data cannot be loaded because something it builds on is missing."""


def demo_organisations_get(*, slugs: set[str]) -> dict[str, Organisation]:
    """Return the organisations by slug; raise DemoDataError if any is missing."""
    found = Organisation.objects.in_bulk(sorted(slugs), field_name="slug")
    missing = sorted(slugs - found.keys())
    if missing:
        raise DemoDataError(
            "Load the organisations before the example data; missing: "
            + ", ".join(missing)
        )
    return found


# The example content. The four themes are those the appointment decision
# TEM077:00/2023 names; everything else here is invented for demonstration and says so.
EXAMPLE_NOTE = "Esimerkkisisältö, ei yhteistyöryhmän päätös."

EXAMPLE_THEMES = [
    {
        "title": "Työllisyys",
        "lead": "tem",
        "description": (
            "Valtio ja suuret kaupungit tiivistävät yhteistyötään työllisyyden "
            "edistämiseksi kaupunkiseuduilla: osaajien ja työpaikkojen kohtaanto, "
            "nuorten työllistyminen ja maahan muuttaneiden työllistyminen."
        ),
        "goals": (
            "Työllisyysaste nousee ja työttömyys vähenee kaupunkiseuduilla. "
            "Kaupunkien ja valtion palvelut muodostavat työnhakijalle yhtenäisen "
            "kokonaisuuden."
        ),
        "measures": [
            {
                "title": "Osaajapulan alueellinen tilannekuva",
                "lead": "tem",
                "participants": [
                    "helsinki",
                    "espoo",
                    "tampere",
                    "vantaa",
                    "oulu",
                    "turku",
                ],
                "start": datetime.date(2023, 10, 1),
                "end": datetime.date(2024, 12, 31),
                "description": (
                    "Kootaan kaupunkien ja valtion tiedoista yhteinen, säännöllisesti "
                    "päivitettävä kuva aloista, joilla osaajista on pulaa."
                ),
            },
            {
                "title": "Nuorten työllistymisen yhteinen toimintamalli",
                "lead": "helsinki",
                "participants": ["espoo", "vantaa", "tem"],
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2025, 12, 31),
                "description": (
                    "Kaupungit ja valtio sopivat yhteisestä tavasta tavoittaa "
                    "työttömät nuoret ja ohjata heidät koulutukseen tai työhön."
                ),
            },
            {
                "title": "Maahan muuttaneiden työllistymisen polut",
                "lead": "vantaa",
                "participants": ["tem", "sm", "helsinki", "espoo"],
                "start": datetime.date(2024, 3, 1),
                "end": datetime.date(2026, 6, 30),
                "description": (
                    "Kielikoulutus, osaamisen tunnistaminen ja työnvälitys "
                    "yhdistetään yhdeksi poluksi maahan muuttaneille työnhakijoille."
                ),
            },
        ],
    },
    {
        "title": "Korkeakoulutus",
        "lead": "okm",
        "description": (
            "Kaupungit, korkeakoulut ja opetus- ja kulttuuriministeriö sovittavat "
            "yhteen koulutustarjontaa ja kaupunkiseutujen osaamistarpeita."
        ),
        "goals": (
            "Korkeakoulutettujen osuus nuorista aikuisista kasvaa. Jatkuvan oppimisen "
            "tarjonta vastaa kaupunkiseutujen tarpeisiin."
        ),
        "measures": [
            {
                "title": "Koulutustarpeiden yhteinen ennakointi",
                "lead": "okm",
                "participants": [
                    "helsinki",
                    "espoo",
                    "tampere",
                    "vantaa",
                    "oulu",
                    "turku",
                ],
                "start": datetime.date(2023, 11, 1),
                "end": datetime.date(2024, 12, 31),
                "description": (
                    "Kaupungit ja korkeakoulut ennakoivat yhdessä, millaista "
                    "osaamista kaupunkiseuduilla tarvitaan tulevina vuosina."
                ),
            },
            {
                "title": "Jatkuvan oppimisen yhteistarjonta kaupunkiseuduilla",
                "lead": "tampere",
                "participants": ["okm", "oulu", "turku"],
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2025, 12, 31),
                "description": (
                    "Korkeakoulujen ja kaupunkien jatkuvan oppimisen koulutukset "
                    "kootaan yhteiseksi, työikäisille suunnatuksi tarjonnaksi."
                ),
            },
        ],
    },
    {
        "title": "Innovaatiopolitiikka",
        "lead": "tampere",
        "description": (
            "Kaupunkien innovaatioalustat, tutkimus- ja kehittämisrahoitus ja "
            "julkiset hankinnat kytketään toisiinsa niin, että kaupunkiseudut "
            "vauhdittavat tutkimus-, kehittämis- ja innovaatiotoimintaa."
        ),
        "goals": (
            "Tutkimus- ja kehittämistoiminnan osuus kaupunkiseutujen taloudesta "
            "kasvaa. Innovatiivisten hankintojen osuus kaupunkien hankinnoista kasvaa."
        ),
        "measures": [
            {
                "title": "Kaupunkien innovaatioalustojen yhteinen kehittäminen",
                "lead": "tampere",
                "participants": ["tem", "oulu", "espoo"],
                "start": datetime.date(2023, 10, 1),
                "end": datetime.date(2025, 12, 31),
                "description": (
                    "Kaupunkien testi- ja kehitysympäristöjä kehitetään yhdessä ja "
                    "avataan yritysten ja korkeakoulujen käyttöön."
                ),
            },
            {
                "title": "TKI-rahoituksen hyödyntäminen kaupunkiseuduilla",
                "lead": "tem",
                "participants": [
                    "helsinki",
                    "espoo",
                    "tampere",
                    "vantaa",
                    "oulu",
                    "turku",
                ],
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2026, 12, 31),
                "description": (
                    "Kaupunkiseudut tunnistavat yhdessä valtion kanssa hankkeita, "
                    "joihin tutkimus-, kehittämis- ja innovaatiorahoitusta voidaan "
                    "hakea."
                ),
            },
            {
                "title": "Innovatiiviset julkiset hankinnat",
                "lead": "espoo",
                "participants": ["tem", "vm", "helsinki", "turku"],
                "start": datetime.date(2024, 4, 1),
                "end": datetime.date(2026, 3, 31),
                "description": (
                    "Kaupungit jakavat hankintaosaamistaan ja sopivat yhteisistä "
                    "tavoista hankkia uusia ratkaisuja."
                ),
            },
        ],
    },
    {
        "title": "Kansainvälistyminen",
        "lead": "helsinki",
        "description": (
            "Kehitetään kansainvälisten osaajien ja opiskelijoiden houkuttelua, "
            "vastaanottoa ja kotoutumista kaupunkiseuduilla."
        ),
        "goals": (
            "Kansainväliset osaajat saavat oleskeluluvan nopeammin, vieraskielisten "
            "työllisyysaste nousee ja yhä useampi kansainvälinen opiskelija jää "
            "Suomeen."
        ),
        "measures": [
            {
                "title": "Kansainvälisten osaajien vastaanoton palvelumalli",
                "lead": "helsinki",
                "participants": ["tem", "sm", "espoo", "vantaa"],
                "start": datetime.date(2023, 10, 1),
                "end": datetime.date(2025, 12, 31),
                "description": (
                    "Oleskeluluvat, rekisteröityminen ja kaupungin palvelut "
                    "järjestetään kansainväliselle osaajalle yhdeksi palvelupoluksi."
                ),
            },
            {
                "title": "Kansainvälisten opiskelijoiden jääminen Suomeen",
                "lead": "turku",
                "participants": ["okm", "tem", "oulu", "tampere"],
                "start": datetime.date(2024, 1, 1),
                "end": datetime.date(2025, 12, 31),
                "description": (
                    "Kaupungit, korkeakoulut ja yritykset tarjoavat kansainvälisille "
                    "opiskelijoille harjoittelu- ja työpaikkoja jo opintojen aikana."
                ),
            },
        ],
    },
]

# Every theme has the same steps; the cooperation group was appointed in autumn 2023.
EXAMPLE_THEME_MILESTONES = [
    (
        "Tavoitteet käsitelty yhteistyöryhmässä",
        Milestone.Kind.DECISION,
        datetime.date(2023, 11, 30),
    ),
    (
        "Väliraportti yhteistyöryhmälle",
        Milestone.Kind.REPORTING,
        datetime.date(2024, 11, 30),
    ),
    ("Vuosiraportti 2025", Milestone.Kind.REPORTING, datetime.date(2025, 11, 30)),
]


def theme_demo_load(*, today: datetime.date) -> dict[str, int]:
    """Load the example themes, measures and milestones, marked as examples.

    Every write goes through the services as the system (`by` None), so their rules
    hold and the history shows no person. Idempotent: rows are found by title among
    the examples, and only values that differ are saved, so a second call with the
    same `today` writes nothing and no history. `today` decides which milestones are
    done and each measure's status and progress. The organisations must be loaded
    first. Return how many rows were written and how many were already as they should
    be.
    """
    slugs = {theme["lead"] for theme in EXAMPLE_THEMES} | {
        slug
        for theme in EXAMPLE_THEMES
        for measure in theme["measures"]
        for slug in [measure["lead"], *measure["participants"]]
    }
    counts = Counter(written=0, unchanged=0)
    with transaction.atomic():
        organisations = demo_organisations_get(slugs=slugs)
        # Orders count from 0, as the services number a new row in an empty list.
        for order, spec in enumerate(EXAMPLE_THEMES):
            theme, _written = _example_ensure(
                Theme,
                counts,
                save=lambda row: theme_save(theme=row, by=None),
                lookup={"title": spec["title"]},
                values={
                    "description": spec["description"] + "\n\n" + EXAMPLE_NOTE,
                    "goals": spec["goals"],
                    "status": Theme.Status.ACTIVE,
                    "lead_organisation": organisations[spec["lead"]],
                    "order": order,
                },
            )
            for title, kind, due in EXAMPLE_THEME_MILESTONES:
                _milestone_ensure(
                    counts, theme=theme, title=title, kind=kind, due=due, today=today
                )
            for measure_order, measure_spec in enumerate(spec["measures"]):
                _measure_ensure(
                    counts,
                    theme=theme,
                    spec=measure_spec,
                    order=measure_order,
                    organisations=organisations,
                    today=today,
                )
    return dict(counts)


def _example_ensure(model, counts: Counter, *, lookup: dict, values: dict, save):
    row, written = ensure_row(
        model, lookup={"is_example": True, **lookup}, values=values, save=save
    )
    counts["written" if written else "unchanged"] += 1
    return row, written


def _measure_ensure(counts, *, theme, spec, order, organisations, today) -> None:
    start, end = spec["start"], spec["end"]
    if today < start:
        status, progress = Measure.Status.PLANNED, 0
    elif today > end:
        status, progress = Measure.Status.DONE, 100
    else:
        # Example progress follows the calendar, rounded to five per cent.
        share = (today - start).days / (end - start).days
        status, progress = Measure.Status.IN_PROGRESS, 5 * round(20 * share)
    lookup = {"theme": theme, "title": spec["title"]}
    wanted = {organisations[slug].pk for slug in spec["participants"]}
    found = Measure.objects.filter(is_example=True, **lookup).first()
    current = (
        set(found.participating_organisations.values_list("pk", flat=True))
        if found
        else set()
    )
    participants = None if current == wanted else wanted
    measure, written = _example_ensure(
        Measure,
        counts,
        save=lambda row: measure_save(measure=row, by=None, participants=participants),
        lookup=lookup,
        values={
            "description": spec["description"] + "\n\n" + EXAMPLE_NOTE,
            "lead_organisation": organisations[spec["lead"]],
            "start_date": start,
            "end_date": end,
            "status": status,
            "progress": progress,
            "order": order,
        },
    )
    if participants is not None:
        # Saved with the row above if that was written; alone if only they differ.
        if not written:
            measure_save(measure=measure, by=None, participants=participants)
        counts["written"] += 1
    steps = [
        ("Käynnistys", Milestone.Kind.LAUNCH, start),
        (
            "Väliraportti",
            Milestone.Kind.REPORTING,
            _month_end(start + (end - start) / 2),
        ),
        ("Loppuraportti ja jatkopäätös", Milestone.Kind.DECISION, end),
    ]
    for title, kind, due in steps:
        _milestone_ensure(
            counts, measure=measure, title=title, kind=kind, due=due, today=today
        )


def _milestone_ensure(counts, *, title, kind, due, today, theme=None, measure=None):
    _example_ensure(
        Milestone,
        counts,
        save=lambda row: milestone_save(milestone=row, by=None),
        lookup={"theme": theme, "measure": measure, "title": title},
        values={
            "kind": kind,
            "due_date": due,
            "done_on": due if due <= today else None,
        },
    )


def _month_end(day: datetime.date) -> datetime.date:
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)
