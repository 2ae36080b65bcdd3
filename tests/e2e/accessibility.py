"""The pages the accessibility pass visits, and the checks it runs on each.

Shared by tests/e2e/test_accessibility.py and scripts/accessibility_report.py: the
pages are those of the example data (`bootstrap_alliance --demo`), each seen by the
role that works on it. `page_paths()` reads the database and must run before a
browser opens (see tests/e2e/browser.py).
"""

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
IMPACT_ORDER = ["critical", "serious", "moderate", "minor"]
LANGUAGES = ["fi", "sv"]
WIDTHS = [1280, 375]
# Where test runs leave their results (var/ is not committed).
RESULTS_DIR = Path(__file__).resolve().parents[2] / "var" / "accessibility"

# The demo's accounts by role; the password is bootstrap's default.
ROLE_USERS = {
    "staff": "voutilainen",
    "chair": "palonen",
    "city": "nyholm",
    "observer": "observer",
    "anonymous": None,
}


@dataclass(frozen=True)
class Page:
    key: str
    role: str
    name_fi: str
    name_sv: str


# key, role, Finnish name, Swedish name (as docs/accessibility.md lists them).
PAGES = [
    Page("login", "anonymous", "Kirjautuminen", "Inloggning"),
    Page("password_reset", "anonymous", "Salasanan palautus", "Återställning av lösenord"),
    Page("statement", "anonymous", "Saavutettavuusseloste", "Tillgänglighetsutlåtande"),
    Page("privacy", "anonymous", "Tietosuojaseloste", "Dataskyddsbeskrivning"),
    Page("dashboard_staff", "staff", "Etusivu (sihteeristö)", "Startsida (sekretariatet)"),
    Page("dashboard_city", "city", "Etusivu (kaupunki)", "Startsida (stad)"),
    Page("dashboard_observer", "observer", "Etusivu (tarkkailija)", "Startsida (observatör)"),
    Page("theme_list", "staff", "Teemat", "Teman"),
    Page("theme_detail", "staff", "Teema", "Tema"),
    Page("theme_add", "staff", "Lomakesivu (uusi teema)", "Formulärsida (nytt tema)"),
    Page("measure_detail", "staff", "Toimenpide", "Åtgärd"),
    Page("measure_edit", "staff", "Toimenpiteen muokkaus", "Redigering av åtgärd"),
    Page("milestone_detail", "staff", "Virstanpylväs", "Milstolpe"),
    Page("schedule", "staff", "Aikataulu", "Tidsplan"),
    Page("meeting_list", "staff", "Kokoukset", "Möten"),
    Page("meeting_detail", "staff", "Kokous", "Möte"),
    Page("agenda_builder", "chair", "Esityslistan laadinta", "Föredragningslistans beredning"),
    Page("agenda_version", "observer", "Esityslistan versio", "Föredragningslistans version"),
    Page("minutes", "staff", "Pöytäkirja", "Protokoll"),
    Page("action_items", "staff", "Toimenpidepyynnöt", "Uppdrag"),
    Page("proposal_list", "city", "Teemaehdotukset", "Temaförslag"),
    Page("proposal_detail", "city", "Teemaehdotus", "Temaförslag (sida)"),
    Page("proposal_form", "city", "Teemaehdotuksen lomake", "Formulär för temaförslag"),
    Page("proposal_review", "staff", "Ehdotusten käsittely", "Behandling av förslag"),
    Page("indicator_list", "staff", "Mittarit", "Indikatorer"),
    Page("indicator_detail", "city", "Mittari", "Indikator"),
    Page("observation_add", "city", "Arvon lisäys", "Tillägg av värde"),
    Page("observation_bulk", "city", "Kauden arvot", "Periodens värden"),
    Page("observation_edit", "staff", "Arvon muokkaus", "Redigering av värde"),
    Page("body_list", "observer", "Toimielimet", "Organ"),
    Page("body_detail", "observer", "Toimielin", "Organ (sida)"),
    Page("organisation_list", "staff", "Organisaatiot", "Organisationer"),
    Page("organisation_detail", "staff", "Organisaatio", "Organisation"),
    Page("person_detail", "staff", "Henkilö", "Person"),
    Page("appointment", "observer", "Asettamispäätös", "Tillsättningsbeslut"),
    Page("search", "staff", "Haku", "Sökning"),
    Page("account_list", "chair", "Käyttäjätilit", "Användarkonton"),
    Page("account_invite", "chair", "Kutsu käyttäjäksi", "Inbjudan"),
    Page("account_roles", "chair", "Käyttäjän roolit", "Användarens roller"),
    Page("password_change", "city", "Salasanan vaihto", "Byte av lösenord"),
    Page("error_403", "city", "Virhesivu 403", "Felsida 403"),
    Page("error_404", "staff", "Virhesivu 404", "Felsida 404"),
]
ERROR_PAGES = {"error_403": 403, "error_404": 404}


