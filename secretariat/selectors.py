"""Reads of the secretariat app: the appointment and the dashboard."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import CharField, Prefetch, QuerySet, Subquery, Value
from django.utils import timezone, translation

from alliance.models import Job
from alliance.publicity import public_ids
from members.models import Body, Membership
from members.selectors import memberships_active_on
from monitoring.models import Indicator
from monitoring.selectors import (
    IndicatorProgress,
    ProgressStatus,
    indicator_progress_list,
)
from secretariat import proposal_compare
from secretariat.meetings.models import AgendaItem, Meeting
from secretariat.models import (
    Appointment,
    AppointmentTask,
    ModelProposal,
    ModelProposalFile,
    ModelProposalVersion,
    ProposalSection,
)
from secretariat.proposal_snapshot import snapshot_build
from secretariat.publicity import KINDS, DocumentKind
from themes.models import Measure, Milestone, Theme

PROPOSAL_COMPARISON_CACHE_SECONDS = 7 * 24 * 3600

# The deadline is a Finnish date: a version counts on the day it was made in Helsinki.
HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Deadline:
    day: date
    days_left: int
    is_met: bool
    # The day the first final version of the proposal was made, if it was.
    delivered_on: date | None = None

    @property
    def is_missed(self) -> bool:
        if self.delivered_on is not None:
            return not self.is_met
        return self.days_left < 0


def current_appointment() -> Appointment | None:
    """Return the decision the service runs for: the newest one."""
    return (
        Appointment.objects.select_related("issuer", "body", "body__serves")
        .order_by("-date", "-pk")
        .first()
    )


def appointment_tasks(*, appointment: Appointment) -> QuerySet[AppointmentTask]:
    return appointment.tasks.select_related("responsible__person").order_by("number")


def model_proposal_deadline(
    *, appointment: Appointment, today: date
) -> Deadline | None:
    """The proposal deadline with days left.

    Met when the first final version of the proposal was made (in Helsinki time) on
    or before the day; missed when it was made later, or not by the day.
    """
    due = appointment.model_proposal_due
    if due is None:
        return None
    first = (
        ModelProposalVersion.objects.filter(proposal__appointment=appointment)
        .order_by("number")
        .values_list("created_at", flat=True)
        .first()
    )
    delivered_on = first.astimezone(HELSINKI).date() if first else None
    return Deadline(
        day=due,
        days_left=(due - today).days,
        is_met=delivered_on is not None and delivered_on <= due,
        delivered_on=delivered_on,
    )


def indicators_off_track(*, limit: int = 10) -> list[IndicatorProgress]:
    """National progress of the first `limit` indicators off track, in three queries.

    Chosen by their stored status, so that only the ones shown have their values read.
    """
    return indicator_progress_list(
        indicators=Indicator.objects.filter(
            latest_status=ProgressStatus.OFF_TRACK
        ).order_by("order", "name", "pk")[:limit]
    )


# The proposal for the cooperation model


@dataclass(frozen=True)
class ProposalModelCounts:
    """How much of the live model the document adds after the sections' text."""

    themes: int
    measures: int
    milestones: int
    indicators: int


def proposal_current() -> ModelProposal | None:
    """Return the proposal of the current appointment, once bootstrap has made it."""
    newest = Appointment.objects.order_by("-date", "-pk").values("pk")[:1]
    return (
        ModelProposal.objects.select_related("appointment")
        .filter(appointment=Subquery(newest))
        .first()
    )


@dataclass
class ProposalVersionRow:
    """A final version with its files, and the jobs of the files still missing."""

    version: ModelProposalVersion
    files: dict[str, ModelProposalFile]
    jobs: list[Job] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return all(format in self.files for format in ModelProposalFile.Format)

    @property
    def failed_jobs(self) -> list[Job]:
        return [
            job
            for job in self.jobs
            if job.state == Job.State.FAILED
            and job.arguments.get("format") not in self.files
        ]

    @property
    def is_working(self) -> bool:
        return not self.is_complete and not self.failed_jobs


