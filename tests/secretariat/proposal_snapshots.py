"""Example snapshots of the chair's proposal (schema 1 of the issue 11 contract).

The renderers (PDF and Word) and the comparison work from a snapshot only, so their
tests build one here instead of going through the database. `example_snapshot()`
returns a fresh dict each time: a test may change it freely.
"""

import copy

HOSTILE_BODY = (
    "Ennen <b>lihavoitu</b> ja <script>alert('x')</script> jälkeen.\n\n"
    "[Klikkaa](javascript:alert(1)) ja [turvallinen](https://example.org/a?b=1&c=2)."
)

_SNAPSHOT = {
    "schema": 1,
    "language": "fi",
    "version": {
        "number": 1,
        "draft": False,
        "date": "28.9.2023",
        "made_by": "Katja Palonen",
    },
    "header": {
        "organisation": "Työ- ja elinkeinoministeriö",
        "document_type": "ESITYS",
        "diary_number": "TEM077:00/2023",
        "date": "28.9.2023",
    },
    "cover": {
        "title": "Esitys valtion ja suurten kaupunkien yhteistyömallista",
        "issuer": "Valtion ja suurten kaupunkien yhteistyöallianssin sihteeristö",
        "appointment_reference": "TEM077:00/2023",
        "appointment_date": "31.8.2023",
        "body": "Valtion ja suurten kaupunkien yhteistyöallianssin sihteeristö",
    },
    "summary": (
        "Sihteeristö esittää, että valtio ja kuusi suurinta kaupunkia sopivat "
        "**yhteistyöallianssista**, jolla on kolme teemaa.\n\n"
        "- Työllisyys ja osaaminen\n- Kestävä kaupunkikehitys"
    ),
    "summary_sv": (
        "Sekretariatet föreslår att staten och de sex största städerna ingår en "
        "*samarbetsallians* med tre teman."
    ),
    "sections": [
        {
            "key": "section-1",
            "kind": "organisation",
            "number": 1,
            "title": "Organisaatio ja tavoitteet",
            "body": (
                "Allianssin yhteistyöryhmää johtaa pääministeri.\n\n"
                "# Tavoitteet\n\n"
                "1. Kasvu ja työllisyys\n2. Osaaminen\n\n"
                "Lisätietoa: [valtioneuvosto](https://valtioneuvosto.fi/)."
            ),
        },
        {
            "key": "section-2",
            "kind": "operating_model",
            "number": 2,
            "title": "Teemat, toimenpiteet ja toimintamalli",
            "body": "Teemat valmistellaan *teemaryhmissä*.",
        },
        {
            "key": "section-3",
            "kind": "schedule",
            "number": 3,
            "title": "Aikataulu",
            "body": (
                "Malli käynnistyy vuoden 2024 alussa.\n\n"
                "| Vaihe | Ajankohta |\n|---|---|\n"
                "| Käynnistys | 2024 Q1 |\n| Arviointi | 2025 Q4 |"
            ),
        },
        {
            "key": "section-4",
            "kind": "monitoring",
            "number": 4,
            "title": "Toimeenpanon seuranta",
            "body": "Seurannasta vastaa sihteeristö.",
        },
        {
            "key": "section-5",
            "kind": "own",
            "number": 5,
            "title": "Rahoitus",
            "body": "Kustannukset katetaan **olemassa olevista** määrärahoista.",
        },
    ],
    "themes": [
        {
            "key": "theme-1",
            "title": "Työllisyys ja osaaminen",
            "description": "Kaupunkien ja valtion yhteiset työllisyyspalvelut.",
            "goals": "Työllisyysaste nousee 75 prosenttiin.",
            "status": "Aktiivinen",
            "lead": "Helsingin kaupunki",
            "measures": [
                {
                    "key": "measure-1",
                    "title": "Yhteinen osaamiskeskus",
                    "description": "Perustetaan osaamiskeskus kuuteen kaupunkiin.",
                    "lead": "Helsingin kaupunki",
                    "participants": [
                        "Espoon kaupunki",
                        "Opetus- ja kulttuuriministeriö",
                    ],
                    "schedule": "1.1.2024–31.12.2025",
                    "status": "Suunniteltu",
                },
                {
                    "key": "measure-2",
                    "title": "Työllisyyskokeilu",
                    "description": "",
                    "lead": "Tampereen kaupunki",
                    "participants": [],
                    "schedule": "Ei päätetty",
                    "status": "Suunniteltu",
                },
            ],
        },
        {
            "key": "theme-2",
            "title": "Kestävä kaupunkikehitys",
            "description": "Asuminen, liikenne ja ilmasto.",
            "goals": "",
            "status": "Aktiivinen",
            "lead": "Turun kaupunki",
            "measures": [
                {
                    "key": "measure-3",
                    "title": "Raideliikenteen yhteissuunnittelu",
                    "description": "Yhteinen suunnitteluryhmä.",
                    "lead": "Valtiovarainministeriö",
                    "participants": ["Oulun kaupunki"],
                    "schedule": "1.3.2024–30.6.2026",
                    "status": "Käynnissä",
                },
            ],
        },
    ],
    "milestones": [
        {
            "key": "milestone-1",
            "title": "Osaamiskeskus avataan",
            "kind": "Käynnistys",
            "quarter": "2024 Q1",
            "due_date": "31.3.2024",
            "done_on": "",
            "belongs_to": "Yhteinen osaamiskeskus",
        },
        {
            "key": "milestone-2",
            "title": "Väliarviointi",
            "kind": "Arviointi",
            "quarter": "2025 Q2",
            "due_date": "30.6.2025",
            "done_on": "",
            "belongs_to": "Työllisyys ja osaaminen",
        },
    ],
    "timeline": [
        {
            "label": "Yhteinen osaamiskeskus",
            "start": "2024-01-01",
            "end": "2025-12-31",
            "group": "Työllisyys ja osaaminen",
            "milestones": ["2024-03-31"],
        },
        {
            "label": "Työllisyyskokeilu",
            "start": "2024-06-01",
            "end": None,
            "group": "Työllisyys ja osaaminen",
            "milestones": [],
        },
        {
            "label": "Raideliikenteen yhteissuunnittelu",
            "start": "2024-03-01",
            "end": "2026-06-30",
            "group": "Kestävä kaupunkikehitys",
            "milestones": ["2025-06-30"],
        },
    ],
    "indicators": [
        {
            "key": "indicator-1",
            "theme": "Työllisyys ja osaaminen",
            "name": "Työllisyysaste",
            "unit": "%",
            "baseline": "71,2 (31.12.2022)",
            "target": "75 (31.12.2027)",
            "data_source": "Tilastokeskus",
            "frequency": "Neljännesvuosittain",
        },
        {
            "key": "indicator-2",
            "theme": "Kestävä kaupunkikehitys",
            "name": "Valmistuneet asunnot",
            "unit": "kpl",
            "baseline": "1 234,5 (31.12.2022)",
            "target": "2 000 (31.12.2027)",
            "data_source": "Kaupunkien rekisterit",
            "frequency": "Vuosittain",
        },
    ],
    "members": {
        "rows": [
            {
                "name": "Katja Palonen",
                "title": "johtava asiantuntija",
                "organisation": "Työ- ja elinkeinoministeriö",
                "role": "Puheenjohtaja",
                "deputy_of": "",
            },
            {
                "name": "Olli Voutilainen",
                "title": "erityisasiantuntija",
                "organisation": "Työ- ja elinkeinoministeriö",
                "role": "Jäsen",
                "deputy_of": "",
            },
            {
                "name": "Inga Nyholm",
                "title": "yhteysjohtaja",
                "organisation": "Helsinki",
                "role": "Jäsen",
                "deputy_of": "",
            },
        ],
        "gender_statement": (
            "Naisten ja miesten välisestä tasa-arvosta annetun lain (609/1986) 4 a §:n "
            "1 momentin vaatimus täyttyy."
        ),
    },
    "appointment": {
        "title": (
            "VALTION JA SUURTEN KAUPUNKIEN YHTEISTYÖALLIANSSIN SIHTEERISTÖN ASETTAMINEN"
        ),
        "tasks": [
            {
                "number": 1,
                "text": "Valmistella yhteistyömallin organisointi ja tavoitteet.",
            },
            {
                "number": 2,
                "text": (
                    "Määrittää yhteistyömallin teemat sekä toimenpiteet ja kuvata "
                    "toimintamalli sekä luoda aikataulu yhteistyömallin "
                    "käynnistämiseksi ja toteuttamiseksi."
                ),
            },
            {
                "number": 3,
                "text": "Valmistella esitys mallin toimeenpanon seurannasta.",
            },
            {"number": 4, "text": "Toimia yhteistyöryhmän sihteeristönä."},
        ],
        "term": "1.9.2023–",
        "costs": (
            "Työryhmän jäsenille ei makseta kokouspalkkioita, eikä korvata "
            "matkakustannuksia."
        ),
        "signatories": [
            {"name": "Anna-Kaisa Ikonen", "title": "Kunta- ja alueministeri"},
            {"name": "Tiina Korhonen", "title": "Osastopäällikkö, ylijohtaja"},
        ],
    },
}


def example_snapshot(draft: bool = False, *, language: str = "fi") -> dict:
    """Return a fresh snapshot: final version 1, or a draft (no number) when `draft`."""
    snapshot = copy.deepcopy(_SNAPSHOT)
    snapshot["language"] = language
    if draft:
        snapshot["version"] = {
            "number": None,
            "draft": True,
            "date": "28.9.2023",
            "made_by": "Katja Palonen",
        }
    return snapshot
