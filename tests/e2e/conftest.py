"""Browser journeys against the live server, tasks in-process as in `make run`."""

from functools import partial

import pytest

from members.models import User
from tests.e2e.browser import skip_without_chromium, visiting


@pytest.fixture(params=[False, True], ids=["mouse", "keyboard"])
def keyboard_only(request):
    """Every journey runs twice: by mouse, and on the keyboard alone."""
    return request.param


@pytest.fixture
def cast_in_finnish(world):
    """The journeys read the labels of the default language, Finnish, for everyone."""
    User.objects.update(language="fi")
    return world


@pytest.fixture
def open_browser(live_server, tmp_path, keyboard_only):
    """Open Chromium with a fresh profile; no ORM calls until it has closed."""
    skip_without_chromium()
    return partial(
        visiting, live_server.url, tmp_path / "profile", keyboard_only=keyboard_only
    )
