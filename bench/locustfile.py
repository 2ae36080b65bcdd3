"""The load test's users (`make loadtest`, bench/loadtest.py): staff browsing and
editing, city representatives entering values and proposals, the chair making
documents.

Each simulated user signs in once in `on_start`, through the real form but with a
session of its own, so that the sign-in is outside the statistics; the users wait
for each other there, and the statistics start afresh when the last one has signed
in, for BENCH_LOADTEST_SECONDS: password hashing would otherwise fill the first
seconds of the test. A request counts as a success only when it answers 200 (after
the redirect a form answers with) and shows an `<h1>`; everything else is a failure.
What the users work on (the open round, measures, meetings, proposals) is read from
the JSON file named by BENCH_LOADTEST_TARGETS; the result is written as JSON to
BENCH_LOADTEST_OUTPUT.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

import gevent
import lxml.html
import requests
from gevent.event import Event
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import server

TARGETS = json.loads(Path(os.environ["BENCH_LOADTEST_TARGETS"]).read_text())
# The six cities' representatives in the secretariat (the demo accounts).
CITY_REPRESENTATIVES = [
    ("nyholm", "helsinki"),
    ("ferm", "espoo"),
    ("keskinen", "tampere"),
    ("harju", "vantaa"),
    ("kruger", "oulu"),
    ("niemi", "turku"),
]
_city_turns = itertools.cycle(CITY_REPRESENTATIVES)
_city_users = itertools.count()
SIGN_IN_ATTEMPTS = 3
MEASURED_SECONDS = float(os.environ.get("BENCH_LOADTEST_SECONDS", "60"))
_signed_in = []
_all_signed_in = Event()
_measured = {}


def _measurement_start(environment) -> None:
    """Start the statistics afresh now, and end the test after the measured time."""
    environment.runner.stats.reset_all()
    _measured["from"] = time.monotonic()
    gevent.spawn_later(MEASURED_SECONDS, environment.runner.quit)
    _all_signed_in.set()


def _percentiles(entry) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        **{
            f"p{round(share * 100)}_ms": round(
                entry.get_response_time_percentile(share) or 0, 1
            )
            for share in (0.5, 0.95, 0.99)
        },
    }


@events.quitting.add_listener
def _result_written(environment, **kwargs):
    if "from" not in _measured:
        return
    seconds = time.monotonic() - _measured["from"]
    total = environment.runner.stats.total
    result = _percentiles(total) | {
        "measured_seconds": round(seconds, 1),
        "requests_per_s": round(total.num_requests / seconds, 1),
        "successes_per_s": round(
            (total.num_requests - total.num_failures) / seconds, 1
        ),
        "by_request": {
            f"{method} {name}": _percentiles(entry)
            for (name, method), entry in sorted(
                environment.runner.stats.entries.items()
            )
        },
        "failure_reasons": {
            f"{error.method} {error.name}: {error.error}": error.occurrences
            for error in environment.runner.stats.errors.values()
        },
    }
    Path(os.environ["BENCH_LOADTEST_OUTPUT"]).write_text(json.dumps(result, indent=2))


def form_values(html: str, path: str) -> list[tuple[str, str]]:
    """The fields of the page's own form (the one sent back to the page's address,
    not the language switcher's) as a browser would send them unchanged."""
    forms = [
        form
        for form in lxml.html.fromstring(html).forms
        if form.method.upper() == "POST" and form.action in (None, "", path)
    ]
    return forms[-1].form_values() if forms else []


class AllianceUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        session = requests.Session()
        # Every user must sign in before the measured time begins: a sign-in that
        # times out on a busy machine is tried again.
        for attempt in range(SIGN_IN_ATTEMPTS):
            try:
                server.sign_in(session, self.host, self.username)
                break
            except requests.RequestException:
                if attempt == SIGN_IN_ATTEMPTS - 1:
                    raise
        self.client.cookies = session.cookies
        _signed_in.append(self.username)
        if len(_signed_in) == self.environment.runner.target_user_count:
            _measurement_start(self.environment)
        _all_signed_in.wait()

    def page(self, url: str, name: str) -> str:
        """GET a page; a success only if it answers 200 with its heading."""
        with self.client.get(url, name=name, catch_response=True) as response:
            return self._judged(response)

    def form_sent(self, url: str, name: str, changes: dict) -> None:
        """Fill the form on `url` as shown, change some fields, and send it."""
        html = self.page(url, f"{name} (form)")
        if not html:
            return
        fields = [
            (key, value) for key, value in form_values(html, url) if key not in changes
        ] + list(changes.items())
        with self.client.post(
            url, data=fields, name=name, catch_response=True
        ) as response:
            self._judged(response)

    def _judged(self, response) -> str:
        if response.status_code != 200:
            response.failure(f"answered {response.status_code}")
            return ""
        if not server.H1.search(response.text):
            response.failure("no <h1>")
            return ""
        response.success()
        return response.text


