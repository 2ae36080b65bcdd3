"""The monitoring charts: drawn by alliance.charts, served as SVG, cached by content."""

import datetime
import io
import re
from decimal import Decimal

import defusedxml.ElementTree as SafeET
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from alliance import charts as alliance_charts
from alliance import pdf
from members.models import Organisation
from monitoring import charts
from monitoring.models import Observation
from monitoring.selectors import city_progress, indicator_overview
from tests.html import rendered_rows
from tests.monitoring.factories import Q2_2024, IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def svg_texts(data: bytes) -> str:
    root = SafeET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return " ".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


def chart_url(indicator, kind="series") -> str:
    return reverse("monitoring:indicator_chart", args=[indicator.pk, kind])


def img_src(page: str, url: str) -> str:
    """Return the src of the page's image whose address starts with `url`."""
    match = re.search(rf'<img src="({re.escape(url)}\?v=[0-9a-f]+)"', page)
    assert match, f"no image {url} in the page"
    return match.group(1).replace("&amp;", "&")


# The charts themselves


def test_the_series_chart_shows_every_column_with_baseline_target_and_path(world):
    with translation.override("fi"):
        chart = charts.indicator_series_chart(
            overview=indicator_overview(indicator=world.per_city)
        )
        texts = svg_texts(chart.svg())

    assert "Työllisyysaste" in chart.title
    # A city without values has no line, and no key entry.
    for label in ("Valtakunnallinen", "Helsinki", "Espoo", "Lähtötaso"):
        assert label in texts
    assert "Tampere" not in texts
    assert "Tavoite" in texts and "Odotettu kehitys" in texts
    # The text alternative gives the baseline, the target and the latest values.
    assert "31.12.2023" in chart.description and "31.12.2025" in chart.description
    assert "120" in chart.description  # national
    assert "Helsinki 130 % (2024-Q1)" in chart.description
    assert "Tampere: ei arvoja" in chart.description


def test_the_city_charts_draw_one_plot_per_column(world):
    with translation.override("en"):
        chart = charts.indicator_city_charts(
            overview=indicator_overview(indicator=world.per_city)
        )
        texts = svg_texts(chart.svg())

    for city in ("National", "Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu"):
        assert city in texts
    assert chart.title == "Työllisyysaste by city"


def test_an_indicator_without_values_has_a_chart_that_says_so(world):
    with translation.override("en"):
        chart = charts.indicator_series_chart(
            overview=indicator_overview(indicator=world.national_only)
        )

    assert "No national values have been recorded yet." in chart.description
    assert chart.svg().startswith(b"<?xml")


def test_values_before_the_baseline_widen_the_time_axis(world):
    ObservationFactory(
        indicator=world.national_only, period=datetime.date(2020, 10, 1), value=50
    )
    with translation.override("en"):
        chart = charts.indicator_series_chart(
            overview=indicator_overview(indicator=world.national_only)
        )

    assert "2021" in svg_texts(chart.svg())


def test_the_city_overview_chart_shows_each_indicator_reported_per_city(world):
    helsinki = world.organisations["helsinki"]
    with translation.override("en"):
        chart = charts.city_overview_chart(
            city=helsinki, items=city_progress(city=helsinki)
        )
        texts = svg_texts(chart.svg())

    assert "Työllisyysaste" in texts
    assert "Avoimet työpaikat" not in texts  # national only
    # Helsinki 130 from 100 towards 200: 30 % of the way.
    assert "Työllisyysaste: 30\xa0% of the way to the target" in chart.description


def test_a_chart_key_changes_with_a_value_and_only_then(world):
    def key():
        return charts.indicator_series_chart(
            overview=indicator_overview(indicator=world.per_city)
        ).key

    before = key()
    assert key() == before
    Observation.objects.filter(pk=world.helsinki_value.pk).update(value=131)
    assert key() != before


# The chart views