def page_paths() -> dict[str, str]:
    """The address of every page in `PAGES`, read from the example data."""
    from members.models import Body, Organisation, Person, User
    from monitoring.models import Indicator, Observation
    from secretariat.meetings.models import AgendaVersion, Meeting
    from themes.models import Measure, Milestone, Theme
    from themes.proposals.models import ThemeProposal

    theme = Theme.objects.filter(measures__isnull=False).order_by("pk").first()
    measure = Measure.objects.filter(theme=theme).order_by("pk").first()
    milestone = Milestone.objects.order_by("pk").first()
    planned = Meeting.objects.filter(status=Meeting.Status.PLANNED).first()
    planned = planned or Meeting.objects.order_by("-starts_at").first()
    held = Meeting.objects.exclude(pk=planned.pk).order_by("starts_at").first()
    version = AgendaVersion.objects.order_by("pk").first()
    helsinki = Organisation.objects.get(slug="helsinki")
    proposal = ThemeProposal.objects.filter(city=helsinki).order_by("pk").first()
    indicator = Indicator.objects.filter(reported_per_city=True).order_by("pk").first()
    observation = Observation.objects.filter(indicator=indicator).first()
    body = Body.objects.order_by("pk").first()
    person = Person.objects.filter(user__isnull=False).order_by("pk").first()
    account = User.objects.get(username="nyholm")
    return {
        "login": "/login/",
        "password_reset": "/password-reset/",
        "statement": "/accessibility/",
        "privacy": "/privacy/",
        "dashboard_staff": "/",
        "dashboard_city": "/",
        "dashboard_observer": "/",
        "theme_list": "/themes/",
        "theme_detail": f"/themes/{theme.pk}/",
        "theme_add": "/themes/add/",
        "measure_detail": f"/measures/{measure.pk}/",
        "measure_edit": f"/measures/{measure.pk}/edit/",
        "milestone_detail": f"/milestones/{milestone.pk}/",
        "schedule": "/schedule/",
        "meeting_list": "/meetings/",
        "meeting_detail": f"/meetings/{planned.pk}/",
        "agenda_builder": f"/meetings/{planned.pk}/agenda/",
        "agenda_version": (
            f"/meetings/{version.meeting_id}/agenda/versions/{version.number}/"
        ),
        "minutes": f"/meetings/{held.pk}/minutes/",
        "action_items": "/action-items/",
        "proposal_list": "/theme-proposals/",
        "proposal_detail": f"/theme-proposals/{proposal.pk}/",
        "proposal_form": "/theme-proposals/add/",
        "proposal_review": "/theme-proposals/review/",
        "indicator_list": "/indicators/",
        "indicator_detail": f"/indicators/{indicator.pk}/",
        "observation_add": f"/indicators/{indicator.pk}/values/add/",
        "observation_bulk": f"/indicators/{indicator.pk}/values/period/",
        "observation_edit": f"/values/{observation.pk}/edit/",
        "body_list": "/bodies/",
        "body_detail": f"/bodies/{body.pk}/",
        "organisation_list": "/organisations/",
        "organisation_detail": f"/organisations/{helsinki.pk}/",
        "person_detail": f"/people/{person.pk}/",
        "appointment": "/appointment/",
        "search": "/search/?q=kaupunki",
        "account_list": "/accounts/",
        "account_invite": "/accounts/invite/",
        "account_roles": f"/accounts/{account.pk}/roles/",
        "password_change": "/password-change/",
        "error_403": "/accounts/",
        "error_404": "/no-such-page/",
    }


