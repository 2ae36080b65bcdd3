"""The benchmark's results file and report, from made-up measurements (the bench
itself runs gunicorn and is run by `make bench`, not by the tests)."""

from unittest import mock

import pytest

from bench import report

MACHINE = {
    "cpu_count": 2,
    "cpu_model": "Test CPU",
    "memory_gb": 24.0,
    "python": "3.11.7",
    "postgres": "15.8",
    "load_average": 0.5,
}


def _page(**changes) -> dict:
    row = report.page_row(
        queries={"0.1": 12, "1": 12},
        times_ms=[float(ms) for ms in range(10, 30)],
        bare_ms=[5.0] * 20,
        size=40 * 1024,
    )
    return row | changes


def _results(previous=None) -> dict:
    with mock.patch.object(report, "machine", return_value=MACHINE):
        return report.results_build(
            pages={"dashboard": _page(), "schedule": _page(html_kb=2800.0)},
            bare={
                "median_ms": 5.0,
                "p95_ms": 6.0,
                "requests": 40,
                "requests_per_page": 20,
            },
            documents={
                "agenda_20_items": {"median_s": 0.4, "peak_mb": 180.0},
                "progress_report_100_indicators": {"median_s": 12.0, "peak_mb": 300},
            },
            celery_roundtrip_ms=8.5,
            setup={"database_seconds": {"0.1": 20.0, "1": 90.0}},
            previous=previous or {},
        )


def test_a_page_row_has_the_issues_keys_and_derived_numbers():
    row = _page()

    assert row == {
        "queries": {"0.1": 12, "1": 12},
        "median_ms": 19.5,
        "p95_ms": 28.0,
        "ratio_to_bare": 3.9,
        "html_kb": 40.0,
    }


def test_results_have_the_issues_shape_and_keep_the_load_test():
    loadtest = {"requests": 1000}

    results = _results(previous={"loadtest": loadtest, "pages": {"old": {}}})

    assert list(results)[:5] == [
        "pages",
        "documents",
        "celery_roundtrip_ms",
        "machine",
        "date",
    ]
    assert set(results["pages"]) == {"dashboard", "schedule"}
    assert set(results["documents"]["agenda_20_items"]) >= {"median_s", "peak_mb"}
    assert results["machine"] == MACHINE
    assert results["loadtest"] is loadtest


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({}, []),
        (
            {"queries": {"0.1": 12, "1": 30}},
            ["queries differ between the scales", "over 20 queries"],
        ),
        ({"ratio_to_bare": 10.5}, ["median over 10 × bare"]),
        ({"p95_ms": 250.0}, ["p95 not under 250 ms"]),
        ({"html_kb": 300.1}, ["HTML over 300 KB"]),
    ],
)
def test_page_goals_name_what_is_missed(changes, missed):
    assert report.page_goals(_page(**changes)) == missed


def test_the_report_marks_each_goal_and_keeps_the_sections_the_bench_does_not_make():
    results = _results(
        previous={
            "loadtest": {
                "users": 50,
                "spawn_rate": 10,
                "seconds": 60,
                "measured_seconds": 60.2,
                "workers": 2,
                "requests": 1300,
                "failures": 0,
                "successes_per_s": 23.6,
                "p50_ms": 40.0,
                "p95_ms": 300.0,
                "p99_ms": 600.0,
                "date": "2026-12-07T00:00:00+00:00",
                "load_average": 1.0,
                "by_request": {},
            }
        }
    )

    text = report.report_text(results)

    assert "| dashboard | 12 → 12 | 19.5 | 28.0 | 3.9 | 40.0 | met |" in text
    assert "| schedule | 12 → 12 | 19.5 | 28.0 | 3.9 | 2800.0 | NOT met: HTML" in text
    assert "| agenda_20_items | 0.4 |" in text
    assert "NOT met: not under 10 s" in text
    assert "| 1300 | 23.6 | 0 | 40.0 | 300.0 | 600.0 | met |" in text
    assert "## Synthetic data at scale" in text


def test_without_a_load_test_the_report_says_how_to_run_it():
    assert "Not run yet: `make loadtest`." in report.report_text(_results())


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert report.percentile(values, 0.95) == 95.0
    assert report.percentile([7.0], 0.95) == 7.0