def proposal_version_rows(*, proposal: ModelProposal) -> list[ProposalVersionRow]:
    """The final versions, newest first, PDF before Word: three queries at most."""
    from secretariat.proposal_versions import FILE_TASK

    versions = list(
        ModelProposalVersion.objects.filter(proposal=proposal)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("files", queryset=ModelProposalFile.objects.order_by("-format"))
        )
        .order_by("-number")
    )
    rows = [
        ProposalVersionRow(
            version=version, files={file.format: file for file in version.files.all()}
        )
        for version in versions
    ]
    waiting = {row.version.pk: row for row in rows if not row.is_complete}
    if waiting:
        jobs = Job.objects.filter(
            task_name=FILE_TASK, arguments__version_id__in=list(waiting)
        ).order_by("pk")
        for job in jobs:
            waiting[job.arguments["version_id"]].jobs.append(job)
    return rows


def proposal_file_get(
    *, proposal: ModelProposal, number: int, format: str
) -> ModelProposalFile | None:
    return (
        ModelProposalFile.objects.filter(
            version__proposal=proposal, version__number=number, format=format
        )
        .select_related("version")
        .first()
    )


def proposal_drafts_of(*, user, limit: int = 5) -> list[Job]:
    """The user's latest drafts of the proposal (a job is its requester's)."""
    from secretariat.proposal_versions import DRAFT_TASK

    return list(
        Job.objects.filter(task_name=DRAFT_TASK, requested_by=user)
        .defer("arguments")
        .order_by("-created_at", "-pk")[:limit]
    )


def proposal_sections(*, proposal: ModelProposal) -> QuerySet[ProposalSection]:
    """Return the sections in the order the secretariat set."""
    return proposal.sections.order_by("order", "pk")


def proposal_model_counts() -> ProposalModelCounts:
    return ProposalModelCounts(
        themes=Theme.objects.count(),
        measures=Measure.objects.count(),
        milestones=Milestone.objects.count(),
        indicators=Indicator.objects.count(),
    )


# Comparing versions of the chair's proposal.


def proposal_versions_listed(*, proposal: ModelProposal) -> list[ModelProposalVersion]:
    """The final versions of the proposal, newest first, without their snapshots."""
    return list(
        ModelProposalVersion.objects.filter(proposal=proposal)
        .select_related("created_by")
        .defer("snapshot")
        .order_by("-number")
    )


def proposal_snapshot_for(
    *, proposal: ModelProposal, number: int | None, language: str = "fi"
) -> dict:
    """The snapshot of final version `number`, or of the live model when None.

    The live model is read in the language of the version it is compared with, so
    that labels such as statuses read the same on both sides.
    """
    if number is not None:
        return (
            ModelProposalVersion.objects.filter(proposal=proposal, number=number)
            .values_list("snapshot", flat=True)
            .get()
        )
    return snapshot_build(
        proposal=proposal,
        language=language,
        draft=True,
        number=None,
        made_by=None,
        at=timezone.now(),
    )


def proposal_comparison(
    *, proposal: ModelProposal, old: int | None, new: int | None
) -> proposal_compare.Comparison:
    """What changed from version `old` to version `new` (None: the live model),
    each change with the address of its object where that still exists.

    Final versions are frozen, so the comparison of two of them is made once in each
    language and kept in the cache: reading and comparing two snapshots of the whole
    cooperation model takes most of a request.
    """
    if old is not None and new is not None:
        # Each version as made (a database loaded anew makes its versions anew).
        made = dict(
            ModelProposalVersion.objects.filter(
                proposal=proposal, number__in=[old, new]
            ).values_list("number", "created_at")
        )
        versions = (proposal.pk, old, made.get(old), new, made.get(new))
        key = (
            "secretariat.proposal_comparison:"
            + hashlib.sha256(
                repr((versions, translation.get_language())).encode()
            ).hexdigest()
        )
        comparison = cache.get(key)
        if comparison is None:
            comparison = proposal_compare.snapshot_changes(
                proposal_snapshot_for(proposal=proposal, number=old),
                proposal_snapshot_for(proposal=proposal, number=new),
            )
            cache.set(key, comparison, PROPOSAL_COMPARISON_CACHE_SECONDS)
    else:
        comparison = _comparison_with_live(proposal=proposal, old=old, new=new)
    return comparison.linked(
        proposal_change_links(proposal=proposal, comparison=comparison)
    )