def test_the_page_shows_its_charts_as_images_with_text_alternatives(client, world):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = "en"

    page = client.get(world.per_city.get_absolute_url()).content.decode()

    series = img_src(page, chart_url(world.per_city))
    img_src(page, chart_url(world.per_city, "cities"))
    alt = re.search(
        rf'<img src="{re.escape(series)}" alt="([^"]+)"', page.replace("&amp;", "&")
    ).group(1)
    assert "Baseline 100" in alt
    assert "Työllisyysaste: values over time" in page  # the caption
    assert 'href="#values-heading"' in page  # the table of the same numbers
    # An indicator reported nationally only has no small multiples.
    page = client.get(world.national_only.get_absolute_url()).content.decode()
    img_src(page, chart_url(world.national_only))
    assert chart_url(world.national_only, "cities") not in page


def test_the_chart_view_answers_the_svg_the_page_links_to(client, world):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = "fi"
    page = client.get(world.per_city.get_absolute_url()).content.decode()

    response = client.get(img_src(page, chart_url(world.per_city)))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert "Helsinki" in svg_texts(response.content)
    # The browser asks again with the ETag: nothing is sent.
    again = client.get(
        img_src(page, chart_url(world.per_city)),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304
    assert again.content == b""


def test_the_chart_changes_when_a_value_changes(client, world):
    client.force_login(world.users["staff"])
    page = client.get(world.per_city.get_absolute_url()).content.decode()
    before_url = img_src(page, chart_url(world.per_city))
    before = client.get(before_url)

    Observation.objects.filter(pk=world.national_value.pk).update(
        value=Decimal("187.5")
    )
    page = client.get(world.per_city.get_absolute_url()).content.decode()
    after_url = img_src(page, chart_url(world.per_city))
    after = client.get(after_url)

    assert after_url != before_url
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    # The old address now answers the new chart, to be checked again each time.
    stale = client.get(before_url)
    assert stale.content == after.content
    assert stale["Cache-Control"] == "private, no-cache"
    # The old ETag no longer matches.
    assert client.get(after_url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_the_drawing_is_cached_by_content(client, world, monkeypatch):
    client.force_login(world.users["observer"])
    drawn = []
    original = alliance_charts.Chart.svg

    def counting(self):
        drawn.append(self.key)
        return original(self)

    monkeypatch.setattr(alliance_charts.Chart, "svg", counting)

    first = client.get(chart_url(world.per_city))
    second = client.get(chart_url(world.per_city))

    assert first.content == second.content
    assert len(drawn) == 1


def test_a_new_value_appears_in_the_chart(client, world):
    client.force_login(world.users["observer"])
    client.cookies["django_language"] = "en"
    ObservationFactory(indicator=world.per_city, period=Q2_2024, value=Decimal("140"))

    response = client.get(chart_url(world.per_city))

    assert b"2024-Q2" in response.content  # in the text alternative


def test_anonymous_users_are_sent_to_sign_in(client, world):
    response = client.get(chart_url(world.per_city))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, world):
    client.force_login(world.users["norole"])

    assert client.get(chart_url(world.per_city)).status_code == 403
    assert (
        client.get(reverse("monitoring:city_chart", args=["helsinki"])).status_code
        == 403
    )


def test_what_does_not_exist_is_not_found(client, world):
    client.force_login(world.users["observer"])

    assert client.get(chart_url(world.per_city, "pie")).status_code == 404
    assert client.get(chart_url(world.national_only, "cities")).status_code == 404
    missing = reverse("monitoring:indicator_chart", args=[999999, "series"])
    assert client.get(missing).status_code == 404
    # A ministry is no city; an unknown city is none either.
    for slug in ("tem", "nowhere"):
        url = reverse("monitoring:city_chart", args=[slug])
        assert client.get(url).status_code == 404
        url = reverse("monitoring:city_overview", args=[slug])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "v=xyz",
        "v=" + "0" * 31,
        "v=" + "0" * 33,
        "v=%00",
        "v=" + "a" * 5000,
        "v=ABCDEF0123456789ABCDEF0123456789",
    ],
)
def test_hostile_parameters_are_refused(client, world, query):
    client.force_login(world.users["observer"])

    for url in (
        chart_url(world.per_city),
        reverse("monitoring:city_chart", args=["helsinki"]),
    ):
        assert client.get(f"{url}?{query}").status_code == 400


