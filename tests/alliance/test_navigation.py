"""The main navigation marks the part of the site the person is in."""

import re

import pytest

from tests.factories import cast_create

pytestmark = pytest.mark.django_db


def _current_links(page: str) -> list[str]:
    navigation = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', navigation)


@pytest.fixture
def signed_in(client, organisations):
    client.force_login(cast_create("voutilainen")["voutilainen"])
    return client


def test_the_front_page_marks_only_the_dashboard(signed_in):
    assert _current_links(signed_in.get("/").content.decode()) == ["/"]


def test_a_page_within_a_part_marks_that_part(signed_in):
    page = signed_in.get("/themes/").content.decode()
    assert _current_links(page) == ["/themes/"]