def _comparison_with_live(
    *, proposal: ModelProposal, old: int | None, new: int | None
) -> proposal_compare.Comparison:
    old_snapshot = new_snapshot = None
    if old is not None:
        old_snapshot = proposal_snapshot_for(proposal=proposal, number=old)
    if new is not None:
        new_snapshot = proposal_snapshot_for(proposal=proposal, number=new)
    language = (old_snapshot or new_snapshot or {}).get("language") or "fi"
    if old_snapshot is None:
        old_snapshot = proposal_snapshot_for(
            proposal=proposal, number=None, language=language
        )
    if new_snapshot is None:
        new_snapshot = proposal_snapshot_for(
            proposal=proposal, number=None, language=language
        )
    return proposal_compare.snapshot_changes(old_snapshot, new_snapshot)


def proposal_change_links(
    *, proposal: ModelProposal, comparison: proposal_compare.Comparison
) -> dict[str, str]:
    """The address of each changed object that still exists, by its snapshot key.

    One query for every kind of object; annex rows have no page of their own.
    """
    wanted: dict[str, set[int]] = {}
    for change in comparison.changes:
        prefix, _dash, pk = change.key.rpartition("-")
        if pk.isdigit():
            wanted.setdefault(prefix, set()).add(int(pk))
    querysets = {
        "section": ProposalSection.objects.filter(proposal=proposal),
        "theme": Theme.objects.all(),
        "measure": Measure.objects.all(),
        "milestone": Milestone.objects.all(),
        "indicator": Indicator.objects.all(),
    }
    existing = [
        querysets[prefix]
        .filter(pk__in=pks)
        .annotate(snapshot_prefix=Value(prefix, output_field=CharField()))
        .order_by()
        .values_list("snapshot_prefix", "pk")
        for prefix, pks in wanted.items()
        if prefix in querysets
    ]
    links = {}
    if existing:
        for prefix, pk in existing[0].union(*existing[1:], all=True):
            row = querysets[prefix].model(pk=pk)
            links[f"{prefix}-{pk}"] = row.get_absolute_url()
    links[proposal_compare.APPOINTMENT] = proposal.appointment.get_absolute_url()
    links[proposal_compare.DOCUMENT] = proposal.get_absolute_url()
    return links


# The public page: only what the secretariat has marked public, and the appointment.


def public_members(*, body: Body | None, day: date) -> QuerySet[Membership]:
    """The body's seats on `day`; the page shows names, titles and organisations."""
    if body is None:
        return Membership.objects.none()
    return memberships_active_on(body=body, on=day)


def public_themes() -> QuerySet[Theme]:
    """The themes and measures the secretariat has published; never example content."""
    return (
        Theme.objects.filter(is_public=True, is_example=False)
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(is_public=True, is_example=False),
                to_attr="public_measures",
            )
        )
        .order_by("order", "title", "pk")
    )


@dataclass(frozen=True)
class PublicDocument:
    kind: DocumentKind
    document: object
    title: str
    variants: list[str]


def public_documents(*, day: date) -> list[PublicDocument]:
    """Every document marked public on `day`, kind by kind."""
    found = []
    for kind in KINDS.values():
        ids = public_ids(model=kind.rows().model, day=day)
        for document in kind.rows().filter(pk__in=ids):
            found.append(
                PublicDocument(
                    kind=kind,
                    document=document,
                    title=kind.title(document),
                    variants=kind.variants(document),
                )
            )
    return found


def public_meetings(*, day: date) -> QuerySet[Meeting]:
    """The meetings held whose minutes are public, with their decisions."""
    return (
        KINDS["minutes"]
        .rows()
        .filter(pk__in=public_ids(model=Meeting, day=day))
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.exclude(decision="").order_by(
                    "order", "pk"
                ),
                to_attr="decided_items",
            )
        )
        .order_by("-starts_at")
    )
