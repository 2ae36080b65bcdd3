"""Benchmark through gunicorn at two sizes: pages, documents, the Celery round trip.

Run with `make bench`. For scale 0.1 and scale 1 it makes a PostgreSQL database of
its own (bench/server.py), serves it with gunicorn as in production with one worker,
and asks for each main page as a signed-in user, interleaved with the bare sign-in
page. It stops with an error when a page does not answer 200 with its heading. Then
it times the documents and the Celery round trip, and writes bench/results.json and
docs/benchmarks.md (bench/report.py). `BENCH_REUSE_DATABASES=1` keeps databases
that already hold the synthetic data, for trying the bench itself out.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report, server  # noqa: E402

WARM_UP_REQUESTS = 2
PAGE_REQUESTS = 15


class PageFailed(Exception):
    """A measured page did not answer as it should."""


def inside(step: str, env: dict) -> dict:
    """Run a step of bench/inside.py with `env`; return what it wrote."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "result.json"
        subprocess.run(
            [server.PYTHON, "-m", "bench.inside", step, str(output)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        return json.loads(output.read_text())


def page_checked(name: str, url: str, response) -> None:
    """Stop unless the page answered 200 showing its heading (the feed: a calendar)."""
    if response.status_code != 200:
        raise PageFailed(f"{name} ({url}) answered {response.status_code}")
    if name == "calendar_feed":
        if not response.headers.get("Content-Type", "").startswith(
            "text/calendar"
        ) or not response.content.startswith(b"BEGIN:VCALENDAR"):
            raise PageFailed(f"{name} ({url}) is not a calendar")
    elif not server.H1.search(response.text):
        raise PageFailed(f"{name} ({url}) shows no <h1>")


def timed_get(session, url: str):
    started = time.perf_counter()
    response = session.get(url, allow_redirects=False, timeout=120)
    return (time.perf_counter() - started) * 1000, response


def pages_measure(base_url: str, targets: dict, *, timed: bool) -> dict:
    """Each page's query count; with `timed`, its times and the bare view's too."""
    sessions = {
        user: server.signed_in(base_url, user)
        for user in {target["user"] for target in targets.values()}
    }
    anonymous = server.requests.Session()
    measured = {}
    bare_all = []
    for name, target in targets.items():
        url = base_url + target["url"]
        session = sessions[target["user"]]
        for _ in range(WARM_UP_REQUESTS):
            _, response = timed_get(session, url)
            page_checked(name, url, response)
        entry = {"queries": int(response.headers["X-Query-Count"])}
        if timed:
            times, bare = [], []
            for _ in range(PAGE_REQUESTS):
                elapsed, response = timed_get(session, url)
                page_checked(name, url, response)
                times.append(elapsed)
                elapsed, bare_response = timed_get(anonymous, f"{base_url}/login/")
                page_checked("bare", "/login/", bare_response)
                bare.append(elapsed)
            entry |= {"times": times, "bare": bare, "size": len(response.content)}
            bare_all += bare
        measured[name] = entry
        print(f"  {name}: {entry['queries']} queries", flush=True)
    return {"pages": measured, "bare": bare_all}


def main() -> None:
    server.services_ensure()
    previous = report.results_read()
    port = server.free_port()
    environments = {
        scale: server.environment(scale=scale, port=port, query_count=True)
        for scale in report.SCALES
    }
    secret = environments["0.1"]["SECRET_KEY"]
    for env in environments.values():
        env["SECRET_KEY"] = env["BENCH_SECRET_KEY"] = secret
    server.static_collect(environments["0.1"])
    setup = {"database_seconds": {}}
    measured = {}
    documents = {}
    for scale, env in environments.items():
        seconds = server.database_prepare(scale=scale, env=env)
        if seconds is not None:
            setup["database_seconds"][scale] = seconds
        targets = inside("targets", env)
        print(f"Scale {scale}: pages", flush=True)
        with server.gunicorn(env, port=port) as base_url:
            measured[scale] = pages_measure(base_url, targets, timed=scale == "1")
        if scale == "0.1":
            print("Scale 0.1: the proposal's export", flush=True)
            documents |= inside("proposal_exports", env)
    print("Scale 1: documents", flush=True)
    documents = inside("documents", environments["1"]) | documents
    print("Celery round trip", flush=True)
    celery = inside("celery", environments["1"])["celery_roundtrip_ms"]

    large = measured["1"]
    pages = {
        name: report.page_row(
            queries={
                scale: measured[scale]["pages"][name]["queries"]
                for scale in report.SCALES
            },
            times_ms=entry["times"],
            bare_ms=entry["bare"],
            size=entry["size"],
        )
        for name, entry in large["pages"].items()
    }
    bare = {
        "median_ms": round(statistics.median(large["bare"]), 1),
        "p95_ms": round(report.percentile(large["bare"], 0.95), 1),
        "requests": len(large["bare"]),
        "requests_per_page": PAGE_REQUESTS,
    }
    results = report.results_build(
        pages=pages,
        bare=bare,
        documents=documents,
        celery_roundtrip_ms=celery,
        setup=setup,
        previous=previous,
    )
    report.results_write(results)
    report.report_write(results)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except PageFailed as failure:
        sys.exit(f"bench: {failure}")
