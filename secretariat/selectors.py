"""Reads of the secretariat app: the appointment and the dashboard."""

import contextlib
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from monitoring.models import Indicator
from monitoring.selectors import ProgressStatus, indicator_progress_list
from secretariat import proposal_compare
from secretariat.models import (
    Appointment,
    AppointmentTask,
    ModelProposal,
    ModelProposalVersion,
    ProposalSection,
)
from secretariat.proposal_snapshot import snapshot_build
from themes.models import Measure, Milestone, Theme


@dataclass(frozen=True)
class Deadline:
    day: date
    days_left: int
    is_met: bool

    @property
    def is_missed(self) -> bool:
        return self.days_left < 0 and not self.is_met


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
    """The proposal deadline with days left; met when tasks 1–3 are done."""
    if appointment.model_proposal_due is None:
        return None
    preparing = appointment.tasks.filter(number__lte=3)
    is_met = (
        preparing.exists()
        and not preparing.exclude(status=AppointmentTask.Status.DONE).exists()
    )
    return Deadline(
        day=appointment.model_proposal_due,
        days_left=(appointment.model_proposal_due - today).days,
        is_met=is_met,
    )


def indicators_off_track(*, today: date) -> list:
    """National progress of the indicators that are off track, worst first."""
    indicators = Indicator.objects.select_related(
        "theme", "measure__theme", "responsible_organisation"
    )
    progress = indicator_progress_list(indicators=indicators, on=today)
    return [item for item in progress if item.status == ProgressStatus.OFF_TRACK]


# Comparing versions of the chair's proposal.


def model_proposal_current() -> ModelProposal | None:
    """Return the proposal of the current appointment, if it has one."""
    appointment = current_appointment()
    if appointment is None:
        return None
    return ModelProposal.objects.filter(appointment=appointment).first()


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
    each change with the address of its object where that still exists."""
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
    comparison = proposal_compare.snapshot_changes(old_snapshot, new_snapshot)
    return comparison.linked(
        proposal_change_links(proposal=proposal, comparison=comparison)
    )


def proposal_change_links(
    *, proposal: ModelProposal, comparison: proposal_compare.Comparison
) -> dict[str, str]:
    """The address of each changed object that still exists, by its snapshot key.

    One query per kind of object; annex rows have no page of their own.
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
    links = {}
    for prefix, pks in wanted.items():
        if prefix not in querysets:
            continue
        for row in querysets[prefix].filter(pk__in=pks):
            try:
                links[f"{prefix}-{row.pk}"] = row.get_absolute_url()
            except NoReverseMatch:  # the proposal's own page is not there yet
                continue
    links[proposal_compare.APPOINTMENT] = proposal.appointment.get_absolute_url()
    with contextlib.suppress(NoReverseMatch):
        links[proposal_compare.DOCUMENT] = proposal.get_absolute_url()
    return links
