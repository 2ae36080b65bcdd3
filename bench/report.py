"""The benchmark's results: bench/results.json in the shape the performance goals
are read from, the goals judged, and docs/benchmarks.md written from them."""

import json
import math
import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "docs" / "benchmarks.md"
SCALES = ("0.1", "1")

# The performance goals (read from bench/results.json).
MAX_QUERIES = 20
MAX_RATIO_TO_BARE = 10
MAX_P95_MS = 250
MAX_HTML_KB = 300
LOADTEST_MAX_P95_MS = 500
LOADTEST_MIN_RPS = 22
DOCUMENT_GOALS = {
    # name: (most seconds, most megabytes or None)
    "agenda_20_items": (1, None),
    "agenda_100_items": (3, None),
    "progress_report_100_indicators": (10, 400),
}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at least `share` of all
    values are not above."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def page_row(
    *, queries: dict[str, int], times_ms: list[float], bare_ms: list[float], size: int
) -> dict:
    """One page's entry of results.json from its measurements."""
    median = statistics.median(times_ms)
    return {
        "queries": {scale: queries.get(scale) for scale in SCALES},
        "median_ms": round(median, 1),
        "p95_ms": round(percentile(times_ms, 0.95), 1),
        "ratio_to_bare": round(median / statistics.median(bare_ms), 1),
        "html_kb": round(size / 1024, 1),
    }


def machine() -> dict:
    """What the numbers were measured on."""
    model = ""
    memory_gb = None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "postgres": _postgres_version(),
        "load_average": round(os.getloadavg()[0], 1),
    }


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as db:
            return db.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the report says what it could not find out
        return "unknown"


def results_build(
    *,
    pages: dict,
    bare: dict,
    documents: dict,
    celery_roundtrip_ms: float,
    setup: dict,
    previous: dict,
) -> dict:
    """results.json: the issue's keys, then the bench's own, then what `make
    loadtest` wrote, which the bench keeps."""
    results = {
        "pages": pages,
        "documents": documents,
        "celery_roundtrip_ms": celery_roundtrip_ms,
        "machine": machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "bare": bare,
        "setup": setup,
    }
    if "loadtest" in previous:
        results["loadtest"] = previous["loadtest"]
    return results


def results_read() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def results_write(results: dict) -> None:
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def page_goals(row: dict) -> list[str]:
    """The goals a page misses, in words; empty when it meets them all."""
    missed = []
    counts = [row["queries"].get(scale) for scale in SCALES]
    if None in counts or counts[0] != counts[1]:
        missed.append("queries differ between the scales")
    if any(count is not None and count > MAX_QUERIES for count in counts):
        missed.append(f"over {MAX_QUERIES} queries")
    if row["ratio_to_bare"] > MAX_RATIO_TO_BARE:
        missed.append(f"median over {MAX_RATIO_TO_BARE} × bare")
    if row["p95_ms"] >= MAX_P95_MS:
        missed.append(f"p95 not under {MAX_P95_MS} ms")
    if row["html_kb"] > MAX_HTML_KB:
        missed.append(f"HTML over {MAX_HTML_KB} KB")
    return missed


def loadtest_goals(row: dict) -> list[str]:
    missed = []
    if row["failures"]:
        missed.append("errors")
    if row["p95_ms"] >= LOADTEST_MAX_P95_MS:
        missed.append(f"p95 not under {LOADTEST_MAX_P95_MS} ms")
    if row["successes_per_s"] < LOADTEST_MIN_RPS:
        missed.append(f"under {LOADTEST_MIN_RPS} successful requests a second")
    return missed


def document_goals(name: str, row: dict) -> list[str] | None:
    """The goals a document misses, or None when it has none."""
    if name not in DOCUMENT_GOALS:
        return None
    seconds, megabytes = DOCUMENT_GOALS[name]
    missed = []
    if row["median_s"] >= seconds:
        missed.append(f"not under {seconds} s")
    if megabytes is not None and row["peak_mb"] >= megabytes:
        missed.append(f"not under {megabytes} MB")
    return missed


def _verdict(missed: list[str] | None) -> str:
    if missed is None:
        return "–"
    return "met" if not missed else "NOT met: " + ", ".join(missed)


def report_write(results: dict) -> None:
    """docs/benchmarks.md from the results; the load test's section and the scale
    generator's are rewritten from what they hold, so no run loses them."""
    REPORT.write_text(report_text(results))


