import pytest
from django.urls import NoReverseMatch, reverse

from alliance.reversing import id_url


@pytest.mark.parametrize("pk", [1, 7, 10, 123_456_789])
def test_an_id_url_is_what_reverse_gives(pk):
    url_of = id_url("themes:milestone_detail")

    assert url_of(pk) == reverse("themes:milestone_detail", args=[pk])


def test_a_view_without_an_id_in_its_path_is_refused():
    with pytest.raises(NoReverseMatch):
        id_url("secretariat:schedule")
