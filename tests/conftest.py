import shutil
import tempfile

import pytest
from django.utils import translation

HYPOTHESIS_HOME = pytest.StashKey[str]()


def pytest_configure(config):
    """Keep Hypothesis's examples and caches out of the checkout, from collection on."""
    from hypothesis import configuration

    config.stash[HYPOTHESIS_HOME] = tempfile.mkdtemp(prefix="allianssi-hypothesis-")
    configuration.set_hypothesis_home_dir(config.stash[HYPOTHESIS_HOME])


def pytest_unconfigure(config):
    shutil.rmtree(config.stash[HYPOTHESIS_HOME], ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Run tasks in-process whatever CELERY_BROKER_URL says; broker tests opt out."""
    from alliance.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A request may leave its language active in the thread; start each test in the
    # default language, as a new process would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