def session_cookies(base_url: str) -> dict[str, dict]:
    """A signed-in session cookie for each role (no browser needed to sign in)."""
    from django.conf import settings
    from django.test import Client

    from members.models import User

    cookies = {}
    for role, username in ROLE_USERS.items():
        if username is None:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[role] = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base_url,
        }
    return cookies


def language_cookie(base_url: str, language: str) -> dict:
    from django.conf import settings

    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}


_axe = None


def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; its violations, short."""
    global _axe
    if _axe is None:
        _axe = Axe()
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [
                " ".join(map(str, node["target"])) for node in violation["nodes"]
            ][:5],
        }
        for violation in results.response["violations"]
    ]


def axe_version(page) -> str:
    return page.evaluate("window.axe ? axe.version : ''")


# The controls whose hover and focus colours are checked, in the page's own order.
CONTROLS = (
    ".button, .button--secondary, .button--danger, .button-link, "
    ".site-nav a, .language-switch button, main a, .site-footer a, main button"
)

# The contrast of an element's text against what lies behind it (WCAG's formula).
CONTRAST_JS = """
element => {
  const parse = value => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  let layers = [];
  for (let node = element; node; node = node.parentElement) {
    const colour = parse(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] >= 1) break;
  }
  let background = [255, 255, 255, 1];
  for (const layer of layers.reverse()) background = over(layer, background);
  const text = over(parse(getComputedStyle(element).color), background);
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [l1, l2] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  return {
    ratio: (l1 + 0.05) / (l2 + 0.05),
    color: getComputedStyle(element).color,
    background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})`,
  };
}
"""

# One element per kind of control: its tag, classes and place in the layout.
CONTROL_KINDS_JS = """
selector => {
  const seen = new Set();
  const picked = [];
  document.querySelectorAll(selector).forEach((element, index) => {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || !element.textContent.trim()) return;
    const region = element.closest('header, nav, footer, main, form, table');
    const kind = [element.tagName, element.className,
                  region ? region.tagName + '.' + region.className : ''].join('|');
    if (seen.has(kind)) return;
    seen.add(kind);
    picked.push({index, kind});
  });
  return picked;
}
"""


def hover_and_focus_contrast(page, *, minimum: float = 4.5) -> list[dict]:
    """Hover, then focus, one control of each kind; the states below `minimum`."""
    failures = []
    controls = page.locator(CONTROLS)
    for picked in page.evaluate(CONTROL_KINDS_JS, CONTROLS):
        control = controls.nth(picked["index"])
        for state in ("hover", "focus"):
            if state == "hover":
                control.hover()
            else:
                page.mouse.move(0, 0)
                control.focus()
            measured = control.evaluate(CONTRAST_JS)
            if measured["ratio"] < minimum:
                failures.append(
                    {
                        "state": state,
                        "control": picked["kind"],
                        "text": control.inner_text()[:40],
                        **measured,
                    }
                )
        control.blur()
    page.mouse.move(0, 0)
    return failures


def record(result: dict) -> None:
    """Append one page's result to this process's file under var/accessibility."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    result = {**result, "at": datetime.datetime.now().isoformat(timespec="seconds")}
    with (RESULTS_DIR / f"results-{worker}.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