class StaffMember(AllianceUser):
    """The secretariat's staff: browses the themes and keeps a measure up to date."""

    weight = 3
    username = server.STAFF

    @task(3)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(2)
    def themes(self):
        self.page("/themes/", "theme list")
        self.page(f"/themes/{random.choice(TARGETS['themes'])}/", "theme detail")

    @task(3)
    def measure(self):
        self.page(f"/measures/{random.choice(TARGETS['measures'])}/", "measure detail")

    @task(2)
    def indicators(self):
        self.page("/indicators/", "indicator list")

    @task(1)
    def schedule(self):
        self.page("/schedule/", "schedule")

    @task(1)
    def search(self):
        self.page(
            f"/search/?q={random.choice(['employment', 'housing', 'skills'])}",
            "search",
        )

    @task(2)
    def measure_edit(self):
        measure = random.choice(TARGETS["measures"])
        self.form_sent(
            f"/measures/{measure}/edit/",
            "measure edit",
            {"description": f"Kuormitustestin muutos {random.randrange(10**6)}."},
        )


class CityRepresentative(AllianceUser):
    """A city's representative: reports the city's values in the open round, and
    proposes themes."""

    weight = 2

    def on_start(self):
        self.username, self.city = next(_city_turns)
        # The users of one city enter different rows (every third, from their own
        # start), so that two of them never change the same value at once, which
        # the page rightly answers with a conflict.
        self.rows_from = next(_city_users) // len(CITY_REPRESENTATIVES) % 3
        super().on_start()
        self.round_url = f"/rounds/{TARGETS['round']}/cities/{self.city}/"

    @task(3)
    def round_page(self):
        self.page(self.round_url, "city round")

    @task(3)
    def values_entered(self):
        html = self.page(self.round_url, "city round (form)")
        if not html:
            return
        fields = form_values(html, self.round_url)
        values = [key for key, _ in fields if key.endswith("-value")][
            self.rows_from :: 3
        ]
        if not values:
            return
        chosen = random.choice(values)
        fields = [(key, value) for key, value in fields if key != chosen]
        fields.append((chosen, f"{random.uniform(50, 90):.1f}".replace(".", ",")))
        with self.client.post(
            self.round_url, data=fields, name="city round values", catch_response=True
        ) as response:
            self._judged(response)

    @task(1)
    def proposal_made(self):
        self.form_sent(
            "/theme-proposals/add/",
            "proposal add",
            {
                "title": f"Kuormitustestin ehdotus {random.randrange(10**6)}",
                "rationale": "Kaupungin perustelu teemalle.",
                "proposed_measures": "Ehdotetut toimenpiteet.",
                "expected_impact": "Odotetut vaikutukset.",
            },
        )

    @task(2)
    def proposals(self):
        self.page("/theme-proposals/", "proposal list")
        self.page(
            f"/theme-proposals/{random.choice(TARGETS['proposals'])}/",
            "proposal detail",
        )


class Chair(AllianceUser):
    """The chair: follows the meetings and makes their documents and the proposal's
    draft (queued as jobs, whose page is the answer)."""

    weight = 1
    username = server.CHAIR

    @task(2)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(2)
    def meetings(self):
        self.page("/meetings/", "meeting list")
        self.page(f"/meetings/{random.choice(TARGETS['meetings'])}/", "meeting detail")

    @task(2)
    def agenda_made(self):
        meeting = random.choice(TARGETS["meetings"])
        html = self.page(f"/meetings/{meeting}/", "meeting detail")
        if not html:
            return
        token = server.csrf_token(html)
        with self.client.post(
            f"/meetings/{meeting}/documents/agenda/",
            data={"csrfmiddlewaretoken": token},
            name="agenda document",
            catch_response=True,
        ) as response:
            self._judged(response)

    @task(1)
    def proposal_draft(self):
        html = self.page("/proposal/versions/", "proposal versions")
        if not html:
            return
        with self.client.post(
            "/proposal/versions/draft/",
            data={"csrfmiddlewaretoken": server.csrf_token(html), "format": "pdf"},
            name="proposal draft",
            catch_response=True,
        ) as response:
            self._judged(response)

    @task(1)
    def comparison(self):
        self.page("/proposal/compare/", "proposal comparison")
