"""Reads of the secretariat app: the appointment and the dashboard."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Subquery

from monitoring.models import Indicator
from monitoring.selectors import ProgressStatus, indicator_progress_list
from secretariat.models import (
    Appointment,
    AppointmentTask,
    ModelProposal,
    ProposalSection,
)
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
