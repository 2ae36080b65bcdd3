"""Reads of the cities' theme proposals: lists, the review queue and the detail page."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from members.models import Organisation, User
from members.permissions import (
    can_view_content,
    city_group_name,
    is_secretariat,
    organisations_acted_for,
)
from themes.models import Theme
from themes.proposals.models import (
    OPEN_STATUSES,
    PRIVATE_STATUSES,
    ProposalAttachment,
    ProposalComment,
    ProposalRound,
    ProposalTransition,
    ThemeProposal,
)

Status = ThemeProposal.Status

# The review queue's status filter: the statuses themselves and two groups of them.
QUEUE_OPEN = "open"
QUEUE_ALL = "all"
# The review queue's theme filter for proposals of a new theme.
QUEUE_NEW_THEME = "new"
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")


def _with_relations(queryset: QuerySet[ThemeProposal]) -> QuerySet[ThemeProposal]:
    return queryset.select_related("city", "theme", "author", "resulting_theme")


def proposal_visible(*, user) -> QuerySet[ThemeProposal]:
    """Return the proposals `user` may see (the rule of permissions.can_view_proposal).

    Drafts are seen by their own city only; a returned proposal also by the
    secretariat; everything sent and not returned by every role.
    """
    if not can_view_content(user):
        return ThemeProposal.objects.none()
    if user.is_superuser:
        return ThemeProposal.objects.all()
    condition = ~Q(status__in=PRIVATE_STATUSES) | Q(
        city__in=organisations_acted_for(user)
    )
    if is_secretariat(user):
        condition |= Q(status=Status.RETURNED)
    return ThemeProposal.objects.filter(condition)


def proposal_list_for_user(*, user) -> dict[str, QuerySet[ThemeProposal]]:
    """Return the user's own cities' proposals and the other proposals they may see."""
    cities = organisations_acted_for(user)
    visible = proposal_visible(user=user)
    own = ThemeProposal.objects.filter(city__in=cities).order_by("-updated_at", "-pk")
    others = (
        visible.exclude(city__in=cities)
        .exclude(status=Status.DRAFT)
        .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
    )
    return {"own": _with_relations(own), "others": _with_relations(others)}


@dataclass(frozen=True)
class QueueFilter:
    city: Organisation | None = None
    # A theme or its id, QUEUE_NEW_THEME for proposals of a new theme, None for all.
    theme: Theme | int | str | None = None
    status: str = QUEUE_OPEN
    # Only proposals submitted at least this many days ago.
    min_age_days: int | None = None


def proposal_review_queue(
    *, filters: QueueFilter, now: datetime.datetime
) -> QuerySet[ThemeProposal]:
    """Return the sent proposals for the secretariat, the longest waiting first."""
    queryset = ThemeProposal.objects.exclude(status=Status.DRAFT)
    if filters.status == QUEUE_OPEN:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif filters.status != QUEUE_ALL:
        queryset = queryset.filter(status=filters.status)
    if filters.city is not None:
        queryset = queryset.filter(city=filters.city)
    if filters.theme == QUEUE_NEW_THEME:
        queryset = queryset.filter(theme__isnull=True)
    elif filters.theme is not None:
        queryset = queryset.filter(theme=filters.theme)
    if filters.min_age_days:
        queryset = queryset.filter(
            submitted_at__lte=now - datetime.timedelta(days=filters.min_age_days)
        )
    return _with_relations(
        queryset.annotate(
            comment_count=Count("comments", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        ).order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def proposal_cities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.CITY).order_by("name_fi")


def proposal_transitions(*, proposal: ThemeProposal) -> QuerySet[ProposalTransition]:
    return proposal.transitions.select_related("by").order_by("at", "pk")


def proposal_comments(*, proposal: ThemeProposal) -> QuerySet[ProposalComment]:
    return proposal.comments.select_related("author").order_by("created_at", "pk")


def proposal_attachments(*, proposal: ThemeProposal) -> QuerySet[ProposalAttachment]:
    return proposal.attachments.select_related("uploaded_by").order_by(
        "uploaded_at", "pk"
    )


def proposal_measure_suggestions(*, proposal: ThemeProposal) -> list[str]:
    """Return the proposed measures, one per non-empty line, without list bullets."""
    lines = (
        _BULLET.sub("", line).strip() for line in proposal.proposed_measures.split("\n")
    )
    return [line for line in lines if line]


def proposal_round_current() -> ProposalRound:
    """Return the submission settings; an unsaved default while none were set."""
    return ProposalRound.objects.filter(pk=ProposalRound.SINGLETON_PK).first() or (
        ProposalRound(pk=ProposalRound.SINGLETON_PK)
    )


def proposal_submissions_open(
    *, proposal_round: ProposalRound, today: datetime.date
) -> bool:
    """May a draft be submitted today? Yes until the closing date, or if reopened."""
    return (
        proposal_round.closing_date is None
        or today <= proposal_round.closing_date
        or proposal_round.reopened
    )


def proposal_city_recipients(
    *, city: Organisation, exclude: User | None = None
) -> QuerySet[User]:
    """Return the members of the city's group who have an e-mail address."""
    users = User.objects.filter(
        is_active=True, groups__name=city_group_name(city)
    ).exclude(email="")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.distinct().order_by("pk")


def proposal_dashboard_summary(*, user, today: datetime.date) -> dict:
    """Return the counts and the closing date that the dashboard shows to `user`."""
    cities = organisations_acted_for(user)
    own = ThemeProposal.objects.filter(city__in=cities).aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        waiting=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    summary = {
        "own_drafts": own["drafts"],
        "own_returned": own["returned"],
        "own_waiting": own["waiting"],
        "awaiting_review": None,
        "round": proposal_round_current(),
    }
    summary["submissions_open"] = proposal_submissions_open(
        proposal_round=summary["round"], today=today
    )
    if is_secretariat(user):
        summary["awaiting_review"] = ThemeProposal.objects.filter(
            status__in=OPEN_STATUSES
        ).count()
    summary["nothing_to_do"] = not any(
        summary[key]
        for key in ("own_drafts", "own_returned", "own_waiting", "awaiting_review")
    )
    return summary
