"""Load test: 50 locust users for 60 s against gunicorn on the scale-1 data.

Run with `make loadtest`. It makes the scale-1 database as `make bench` does
(bench/server.py; `BENCH_REUSE_DATABASES=1` keeps one that holds the synthetic data),
opens a reporting round for the cities, serves the app with gunicorn's workers as
scripts/serve starts them by default (three), runs
bench/locustfile.py headless (the 60 s are counted from when the last user has
signed in), and writes the result under "loadtest" in
bench/results.json and into docs/benchmarks.md. The jobs the chair asks for go to a
queue of their own that no worker reads, emptied afterwards: the load test measures
the web process, not the rendering.
"""

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report, server  # noqa: E402
from bench.run import inside  # noqa: E402

USERS = 50
SPAWN_RATE = 10
SECONDS = 60
# As scripts/serve in production: while one worker waits for PostgreSQL, another
# computes.
WORKERS = 3
SCALE = "1"
SIGN_IN_ALLOWANCE = 600


def main() -> None:
    server.services_ensure()
    port = server.free_port()
    env = server.environment(scale=SCALE, port=port)
    env["CELERY_QUEUE"] = f"{server.QUEUE}-loadtest"
    server.database_prepare(scale=SCALE, env=env)
    server.static_collect(env)
    load_average = round(os.getloadavg()[0], 1)
    with tempfile.TemporaryDirectory() as directory:
        targets = Path(directory) / "targets.json"
        targets.write_text(json.dumps(inside("loadtest_targets", env)))
        output = Path(directory) / "loadtest.json"
        with server.gunicorn(env, port=port, workers=WORKERS) as base_url:
            subprocess.run(
                [
                    str(Path(server.PYTHON).parent / "locust"),
                    "--locustfile",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(SPAWN_RATE),
                    # A guard only: the users end the test SECONDS after the last
                    # one has signed in (bench/locustfile.py).
                    "--run-time",
                    f"{SECONDS + SIGN_IN_ALLOWANCE}s",
                    "--host",
                    base_url,
                    "--only-summary",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env=env
                | {
                    "BENCH_LOADTEST_TARGETS": str(targets),
                    "BENCH_LOADTEST_OUTPUT": str(output),
                    "BENCH_LOADTEST_SECONDS": str(SECONDS),
                },
                check=True,
            )
        stats = json.loads(output.read_text())
    subprocess.run(
        [server.PYTHON, "-m", "celery", "-A", "alliance", "purge", "-f"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    results = report.results_read()
    results["loadtest"] = stats | {
        "users": USERS,
        "spawn_rate": SPAWN_RATE,
        "seconds": SECONDS,
        "workers": WORKERS,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": load_average,
    }
    report.results_write(results)
    if "machine" in results:
        report.report_write(results)
    print(json.dumps(results["loadtest"], indent=2))


if __name__ == "__main__":
    main()
