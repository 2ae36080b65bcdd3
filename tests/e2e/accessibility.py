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
    "city_tampere": "keskinen",
    "observer": "observer",
    "anonymous": None,
}


@dataclass(frozen=True)
class Page:
    key: str
    role: str


# The page's key (its address is in `page_paths`) and the role that sees it.
PAGES = [
    Page("login", "anonymous"),
    Page("password_reset", "anonymous"),
    Page("statement", "anonymous"),
    Page("privacy", "anonymous"),
    Page("public", "anonymous"),
    Page("dashboard_staff", "staff"),
    Page("dashboard_city", "city"),
    Page("dashboard_observer", "observer"),
    Page("theme_list", "staff"),
    Page("theme_detail", "staff"),
    Page("theme_add", "staff"),
    Page("measure_detail", "staff"),
    Page("measure_edit", "staff"),
    Page("milestone_detail", "staff"),
    Page("milestone_add", "staff"),
    Page("schedule", "staff"),
    Page("schedule_theme_open", "staff"),
    Page("meeting_list", "staff"),
    Page("meeting_detail", "staff"),
    Page("meeting_add", "chair"),
    Page("meeting_cancel", "chair"),
    Page("agenda_builder", "chair"),
    Page("agenda_item_add", "chair"),
    Page("agenda_version", "observer"),
    Page("minutes", "staff"),
    Page("action_items", "staff"),
    Page("decision_list", "observer"),
    Page("proposal_list", "city"),
    Page("proposal_detail", "city"),
    Page("proposal_form", "city"),
    Page("proposal_review", "staff"),
    Page("proposal_accept", "staff"),
    Page("model_proposal", "chair"),
    Page("model_proposal_section_edit", "staff"),
    Page("model_proposal_versions", "chair"),
    Page("model_proposal_final", "chair"),
    Page("indicator_list", "staff"),
    Page("indicator_detail", "city"),
    Page("observation_add", "city"),
    Page("observation_bulk", "city"),
    Page("observation_edit", "staff"),
    Page("round_list", "staff"),
    Page("round_detail", "staff"),
    Page("city_round", "city_tampere"),
    Page("body_list", "observer"),
    Page("body_detail", "observer"),
    Page("nomination_list", "staff"),
    Page("nomination_add", "staff"),
    Page("membership_replace", "staff"),
    Page("organisation_list", "staff"),
    Page("organisation_detail", "staff"),
    Page("person_detail", "staff"),
    Page("appointment", "observer"),
    Page("publicity_form", "staff"),
    Page("search", "staff"),
    Page("account_list", "chair"),
    Page("account_invite", "chair"),
    Page("account_roles", "chair"),
    Page("password_change", "city"),
    Page("error_403", "city"),
    Page("error_404", "staff"),
]
ERROR_PAGES = {"error_403": 403, "error_404": 404}


def example_review_start() -> None:
    """Start the review of one example proposal, as staff do in the proposal journey.

    The example data has submitted proposals only, and the form that accepts one into
    a theme opens for a proposal under review. Idempotent.
    """
    from themes.proposals.models import ThemeProposal
    from themes.proposals.services import proposal_transition

    Status = ThemeProposal.Status
    examples = ThemeProposal.objects.filter(is_example=True)
    if examples.filter(status=Status.UNDER_REVIEW).exists():
        return
    submitted = examples.filter(status=Status.SUBMITTED).exclude(city__slug="helsinki")
    proposal = submitted.order_by("pk").first()
    proposal_transition(
        proposal=proposal, to_status=Status.UNDER_REVIEW, by=None, notify=False
    )


def page_paths() -> dict[str, str]:
    """The address of every page in `PAGES`, read from the example data."""
    from members.models import Body, Membership, Organisation, Person, User
    from monitoring.models import Indicator, Observation, ReportingRound
    from secretariat.meetings.models import AgendaVersion, Meeting
    from secretariat.models import ProposalSection
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
    in_review = ThemeProposal.objects.get(
        status=ThemeProposal.Status.UNDER_REVIEW, is_example=True
    )
    open_round = ReportingRound.objects.filter(
        status=ReportingRound.Status.OPEN
    ).first()
    section = ProposalSection.objects.order_by("pk").first()
    indicator = Indicator.objects.filter(reported_per_city=True).order_by("pk").first()
    observation = Observation.objects.filter(indicator=indicator).first()
    body = Body.objects.order_by("pk").first()
    person = Person.objects.filter(user__isnull=False).order_by("pk").first()
    seat = Membership.objects.filter(person__isnull=False).order_by("pk").first()
    account = User.objects.get(username="nyholm")
    return {
        "login": "/login/",
        "password_reset": "/password-reset/",
        "statement": "/accessibility/",
        "privacy": "/privacy/",
        "public": "/julkinen/",
        "publicity_form": f"/documents/agenda_version/{version.pk}/publicity/",
        "dashboard_staff": "/",
        "dashboard_city": "/",
        "dashboard_observer": "/",
        "theme_list": "/themes/",
        "theme_detail": f"/themes/{theme.pk}/",
        "theme_add": "/themes/add/",
        "measure_detail": f"/measures/{measure.pk}/",
        "measure_edit": f"/measures/{measure.pk}/edit/",
        "milestone_detail": f"/milestones/{milestone.pk}/",
        "milestone_add": f"/measures/{measure.pk}/milestones/add/",
        "schedule": "/schedule/",
        "schedule_theme_open": f"/schedule/?theme={theme.pk}",
        "meeting_list": "/meetings/",
        "meeting_detail": f"/meetings/{planned.pk}/",
        "meeting_add": "/meetings/add/",
        "meeting_cancel": f"/meetings/{planned.pk}/cancel/",
        "agenda_builder": f"/meetings/{planned.pk}/agenda/",
        "agenda_item_add": f"/meetings/{planned.pk}/agenda/add/",
        "agenda_version": (
            f"/meetings/{version.meeting_id}/agenda/versions/{version.number}/"
        ),
        "minutes": f"/meetings/{held.pk}/minutes/",
        "action_items": "/action-items/",
        "decision_list": "/decisions/",
        "proposal_list": "/theme-proposals/",
        "proposal_detail": f"/theme-proposals/{proposal.pk}/",
        "proposal_form": "/theme-proposals/add/",
        "proposal_review": "/theme-proposals/review/",
        "proposal_accept": f"/theme-proposals/{in_review.pk}/status/accepted/",
        "model_proposal": "/proposal/",
        "model_proposal_section_edit": f"/proposal/sections/{section.pk}/edit/",
        "model_proposal_versions": "/proposal/versions/",
        "model_proposal_final": "/proposal/versions/final/",
        "indicator_list": "/indicators/",
        "indicator_detail": f"/indicators/{indicator.pk}/",
        "observation_add": f"/indicators/{indicator.pk}/values/add/",
        "observation_bulk": f"/indicators/{indicator.pk}/values/period/",
        "observation_edit": f"/values/{observation.pk}/edit/",
        "round_list": "/rounds/",
        "round_detail": f"/rounds/{open_round.pk}/",
        "city_round": f"/rounds/{open_round.pk}/cities/tampere/",
        "body_list": "/bodies/",
        "body_detail": f"/bodies/{body.pk}/",
        "nomination_list": "/nominations/",
        "nomination_add": "/nominations/add/",
        "membership_replace": f"/memberships/{seat.pk}/replace/",
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
