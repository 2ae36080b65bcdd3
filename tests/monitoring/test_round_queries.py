"""The round table and a city's page of the round read a fixed number of queries,
however many indicators and values the round has."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation
from monitoring import services
from monitoring.models import ReportingRound
from tests.html import rendered_rows
from tests.monitoring.rounds_factories import Q3_2023, rounds_world

pytestmark = pytest.mark.django_db

# The queries of the session, the user and the page's frame are in the bound too.
ROUND_TABLE_QUERIES = 13
CITY_PAGE_QUERIES = 13


def fill(rw, *, every: int):
    """Record every `every`-th value of each city, and complete Helsinki's report."""
    cities = list(Organisation.objects.filter(kind=Organisation.Kind.CITY))
    for index, indicator in enumerate(rw.indicators):
        for city in cities:
            if (index + city.pk) % every == 0:
                services.observation_record(
                    indicator=indicator,
                    period=Q3_2023,
                    city=city,
                    value=Decimal(index),
                    by=None,
                )
    services.city_report_complete(
        round=rw.round, city=rw.helsinki, by=None, confirm_missing=True
    )


@pytest.mark.parametrize("size", [2, 12])
def test_round_table_queries_do_not_grow(
    client, organisations, fixed_today, size, django_assert_max_num_queries
):
    rw = rounds_world(organisations, indicator_count=size)
    fill(rw, every=2)
    client.force_login(rw.users["staff"])
    with django_assert_max_num_queries(ROUND_TABLE_QUERIES):
        response = client.get(reverse("monitoring:round_detail", args=[rw.round.pk]))
    assert response.status_code == 200
    assert rendered_rows(response, "city") == 6
    content = response.content.decode()
    assert (
        content.count('class="badge status--in"')
        + content.count('class="badge status--missing"')
        == 6 * size
    )


@pytest.mark.parametrize("size", [2, 12])
def test_city_page_queries_do_not_grow(
    client, organisations, fixed_today, size, django_assert_max_num_queries
):
    rw = rounds_world(organisations, indicator_count=size)
    fill(rw, every=2)
    client.force_login(rw.users["tampere"])
    url = reverse("monitoring:city_round", args=[rw.round.pk, rw.tampere.slug])
    with django_assert_max_num_queries(CITY_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert rendered_rows(response, "value") == size
    assert rendered_rows(response, "missing") == sum(
        1 for index in range(size) if (index + rw.tampere.pk) % 2
    )


def test_the_numbers_of_queries_are_the_same_at_both_sizes(
    client, organisations, fixed_today
):
    counts = []
    for size in (2, 12):
        rw = rounds_world(organisations, indicator_count=size)
        fill(rw, every=2)
        client.force_login(rw.users["tampere"])
        pages = [
            reverse("monitoring:round_detail", args=[rw.round.pk]),
            reverse("monitoring:city_round", args=[rw.round.pk, rw.tampere.slug]),
            reverse("monitoring:round_list"),
            reverse("secretariat:dashboard"),
        ]
        sizes = []
        client.get(pages[0])  # Caches of the first request are not the page's.
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        counts.append(sizes)
        # The second world opens its own round for the same period.
        ReportingRound.objects.all().delete()
    assert counts[0] == counts[1]
