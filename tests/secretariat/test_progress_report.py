"""The progress report: read back from its PDF, made by a job, asked for on a page."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from alliance.models import Job
from members.models import Organisation
from monitoring.services import city_report_complete, round_open
from secretariat import document_services, documents, progress_report
from secretariat.progress_report import Scope, report_period
from tests.monitoring.factories import IndicatorFactory, ObservationFactory
from tests.themes.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

Q4_2023 = datetime.date(2023, 10, 1)
Q1_2024 = datetime.date(2024, 1, 1)
Q2_2024 = datetime.date(2024, 4, 1)


@pytest.fixture
def report_world(world):
    """Two indicators with values up to 2024-Q2, a round of 2024-Q1, milestones."""
    cities = {c.slug: c for c in Organisation.objects.filter(kind="city")}
    rate = world.indicator  # Työllisyysaste, reported per city
    rate.baseline_value, rate.target_value = Decimal(60), Decimal(80)
    rate.save()
    vacancies = IndicatorFactory(
        theme=None, measure=world.measure, name="Avoimet työpaikat", unit="kpl"
    )
    for period, national, helsinki, espoo in [
        (Q4_2023, "70.5", "71.25", "69"),
        (Q1_2024, "72.5", "73.75", "68.5"),
        (Q2_2024, "79", "79", "79"),  # after the period: not in the report
    ]:
        ObservationFactory(indicator=rate, period=period, value=Decimal(national))
        ObservationFactory(
            indicator=rate,
            period=period,
            value=Decimal(helsinki),
            city=cities["helsinki"],
        )
        ObservationFactory(
            indicator=rate, period=period, value=Decimal(espoo), city=cities["espoo"]
        )
    ObservationFactory(indicator=vacancies, period=Q4_2023, value=Decimal("125"))
    round = round_open(
        period=Q1_2024,
        frequency="quarterly",
        due_date=datetime.date(2024, 4, 15),
        indicators=[rate],
        by=None,
    )
    city_report_complete(round=round, city=cities["helsinki"], by=None)
    MilestoneFactory(
        theme=world.theme, title="Väliraportti", due_date=datetime.date(2024, 2, 15)
    )
    MilestoneFactory(
        theme=world.theme, title="Loppuraportti", due_date=datetime.date(2025, 2, 15)
    )
    world.vacancies = vacancies
    world.cities = cities
    return world


def pdf_text(data: bytes) -> tuple[str, list[str]]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return "\n".join(pages), pages


def render(scope, period="2024-Q1", language="fi", foreword=""):
    document = progress_report.progress_report_document(
        scope=scope,
        period=report_period(period),
        foreword=foreword,
        language=language,
        today=datetime.date(2024, 4, 20),
    )
    return document, documents.document_render(document)


def test_report_of_all_themes_reads_back(report_world):
    document, data = render(
        progress_report.ReportScope(kind=Scope.ALL),
        foreword="Sihteeristö esittää seurannan tulokset.",
    )
    text, pages = pdf_text(data)
    flat = re.sub(r"\s+", " ", text)
    count = len(pages)
    for number, page in enumerate(pages, 1):
        assert re.search(rf"(^|\s){number} \({count}\)(\s|$)", page), page[:300]
        assert "SEURANTARAPORTTI 2024-Q1" in page
    # The cover: the scope, the period and the date.
    assert "Kaikki teemat" in flat
    assert "2024-Q1 (1.1.2024–31.3.2024)" in flat
    assert "20.4.2024" in flat
    assert "Sihteeristö esittää seurannan tulokset." in flat
    # Each indicator with its latest values at the end of the period, by city.
    assert "Työllisyysaste" in flat
    assert "Avoimet työpaikat" in flat
    assert "72,5" in flat  # national, 2024-Q1
    assert "73,75" in flat  # Helsinki
    assert "68,5" in flat  # Espoo
    assert "125" in flat
    assert " 79 " not in flat  # 2024-Q2 is after the period
    # One chart per indicator.
    assert len(document.charts) == 2
    assert len(document.context["indicators"]) == 2
    # Milestones due or missed in the period, the round's completeness by city.
    assert "Väliraportti" in flat
    assert "Loppuraportti" not in flat
    assert "Helsinki" in flat and "Espoo" in flat
    assert "1 / 1" in flat and "0 / 1" in flat


def test_report_of_one_city_in_swedish_holds_that_city_only(report_world):
    helsinki = report_world.cities["helsinki"]
    document, data = render(
        progress_report.ReportScope(kind=Scope.CITY, city=helsinki), language="sv"
    )
    flat = re.sub(r"\s+", " ", pdf_text(data)[0])
    assert "UPPFÖLJNINGSRAPPORT 2024-Q1" in flat
    assert "Stad: Helsingfors" in flat
    assert "73,75" in flat
    assert "68,5" not in flat  # Espoo's value
    assert "Avoimet työpaikat" not in flat  # not reported per city
    assert [row["name"] for row in document.context["indicators"][0]["rows"]] == [
        "Nationellt",
        "Helsingfors",
    ]


def test_report_of_one_theme(report_world):
    other = IndicatorFactory(name="Muun teeman mittari")
    _, data = render(
        progress_report.ReportScope(kind=Scope.THEME, theme=report_world.theme),
        period="2024",
    )
    flat = re.sub(r"\s+", " ", pdf_text(data)[0])
    assert "Teema: Työllisyys" in flat
    assert "2024 (1.1.2024–31.12.2024)" in flat
    assert "Työllisyysaste" in flat
    assert other.name not in flat


def test_charts_are_cached_by_what_they_draw(report_world):
    cache.clear()
    document, _ = render(progress_report.ReportScope(kind=Scope.ALL))
    keys = list(document.charts)
    assert all(cache.get(chart.cache_key) for chart in document.charts.values())
    assert all(
        cache.get(chart.cache_key).startswith(b"\xff\xd8\xff")
        for chart in document.charts.values()
    )
    again, _ = render(progress_report.ReportScope(kind=Scope.ALL))
    assert list(again.charts) == keys
    ObservationFactory(
        indicator=report_world.vacancies, period=Q1_2024, value=Decimal("130")
    )
    changed, _ = render(progress_report.ReportScope(kind=Scope.ALL))
    first, second = list(changed.charts)
    assert first == keys[0]
    assert second != keys[1]


@pytest.mark.parametrize(
    "text, label",
    [
        ("2024-Q1", "2024-Q1"),
        ("2024", "2024"),
        ("2024-03", "2024-03"),
        ("Q2/2024", "2024-Q2"),
    ],
)
def test_periods(text, label):
    assert report_period(text).label == label


# The request page and the job


def test_staff_ask_for_a_report_and_open_it(
    client, report_world, django_capture_on_commit_callbacks
):
    staff = report_world.users["staff"]
    staff.language = "sv"
    staff.save()
    client.force_login(staff)
    url = reverse("secretariat:progress_reports")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "scope": "city",
                "city": report_world.cities["helsinki"].pk,
                "theme": "",
                "period": "2024-Q1",
                "foreword": "Förord.",
            },
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="progress_report")
    assert job.state == Job.State.DONE, job.error
    assert job.arguments == {
        "scope": "city",
        "theme_id": None,
        "city_id": report_world.cities["helsinki"].pk,
        "period": "2024-Q1",
        "foreword": "Förord.",
        "language": "sv",
    }
    # The list names the scope and the period; the chair opens the staff's report.
    client.force_login(report_world.users["chair"])
    page = client.get(url).content.decode()
    assert "Helsinki" in page and "2024-Q1" in page
    download = reverse("secretariat:progress_report_download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    flat = re.sub(r"\s+", " ", pdf_text(b"".join(response.streaming_content))[0])
    assert "UPPFÖLJNINGSRAPPORT" in flat and "Förord." in flat


@pytest.mark.parametrize(
    "data, field",
    [
        ({"scope": "theme", "period": "2024-Q1"}, "theme"),
        ({"scope": "city", "period": "2024-Q1", "city": "abc"}, "city"),
        ({"scope": "all", "period": "2024-Q5"}, "period"),
        ({"scope": "all", "period": "x" * 500}, "period"),
        ({"scope": "all", "period": "<script>"}, "period"),
        ({"scope": "everything", "period": "2024"}, "scope"),
        ({"scope": "all", "period": "2024", "foreword": "a\x00b"}, "foreword"),
        ({"scope": "all", "period": "2024", "foreword": "x" * 5001}, "foreword"),
        ({"scope": "city", "period": "2024", "city": "999999"}, "city"),
    ],
)
def test_hostile_input_is_a_form_error(client, report_world, data, field):
    client.force_login(report_world.users["chair"])
    response = client.post(reverse("secretariat:progress_reports"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Job.objects.filter(kind="progress_report").exists()


@pytest.mark.parametrize("role", ["observer", "city-helsinki", "no-role"])
def test_only_the_secretariat_makes_and_reads_reports(client, report_world, role):
    job = document_services.progress_report_request(
        by=report_world.users["chair"], scope="all", period=report_period("2024")
    )
    client.force_login(report_world.users[role])
    assert client.get(reverse("secretariat:progress_reports")).status_code == 403
    download = reverse("secretariat:progress_report_download", args=[job.pk])
    assert client.get(download).status_code == 403
    with pytest.raises(PermissionDenied):
        document_services.progress_report_request(
            by=report_world.users[role], scope="all", period=report_period("2024")
        )


def test_a_report_of_a_theme_removed_since_fails_visibly(report_world):
    job = Job.objects.create(
        kind="progress_report",
        task_name=document_services.PROGRESS_REPORT_TASK,
        arguments={},
    )
    document_services.progress_report_job_run(
        job_id=job.pk,
        scope="theme",
        theme_id=999999,
        city_id=None,
        period="2024",
        foreword="",
        language="fi",
    )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "Teemaa ei ole enää."
