"""What the benchmark does inside Django, on one of its databases.

Run by bench/run.py as `python -m bench.inside <step> <output.json>` with the bench's
environment (bench/server.py): `targets` picks the pages' objects, `documents` times
the documents, `proposal_exports` the proposal's export, `celery` the round trip.
Each writes its result as JSON to the output file.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

AGENDA_RENDERS = 5
REPORT_INDICATORS = 100
REPORT_PERIODS = 24
REPORT_PERIOD = "2023-Q3"
PROPOSAL_RENDERS = 2
ROUND_TRIPS = 20
TODAY = date(2023, 10, 2)
SEARCHED = "employment"


def _pinned() -> None:
    """Run this process on one core, so that CPU time is the cost on one core."""
    from django.db import connection

    connection.close()  # the parent's connection is not this process's
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _in_child(target, *args, timeout: int = 1800) -> dict:
    context = get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get(timeout=timeout)
    process.join()
    return result


def _most_history(model) -> int:
    """The pk of the row of `model` with the longest history."""
    from django.db.models import Count

    return (
        model.history.values("id")
        .annotate(entries=Count("history_id"))
        .order_by("-entries", "id")
        .first()["id"]
    )


def _comparison_versions() -> None:
    """Two final versions of the proposal, the second after a change, for the
    comparison page (made from the snapshot, without printing their files)."""
    from django.utils import timezone

    from members.models import User
    from secretariat.models import ModelProposalVersion
    from secretariat.proposal_snapshot import snapshot_build
    from secretariat.selectors import proposal_current

    proposal = proposal_current()
    chair = User.objects.get(username="palonen")
    if ModelProposalVersion.objects.filter(proposal=proposal).exists():
        return
    for number in (1, 2):
        if number == 2:
            section = proposal.sections.order_by("order").first()
            section.body = (section.body or "") + "\n\nMuutettu toiseen versioon."
            section.save(update_fields=["body"])
        at = timezone.now()
        ModelProposalVersion.objects.create(
            proposal=proposal,
            number=number,
            snapshot=snapshot_build(
                proposal=proposal, draft=False, number=number, made_by=chair, at=at
            ),
            created_by=chair,
            created_at=at,
        )


def targets() -> dict:
    """Each measured page: its address and who asks, objects with much history."""
    from django.db.models import Count
    from django.urls import reverse

    from members.models import User
    from monitoring.models import Indicator, ReportingRound
    from secretariat.meetings.models import Meeting
    from themes.models import Measure, Theme
    from themes.proposals.models import ThemeProposal

    _comparison_versions()
    meeting = (
        Meeting.objects.annotate(items=Count("agenda_items"))
        .order_by("-items", "-pk")
        .first()
    )
    round_ = ReportingRound.objects.order_by("-period", "-pk").first()
    chair = User.objects.get(username="palonen")
    pages = {
        "dashboard": reverse("secretariat:dashboard"),
        "theme_list": reverse("themes:theme_list"),
        "theme_detail": reverse("themes:theme_detail", args=[_most_history(Theme)]),
        "measure_detail": reverse(
            "themes:measure_detail", args=[_most_history(Measure)]
        ),
        "indicator_list": reverse("monitoring:indicator_list"),
        "indicator_detail": reverse(
            "monitoring:indicator_detail", args=[_most_history(Indicator)]
        ),
        "city_reporting": reverse(
            "monitoring:city_round", args=[round_.pk, "helsinki"]
        ),
        "proposal_list": reverse("theme_proposals:proposal_list"),
        "proposal_detail": reverse(
            "theme_proposals:proposal_detail", args=[_most_history(ThemeProposal)]
        ),
        "review_queue": reverse("theme_proposals:proposal_review_queue"),
        "schedule": reverse("secretariat:schedule"),
        "meeting_list": reverse("meetings:meeting_list"),
        "meeting_detail": reverse("meetings:meeting_detail", args=[meeting.pk]),
        "search": reverse("secretariat:search") + f"?q={SEARCHED}",
        "calendar_feed": reverse(
            "secretariat:calendar_feed", args=[chair.calendar_token]
        ),
        "proposal_comparison": reverse("secretariat:proposal_compare") + "?from=1&to=2",
    }
    return {
        name: {"url": url, "user": "nyholm" if name == "city_reporting" else "palonen"}
        for name, url in pages.items()
    }


def _meeting_with_items(count: int) -> int:
    """A cooperation group meeting with `count` agenda items of realistic length."""
    from django.utils import timezone

    from members.models import Body
    from secretariat.meetings.models import AgendaItem, Meeting

    group = Body.objects.get(kind=Body.Kind.COOPERATION_GROUP)
    meeting = Meeting.objects.create(
        body=group,
        number=9000 + count,
        starts_at=timezone.make_aware(datetime(2023, 11, 14, 9)),
        ends_at=timezone.make_aware(datetime(2023, 11, 14, 12)),
        place="Valtioneuvoston linna, Snellmaninkatu 1, Helsinki",
    )
    text = (
        "Sihteeristö on valmistellut hallitusohjelman mukaisen esityksen valtion ja "
        "suurten kaupunkien yhteistyömallista, sen organisoinnista ja tavoitteista "
        "sekä toimeenpanon seurannasta. "
    ) * 3
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=number,
            title=f"Asia {number}: yhteistyömallin teemat ja toimenpiteet",
            presenter="erityisasiantuntija Olli Voutilainen",
            description=text,
            decision_proposal="Yhteistyöryhmä hyväksyy esityksen jatkovalmistelun "
            "pohjaksi.",
        )
        for number in range(1, count + 1)
    )
    return meeting.pk


def _document_child(name: str, meeting_id: int, queue) -> None:
    """Render one meeting document repeatedly on one core."""
    import django

    django.setup()
    from secretariat import documents
    from secretariat.meetings.models import Meeting

    _pinned()
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    build = {
        "agenda": lambda: documents.agenda_document(meeting=meeting),
        "minutes": lambda: documents.minutes_document(meeting=meeting),
    }[name]
    documents.document_render(build())  # warm-up: fonts, templates
    cpu, wall = [], []
    for _ in range(AGENDA_RENDERS):
        started, started_cpu = time.perf_counter(), time.process_time()
        documents.document_render(build())
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    queue.put({"cpu": cpu, "wall": wall, "peak_mb": _peak_mb()})


def _timed(result: dict, renders: int) -> dict:
    return {
        # CPU time: what the render costs on one core, whatever else the machine runs.
        "median_s": round(statistics.median(result["cpu"]), 3),
        "median_wall_s": round(statistics.median(result["wall"]), 3),
        "peak_mb": result["peak_mb"],
        "renders": renders,
    }


def _report_theme() -> int:
    """A theme of 100 indicators reported per city, 24 quarters of values each."""
    import random
    from decimal import Decimal

    from members.models import Organisation
    from monitoring.models import Indicator, Observation
    from themes.models import Theme

    generator = random.Random(12)
    lead = Organisation.objects.get(slug="tem")
    cities = list(Organisation.objects.filter(kind=Organisation.Kind.CITY)[:6])
    theme = Theme.objects.create(
        title="Seurannan suorituskykyteema", lead_organisation=lead, order=9999
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            theme=theme,
            name=f"Mittari {number:03d}: työllisyysasteen kehitys kaupungeittain",
            unit="%",
            baseline_value=Decimal(60),
            baseline_date=date(2017, 9, 30),
            target_value=Decimal(80),
            target_date=date(2027, 12, 31),
            frequency="quarterly",
            responsible_organisation=lead,
            reported_per_city=True,
            order=number,
        )
        for number in range(1, REPORT_INDICATORS + 1)
    )
    # The 24 quarters up to REPORT_PERIOD (2023-Q3).
    quarters = [
        date(2017 + (9 + 3 * step) // 12, (9 + 3 * step) % 12 + 1, 1)
        for step in range(REPORT_PERIODS)
    ]
    observations = []
    for indicator in indicators:
        for city in [None, *cities]:
            level = 60 + generator.uniform(-3, 3)
            for quarter in quarters:
                level += generator.uniform(-0.4, 0.9)
                observations.append(
                    Observation(
                        indicator=indicator,
                        city=city,
                        period=quarter,
                        value=Decimal(f"{level:.2f}"),
                    )
                )
    Observation.objects.bulk_create(observations, batch_size=2000)
    return theme.pk


def _report_child(theme_id: int, queue) -> None:
    """Make the progress report as the worker does: charts drawn fresh, then cached."""
    import django

    django.setup()
    from secretariat import documents, progress_report
    from themes.models import Theme

    _pinned()
    scope = progress_report.ReportScope(
        kind=progress_report.Scope.THEME, theme=Theme.objects.get(pk=theme_id)
    )
    period = progress_report.report_period(REPORT_PERIOD)

    def make(*, fresh: bool) -> tuple[float, float]:
        if fresh:
            progress_report.chart_cache_clear(
                progress_report.progress_report_document(
                    scope=scope, period=period, today=TODAY
                )
            )
        started, started_cpu = time.perf_counter(), time.process_time()
        document = progress_report.progress_report_document(
            scope=scope, period=period, today=TODAY
        )
        documents.document_render(document)
        return time.process_time() - started_cpu, time.perf_counter() - started

    make(fresh=True)  # warm-up: fonts, templates, matplotlib
    fresh = make(fresh=True)
    cached = make(fresh=False)
    queue.put({"fresh": fresh, "cached": cached, "peak_mb": _peak_mb()})


def documents() -> dict:
    from secretariat.meetings.models import AgendaItem, Meeting

    results = {}
    for count in (20, 100):
        meeting_id = _meeting_with_items(count)
        results[f"agenda_{count}_items"] = _timed(
            _in_child(_document_child, "agenda", meeting_id), AGENDA_RENDERS
        )
    held = (
        Meeting.objects.filter(status=Meeting.Status.MINUTES_APPROVED)
        .order_by("-starts_at")
        .first()
    )
    results["minutes"] = _timed(
        _in_child(_document_child, "minutes", held.pk), AGENDA_RENDERS
    ) | {"agenda_items": AgendaItem.objects.filter(meeting=held).count()}
    report = _in_child(_report_child, _report_theme())
    results["progress_report_100_indicators"] = {
        # The report with its charts drawn afresh, as the first one of a period is.
        "median_s": round(report["fresh"][0], 3),
        "median_wall_s": round(report["fresh"][1], 3),
        "cached_s": round(report["cached"][0], 3),
        "cached_wall_s": round(report["cached"][1], 3),
        "peak_mb": report["peak_mb"],
        "renders": 1,
    }
    return results


def _proposal_child(format: str, queue) -> None:
    """Export the proposal repeatedly on one core: snapshot, then the file."""
    import django

    django.setup()
    from django.utils import timezone

    from secretariat.proposal_snapshot import snapshot_build
    from secretariat.proposal_versions import proposal_render
    from secretariat.selectors import proposal_current

    _pinned()
    proposal = proposal_current()

    def export() -> bytes:
        snapshot = snapshot_build(
            proposal=proposal, draft=False, number=1, made_by=None, at=timezone.now()
        )
        return proposal_render(snapshot, format)

    size = len(export())  # warm-up: fonts, templates, matplotlib
    cpu, wall = [], []
    for _ in range(PROPOSAL_RENDERS):
        started, started_cpu = time.perf_counter(), time.process_time()
        export()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    queue.put({"cpu": cpu, "wall": wall, "peak_mb": _peak_mb(), "size": size})


def _proposal_text_write() -> None:
    """A text in each section of the proposal and a summary."""
    from secretariat.models import ModelProposal
    from secretariat.selectors import proposal_current

    proposal = proposal_current()
    text = (
        "Sihteeristö esittää, että valtio ja kuusi suurinta kaupunkia sopivat "
        "**yhteistyöallianssista**. Malli kuvataan tässä luvussa.\n\n"
        "- Työllisyys ja osaaminen\n- Kestävä kaupunkikehitys\n\n"
        "| Vaihe | Aikataulu |\n| --- | --- |\n| Käynnistys | 2024 |\n"
    ) * 2
    proposal.sections.filter(body="").update(body=text)
    ModelProposal.objects.filter(pk=proposal.pk, summary="").update(summary=text)


def proposal_exports() -> dict:
    from monitoring.models import Indicator
    from themes.models import Measure, Milestone, Theme

    _proposal_text_write()
    content = {
        "themes": Theme.objects.count(),
        "measures": Measure.objects.count(),
        "milestones": Milestone.objects.count(),
        "indicators": Indicator.objects.count(),
    }
    results = {}
    for format in ("pdf", "docx"):
        result = _in_child(_proposal_child, format)
        results[f"proposal_export_{format}"] = _timed(result, PROPOSAL_RENDERS) | {
            "bytes": result["size"],
            "content": content,
        }
    return results


def celery() -> dict:
    from django.conf import settings

    from alliance.models import Job
    from alliance.services import job_enqueue

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alliance",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:

        def run_once(timeout: float) -> float:
            started = time.perf_counter()
            job = job_enqueue(kind="ping", task_name="alliance.ping")
            while time.perf_counter() - started < timeout:
                if Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists():
                    return time.perf_counter() - started
                time.sleep(0.002)
            raise RuntimeError("the worker did not answer")

        run_once(timeout=120)  # the worker is up once it answers
        times = [run_once(timeout=30) for _ in range(ROUND_TRIPS)]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {"celery_roundtrip_ms": round(statistics.median(times) * 1000, 1)}


def loadtest_targets() -> dict:
    """What the load test's users work on: an open reporting round for the cities,
    measures for the staff to edit, meetings and proposals to look at."""
    from datetime import timedelta

    from members.models import User
    from monitoring.models import ReportingRound
    from monitoring.services import round_open
    from secretariat.meetings.models import Meeting
    from themes.models import Measure, Theme
    from themes.proposals.models import ThemeProposal

    chair = User.objects.get(username="palonen")
    latest = ReportingRound.objects.order_by("-period", "-pk").first()
    open_round = ReportingRound.objects.filter(
        status=ReportingRound.Status.OPEN
    ).first() or round_open(
        period=(latest.period + timedelta(days=100)).replace(day=1),
        frequency=latest.frequency,
        due_date=latest.period + timedelta(days=200),
        indicators=list(latest.indicators.all()),
        by=chair,
    )
    return {
        "round": open_round.pk,
        "measures": list(
            Measure.objects.order_by("pk").values_list("pk", flat=True)[:500]
        ),
        "meetings": list(
            Meeting.objects.order_by("-starts_at").values_list("pk", flat=True)[:50]
        ),
        # A draft, or one returned for revision, is its city's own (and the
        # secretariat's); the others are seen by every city.
        "proposals": list(
            ThemeProposal.objects.exclude(
                status__in=[
                    ThemeProposal.Status.DRAFT,
                    ThemeProposal.Status.RETURNED,
                ]
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:100]
        ),
        "themes": list(Theme.objects.order_by("pk").values_list("pk", flat=True)),
    }


STEPS = {
    "loadtest_targets": loadtest_targets,
    "targets": targets,
    "documents": documents,
    "proposal_exports": proposal_exports,
    "celery": celery,
}


def main() -> None:
    step, output = sys.argv[1], Path(sys.argv[2])
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    django.setup()
    output.write_text(json.dumps(STEPS[step](), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