def report_text(results: dict) -> str:
    found = results["machine"]
    bare = results["bare"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/run.py) and `make loadtest`",
        "(bench/locustfile.py); the raw numbers are in bench/results.json, which",
        "each run overwrites. The performance goals are read from that file.",
        "",
        f"Last run: {results['date']} on {found['cpu_count']} cores "
        f"({found['cpu_model']}), {found['memory_gb']} GB, Python "
        f"{found['python']}, PostgreSQL {found['postgres']}; load average "
        f"{found['load_average']} when it ended. Other work shared the machine "
        "whenever the load average is above about 1: times measured then are worse "
        "than on a quiet machine, the CPU times of the documents too (the cores' "
        "caches are shared).",
        "",
        "## How",
        "",
        "For each scale, 0.1 and 1, a database of its own on PostgreSQL is made "
        "afresh: migrations, `bootstrap_alliance --demo`, then "
        "`generate_scale_data --scale N --seed 0`. gunicorn serves it as in "
        "production (`DEBUG=0`, static files collected into the manifest storage, "
        "Redis as cache and broker) with one worker on a local port, "
        "`SECURE_SSL_REDIRECT=0`; the bench signs in through the real form and "
        "sends the Secure session and CSRF cookies back over plain http itself. "
        "Each page is asked for by the chair (the city reporting page by Helsinki's "
        "representative), about objects with the longest history; each measured "
        "request is followed by one for the bare view, the sign-in page without a "
        "session, through the same middleware. A response that is not a 200 "
        "showing an `<h1>` (the calendar feed: `text/calendar` with a "
        "`VCALENDAR`) stops the bench. Query counts come from the `X-Query-Count` "
        "header the app adds only when `BENCH_QUERY_COUNT=1`.",
        "",
        f"Setup: {_setup_text(results.get('setup', {}))}.",
        "",
        "## Pages",
        "",
        f"Bare view (sign-in page) at scale 1: median {bare['median_ms']} ms, p95 "
        f"{bare['p95_ms']} ms, over {bare['requests']} requests. Pages: median and "
        f"p95 of {bare['requests_per_page']} requests each at scale 1, after a "
        "warm-up; HTML uncompressed. Goals: the same number of queries at both "
        f"scales and at most {MAX_QUERIES}; median within {MAX_RATIO_TO_BARE} × "
        f"the bare view's; p95 under {MAX_P95_MS} ms; HTML at most {MAX_HTML_KB} "
        "KB.",
        "",
        "| page | queries 0.1 → 1 | median (ms) | p95 (ms) | × bare | HTML (KB) "
        "| goals |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in results["pages"].items():
        queries = row["queries"]
        lines.append(
            f"| {name} | {queries.get('0.1')} → {queries.get('1')} "
            f"| {row['median_ms']} | {row['p95_ms']} | {row['ratio_to_bare']} "
            f"| {row['html_kb']} | {_verdict(page_goals(row))} |"
        )
    lines += [
        "",
        "## Documents",
        "",
        "Rendered (data to file bytes) in a process pinned to one core, after a "
        "warm-up render; `median_s` is CPU time, the cost on one core whatever else "
        "the machine runs, and the goals are judged on it; wall time grows when "
        "other work shares the machine. Peak memory is the rendering process's peak "
        "resident set (Django included). The agendas and the minutes on the scale-1 "
        "database (cooperation group meetings of 20 and 100 items; the latest "
        "synthetic meeting with approved minutes); the progress report of one theme "
        "of 100 indicators × 7 series (national and six cities) × 24 quarters, its "
        "charts drawn afresh (and, for comparison, from the chart cache); the "
        "proposal's export (snapshot, then the file) on the scale-0.1 database, "
        "to keep the bench's time reasonable: the export grows with the content, "
        "and scale 1 has ten times as much.",
        "",
        "| document | median CPU (s) | median wall (s) | peak memory (MB) | renders "
        "| goals |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in results["documents"].items():
        lines.append(
            f"| {name} | {row['median_s']} | {row.get('median_wall_s', '')} "
            f"| {row['peak_mb']} | {row.get('renders', '')} "
            f"| {_verdict(document_goals(name, row))} |"
        )
    report = results["documents"].get("progress_report_100_indicators")
    if report and "cached_s" in report:
        lines += [
            "",
            f"The progress report with its charts from the cache: {report['cached_s']}"
            f" s CPU ({report['cached_wall_s']} s wall).",
        ]
    export = results["documents"].get("proposal_export_pdf")
    if export and "content" in export:
        content = export["content"]
        lines += [
            "",
            f"The proposal exported covers {content['themes']} themes, "
            f"{content['measures']} measures, {content['milestones']} milestones "
            f"and {content['indicators']} indicators; the PDF is "
            f"{round(export['bytes'] / 1024)} KB, the Word file "
            f"{round(results['documents']['proposal_export_docx']['bytes'] / 1024)} "
            "KB.",
        ]
    lines += [
        "",
        "## Celery",
        "",
        "Round trip of a `ping` job (enqueue, Redis, one worker with "
        "`--pool=solo`, the job row done, seen by the web process): median "
        f"{results['celery_roundtrip_ms']} ms over 20 jobs.",
        "",
    ]
    lines += loadtest_lines(results.get("loadtest"))
    lines += SCALE_DATA_SECTION
    return "\n".join(lines) + "\n"


def _setup_text(setup: dict) -> str:
    if not setup:
        return "not recorded"
    return "; ".join(
        f"scale {scale}: database made in {seconds} s"
        for scale, seconds in setup.get("database_seconds", {}).items()
    )


def loadtest_lines(row: dict | None) -> list[str]:
    lines = ["## Load test", ""]
    if not row:
        return [*lines, "Not run yet: `make loadtest`.", ""]
    lines += [
        f"`make loadtest`: locust, headless, {row['users']} users started at "
        f"{row['spawn_rate']} a second, think time 1–3 s, against gunicorn with "
        f"{row['workers']} workers on the scale-1 database (the bench's set-up; "
        "the jobs asked for go to a queue no worker reads, so the rendering does "
        "not share the machine). Each user signs in once through the form, outside "
        "the statistics, and the users wait for each other: the "
        f"{row['seconds']} s measured start when the last one has signed in "
        f"({row['measured_seconds']} s as run). Then each follows its journey: "
        "staff browsing and editing a measure through its form; a city "
        "representative entering a value in the open reporting round and "
        "proposing a theme; the chair looking at meetings, asking for an agenda "
        "and a draft of the proposal (job pages) and comparing the proposal's "
        "versions. Only a 200 showing an `<h1>` (after a form's redirect) counts "
        "as a success.",
        "",
        "| requests | successes a second | failures | p50 (ms) | p95 (ms) | p99 (ms) "
        "| goals |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {row['requests']} | {row['successes_per_s']} | {row['failures']} "
        f"| {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
        f"| {_verdict(loadtest_goals(row))} |",
        "",
        f"Goals: no errors, p95 under {LOADTEST_MAX_P95_MS} ms, at least "
        f"{LOADTEST_MIN_RPS} successful requests a second (50 users thinking "
        f"1–3 s offer 25 at most). Measured {row['date']}, load average "
        f"{row['load_average']} before it started.",
        "",
    ]
    if row.get("by_request"):
        lines += [
            "| request | count | failures | median (ms) | p95 (ms) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, entry in row["by_request"].items():
            lines.append(
                f"| {name} | {entry['requests']} | {entry['failures']} "
                f"| {entry['p50_ms']} | {entry['p95_ms']} |"
            )
        lines.append("")
    if row.get("failure_reasons"):
        lines += ["Failures:", ""]
        lines += [
            f"- {reason}: {count}" for reason, count in row["failure_reasons"].items()
        ]
        lines.append("")
    return lines


# The scale generator is timed by hand; its section survives each bench run.
SCALE_DATA_SECTION = [
    "## Synthetic data at scale",
    "",
    "`manage.py generate_scale_data --scale N [--seed S]` adds synthetic "
    "data to a database that holds the seed (`bootstrap_alliance`; without "
    "it, or with N not a positive decimal, it refuses). Every text starts "
    "with `[Synthetic]`; the seed's rows are not changed. At N=1: 60 "
    "themes, 600 measures, 2 000 milestones, 1 000 indicators × 24 quarters"
    " × 7 series (the national value and the six cities), 24 closed "
    "reporting rounds with the cities' reports, 300 proposals with 4 "
    "comments and 2 small PDF attachments each (stored through the "
    "storage), 100 meetings of both bodies × 15 agenda items with a "
    "published version and, for the held ones, attendance, decisions linked"
    " to themes and measures (the cooperation group's naming the "
    "secretariat's recommendation), approved minutes and publicity records;"
    " 40 nomination requests. A tenth of the themes, measures, milestones, "
    "indicators and matters are edited 40 to 49 times in their history. "
    "Counts are linear in N (rounded, at least one); S (default 0) seeds "
    "the random numbers, so the same S gives the same titles and values. "
    "Rows and their history are written in bulk.",
    "",
    "Measured once at N=1, by hand, on this machine: a fresh database after"
    " `bootstrap_alliance`, the command's own time, a load average of about"
    " 8 on the 2 cores from other work.",
    "",
    "| database | wall (s) | CPU of the command (s) |",
    "| --- | --- | --- |",
    "| SQLite | 65.7 | 32.9 |",
    "| PostgreSQL | 54.1 | 23.3 |",
]
