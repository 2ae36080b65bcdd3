import pytest
from django.utils import translation


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
