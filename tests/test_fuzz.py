"""Every route, fuzzed: random, hostile and impossible input never makes a 500.

The routes come from the URLconf, their URLs and forms from a crawl of the example
data as the chair, a secretariat member and a city's representative. Each example runs
in its own rolled-back transaction; a refused post (4xx) must leave every table, its
history included, as it was.
"""

import datetime
import shutil
import tempfile
from http.cookies import SimpleCookie
from unittest import mock

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from members.permissions import ROLE_CHAIR, ROLE_STAFF
from secretariat.bootstrap import bootstrap
from tests.fuzzing import (
    Target,
    crawl,
    form_data,
    query_data,
    route_arguments,
    routes,
    row_counts,
)

TODAY = datetime.date(2023, 9, 15)
NOW = datetime.datetime(2023, 9, 15, 10, 0, tzinfo=datetime.UTC)
ROUTES = routes()

# Routes whose URL no page of the example data links to, with why; they are fuzzed
# through their arguments only (each such request should find nothing).
UNLINKED = {
    "password_reset_confirm": "its link carries a token and is only e-mailed",
    "secretariat:calendar_feed": "its token is made by a post on the calendar page",
    "secretariat:public_document": "no document of the example data is marked public",
    **dict.fromkeys(
        [
            "alliance:job_detail",
            "alliance:job_download",
            "alliance:job_retry",
            "secretariat:progress_report_download",
            "secretariat:proposal_version_row",
            "secretariat:proposal_version_file",
            "secretariat:proposal_file_retry",
        ],
        "a document job exists only after a post asks for one",
    ),
    **dict.fromkeys(
        [
            "secretariat:proposal_section_remove",
            "meetings:meeting_mark_held",
            "meetings:agenda_attachment_download",
            "meetings:agenda_attachment_delete",
            "theme_proposals:proposal_edit",
            "theme_proposals:proposal_attachment_add",
            "theme_proposals:proposal_attachment_download",
            "theme_proposals:proposal_attachment_delete",
        ],
        "the example data has no row in the state that shows its link",
    ),
    **dict.fromkeys(
        [
            "members:nomination_detail",
            "members:nomination_edit",
            "members:nomination_record",
            "members:nomination_appoint",
            "members:nomination_withdraw",
        ],
        "the decision does not record its nomination requests, so no example has one",
    ),
}


def _user_in(group_name, *, without=None):
    users = get_user_model().objects.filter(groups__name=group_name, is_active=True)
    if without:
        users = users.exclude(groups__name=without)
    return users.order_by("username").first()


class FuzzEveryRoute(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clock = mock.patch("django.utils.timezone.now", return_value=NOW)
        cls.clock.start()
        # The example data's files, kept for the whole class: each test's own
        # MEDIA_ROOT (tests/conftest.py) would not have them.
        cls.media_root = tempfile.mkdtemp(prefix="allianssi-fuzz-")
        cls.media = override_settings(MEDIA_ROOT=cls.media_root)
        cls.media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.media.disable()
        shutil.rmtree(cls.media_root, ignore_errors=True)
        cls.clock.stop()

    @classmethod
    def setUpTestData(cls):
        bootstrap(demo=True, today=TODAY)
        city = (
            get_user_model()
            .objects.filter(groups__name__startswith="city-", is_active=True)
            .order_by("username")
            .first()
        )
        cls.users = {
            "staff": _user_in(ROLE_STAFF, without=ROLE_CHAIR),
            "chair": _user_in(ROLE_CHAIR),
            "city": city,
        }
        clients = {"anonymous": Client()}
        for role, user in cls.users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        start = ["/", reverse("login")] + [
            reverse(name) for name, converters in ROUTES.items() if not converters
        ]
        cls.targets = crawl(clients, start)
        # Each role's session, kept for the whole class: an example that ends it (a
        # sign-out) or changes it is rolled back with the rest of its rows.
        cls.sessions = {
            role: clients[role].cookies[django_settings.SESSION_COOKIE_NAME].value
            for role in cls.users
        }

    def fuzz(self, name, data):
        with override_settings(MEDIA_ROOT=self.media_root):
            self.fuzz_route(name, data)

    def fuzz_route(self, name, data):
        target = self.targets.get(name) or Target()
        reached = target.url is not None or bool(target.forms)
        assert reached or name in UNLINKED, f"no page links to {name}"
        assert not (reached and name in UNLINKED), f"{name} is linked after all"

        self.sign_in(target.role or "staff")
        known_path = target.url or (target.forms[0][1].action if target.forms else None)
        if known_path and data.draw(st.booleans(), label="known path"):
            path = known_path
        else:
            arguments = data.draw(route_arguments(ROUTES[name]), label="arguments")
            path = reverse(name, kwargs=arguments)
        query = data.draw(query_data(target.query_names), label="query")
        response = self.client.get(path, query)
        assert response.status_code < 500, f"GET {path} {query!r}"

        if not target.forms:
            return
        form_role, form = data.draw(st.sampled_from(target.forms), label="form")
        self.sign_in(form_role)
        posted = data.draw(form_data(form), label="data")
        before = row_counts()
        if form.method == "POST":
            response = self.client.post(form.action, posted)
        else:
            response = self.client.get(form.action, posted)
        assert response.status_code < 500, f"{form.method} {form.action} {posted!r}"
        if form.method == "POST" and response.status_code >= 400:
            assert row_counts() == before, f"{form.action} refused but changed rows"

    def sign_in(self, role):
        """Make the next requests as `role`, with the cookies of no earlier request."""
        self.client.cookies = SimpleCookie()
        if role != "anonymous":
            self.client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[
                role
            ]

    def test_routes_are_found_and_crawled(self):
        assert len(ROUTES) > 50
        reached = [name for name, target in self.targets.items() if target.url]
        assert len(reached) > 50
        assert sum(len(target.forms) for target in self.targets.values()) > 30
        for target in self.targets.values():
            if target.url:
                assert resolve(target.url)


def _route_test(name):
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def test(self, data):
        self.fuzz(name, data)

    return test


for _name in ROUTES:
    setattr(FuzzEveryRoute, f"test_{_name.replace(':', '__')}", _route_test(_name))