def test_hostile_paths_are_not_found(client, world):
    client.force_login(world.users["observer"])

    base = reverse("monitoring:indicator_detail", args=[world.per_city.pk])
    for path in ("charts/..%2Fseries.svg", "charts/series.png", "charts/%00.svg"):
        assert client.get(base + path).status_code == 404


def test_a_chart_is_only_read(client, world):
    client.force_login(world.users["staff"])

    assert client.post(chart_url(world.per_city)).status_code == 405


# The city overview


def test_a_city_page_shows_its_chart_and_a_table_of_the_same_numbers(client, world):
    client.force_login(world.users["espoo"])
    client.cookies["django_language"] = "en"

    page = client.get(
        reverse("monitoring:city_overview", args=["helsinki"])
    ).content.decode()

    src = img_src(page, reverse("monitoring:city_chart", args=["helsinki"]))
    assert "Helsinki: progress towards the targets" in page
    table = page.split('id="city-progress-heading"')[1].split("</table>")[0]
    assert "Työllisyysaste" in table and "130 %" in table and "30\xa0%" in table
    assert "Avoimet työpaikat" not in table
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "Työllisyysaste" in svg_texts(response.content)


@pytest.mark.parametrize("count", [2, 20])
def test_the_city_page_runs_a_fixed_number_of_queries(
    count, client, world, django_assert_max_num_queries
):
    helsinki = world.organisations["helsinki"]
    for index in range(count):
        indicator = IndicatorFactory(theme=world.theme, reported_per_city=True)
        ObservationFactory(indicator=indicator, city=helsinki, value=100 + index)
    client.force_login(world.users["helsinki"])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("monitoring:city_overview", args=["helsinki"]))

    assert response.status_code == 200
    assert rendered_rows(response, "indicator") == count + 1


@pytest.mark.parametrize("periods", [4, 40])
def test_the_chart_view_runs_a_fixed_number_of_queries(
    periods, client, world, django_assert_max_num_queries
):
    cities = [None, *Organisation.objects.filter(kind=Organisation.Kind.CITY)]
    Observation.objects.bulk_create(
        Observation(
            indicator=world.per_city,
            period=datetime.date(2025 + index // 4, index % 4 * 3 + 1, 1),
            city=city,
            value=Decimal(100 + index),
        )
        for index in range(periods)
        for city in cities
    )
    client.force_login(world.users["helsinki"])

    with django_assert_max_num_queries(8):
        response = client.get(chart_url(world.per_city, "cities"))

    assert response.status_code == 200


# The same charts in a PDF


def test_a_pdf_document_embeds_an_indicator_chart(world, settings, tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "indicator_chart.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<img src="chart:indicator" alt="{{ chart.description }}">'
        "{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with translation.override("fi"):
        chart = charts.indicator_series_chart(
            overview=indicator_overview(indicator=world.per_city)
        )
    fetcher = pdf.StaticFilesFetcher()
    context = {"language": "fi", "title": "Testi", "header": {}, "chart": chart}

    data = pdf.render_pdf(
        "pdf/indicator_chart.html",
        context,
        fetcher=fetcher,
        charts={"indicator": alliance_charts.svg_cached(chart)},
    )

    assert fetcher.served[-1] == "chart:indicator"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Helsinki" in text and "Odotettu kehitys" in text


def test_a_city_s_organisation_page_links_to_its_overview(client, world):
    client.force_login(world.users["observer"])
    helsinki = world.organisations["helsinki"]
    tem = world.organisations["tem"]
    overview = reverse("monitoring:city_overview", args=["helsinki"])
    prefix = overview.removesuffix("helsinki/")

    assert overview in client.get(helsinki.get_absolute_url()).content.decode()
    assert prefix not in client.get(tem.get_absolute_url()).content.decode()
