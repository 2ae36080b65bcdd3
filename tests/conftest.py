"""What every app's tests share: isolation, the organisations, the cast, the worlds."""

import datetime
import os
import shutil
import tempfile
import uuid
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from members.models import Body, Organisation
from secretariat.bootstrap import bootstrap
from secretariat.models import Appointment
from tests.factories import ROLES, cast_create
from tests.meetings.factories import alliance_create
from tests.members.factories import standard_organisations_create
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory
from themes.proposals.models import ThemeProposal
from themes.proposals.services import (
    proposal_attachment_add,
    proposal_create,
    proposal_transition,
)

HYPOTHESIS_HOME = pytest.StashKey[str]()


def pytest_configure(config):
    """Keep Hypothesis's examples and caches out of the checkout, from collection on."""
    import hypothesis
    from hypothesis import configuration

    config.stash[HYPOTHESIS_HOME] = tempfile.mkdtemp(prefix="allianssi-hypothesis-")
    configuration.set_hypothesis_home_dir(config.stash[HYPOTHESIS_HOME])
    _cache_keys_of_this_run()
    _static_files_listed_once_per_process()
    # A fast hasher from the start, not only inside each test: the worlds built once
    # per class or module (the fuzz's, the accessibility pages') set a dozen passwords,
    # each a second of PBKDF2. A test that needs the real hashers asks for them.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The same examples in `make test` and CI, few enough for the fuzz of every route.
    hypothesis.settings.register_profile(
        "allianssi", max_examples=25, derandomize=True, deadline=None
    )
    hypothesis.settings.load_profile("allianssi")


@pytest.fixture(autouse=True)
def _cache_emptied_after_each_test():
    """Rows of a test, rolled back, may come back in the next one under the same ids
    and a fixed clock's times, and must not find what the cache kept for them."""
    yield
    cache.clear()


def pytest_unconfigure(config):
    shutil.rmtree(config.stash[HYPOTHESIS_HOME], ignore_errors=True)
    # Only this run's keys: the Redis is shared with other runs and the broker.
    cache.clear()


def _cache_keys_of_this_run():
    """Give a shared (Redis) cache a key prefix of this run and xdist worker's own.

    Runs in parallel, and the xdist workers of one run, then never read each other's
    entries, and clearing the cache in a test clears only this process's keys.
    """
    run = uuid.uuid4().hex[:12]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    default = django_settings.CACHES["default"]
    prefix = default.get("KEY_PREFIX", "")
    default["KEY_PREFIX"] = f"{prefix}-test-{run}-{worker}".lstrip("-")


# What WhiteNoise's list of the static files depends on: where they are found, and the
# headers it gives them.
_STATIC_FILES_SETTINGS = (
    "DEBUG",
    "FORCE_SCRIPT_NAME",
    "INSTALLED_APPS",
    "STATIC_URL",
    "STATICFILES_DIRS",
    "STATICFILES_FINDERS",
    "STORAGES",
)


def _static_files_listed_once_per_process():
    """Let WhiteNoise list the static files found by the finders once per process.

    Every test client loads the middleware anew, and WhiteNoise then reads and stats
    each of the ~700 static files (the typefaces come in many subsets): about a third
    of the time of a test that makes a request or two. The files do not change during
    a run; a test that overrides a setting the list depends on gets a list of its own.
    """
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(middleware):
        key = repr(
            [
                (name, getattr(django_settings, name, None))
                for name in sorted(dir(django_settings))
                if name in _STATIC_FILES_SETTINGS or name.startswith("WHITENOISE_")
            ]
        )
        if key not in listed:
            files, middleware.files = middleware.files, {}
            list_files(middleware)
            listed[key], middleware.files = middleware.files, files
        middleware.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Run tasks in-process whatever CELERY_BROKER_URL says; broker tests opt out."""
    from alliance.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A request may leave its language active in the thread; start each test in the
    # default language, as a new process would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def organisations(db):
    """The six cities and four ministries of the decision, by slug."""
    return standard_organisations_create()


@pytest.fixture
def alliance(db):
    """The decision, its two bodies with seats, and the cast, as the meetings need."""
    return alliance_create()


# The secretariat's working month: the proposal was due on 30.9.2023.
TODAY = datetime.date(2023, 9, 15)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def fixed_today():
    moment = datetime.datetime(2023, 9, 15, 10, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield TODAY


@pytest.fixture
def world(db, fixed_today):
    """The decision as bootstrap seeds it, the cast, and a row of each kind."""
    bootstrap(demo=False, today=TODAY)
    cast = cast_create(*filter(None, ROLES.values()))
    users = {
        role: cast[username] if username else None for role, username in ROLES.items()
    }
    theme = ThemeFactory(
        title="Työllisyys", lead_organisation=Organisation.objects.get(slug="tem")
    )
    measure = MeasureFactory(
        theme=theme,
        title="Työllisyyspalvelujen yhteiskehittäminen",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    milestone = MilestoneFactory(
        theme=None, measure=measure, due_date=datetime.date(2023, 11, 30)
    )
    indicator = IndicatorFactory(
        theme=theme, name="Työllisyysaste", reported_per_city=True
    )
    helsinki_observation = ObservationFactory(
        indicator=indicator,
        city=Organisation.objects.get(slug="helsinki"),
        period=datetime.date(2023, 4, 1),
        value=Decimal("71.5"),
    )
    helsinki = Organisation.objects.get(slug="helsinki")
    nyholm = users["city-helsinki"]
    helsinki_draft = proposal_create(
        city=helsinki, by=nyholm, title="Datatalouden kokeilut", rationale="Perustelu"
    )
    helsinki_draft_attachment = proposal_attachment_add(
        proposal=helsinki_draft,
        upload=SimpleUploadedFile("liite.pdf", PDF_BYTES, "application/pdf"),
        by=nyholm,
    )
    helsinki_sent = proposal_create(
        city=helsinki,
        by=nyholm,
        title="Kaupunkien datayhteistyö",
        rationale="Perustelu",
    )
    proposal_transition(
        proposal=helsinki_sent, to_status=ThemeProposal.Status.SUBMITTED, by=nyholm
    )
    secretariat = Body.objects.get(kind=Body.Kind.SECRETARIAT)
    return SimpleNamespace(
        users=users,
        theme=theme,
        measure=measure,
        milestone=milestone,
        indicator=indicator,
        helsinki_observation=helsinki_observation,
        helsinki_draft=helsinki_draft,
        helsinki_draft_attachment=helsinki_draft_attachment,
        helsinki_sent=helsinki_sent,
        secretariat=secretariat,
        membership=secretariat.memberships.order_by("order").first(),
        appointment=Appointment.objects.get(),
        organisation=Organisation.objects.get(slug="helsinki"),
        person=secretariat.memberships.order_by("order").first().person,
        task=Appointment.objects.get().tasks.get(number=1),
    )


@pytest.fixture
def as_role(client, world):
    def sign_in(role):
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        return client

    return sign_in
