"""Search across the cooperation model.

PostgreSQL ranks matches with full-text search in the `finnish` configuration (so that
"työllisyyden" finds "työllisyys"), served by a stored document with a GIN index on
each searched table that the table's app makes in a migration, on PostgreSQL only;
SQLite, the single-machine default, falls back to a plain case-insensitive match. One
query per kind of object, whatever the hits.

Agenda items are matched word by word in Python, on every database: what a user other
than the secretariat finds is the text frozen in the published agenda, which is data
of the version and not a column to search.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.search_indexes import DOCUMENT_COLUMN, every_word_condition
from secretariat.meetings.models import Meeting
from secretariat.meetings.selectors import (
    AGENDA_ITEM_SEARCHED_FIELDS,
    agenda_items_visible_to,
)
from themes.models import Measure, Milestone, Theme
from themes.proposals.selectors import proposal_visible

MAX_HITS_PER_KIND = 20


@dataclass(frozen=True)
class SearchKind:
    label: str
    # A queryset, or a list of the rows already read (matched in Python).
    queryset: object
    fields: tuple[str, ...]
    url: Callable[[object], str]


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    excerpt: str
    url: str


def _detail(url_name: str) -> Callable[[object], str]:
    return lambda obj: reverse(url_name, args=[obj.pk])


def search_kinds(*, user, text: str = "") -> list[SearchKind]:
    """What `user` may find: agenda items as the user sees them, drafts included only
    for those who may see them; of the agenda items as edited, only those whose text
    holds every word of `text`."""
    return [
        SearchKind(
            _("Theme"),
            Theme.objects.all(),
            ("title", "description", "goals"),
            _detail("themes:theme_detail"),
        ),
        SearchKind(
            _("Measure"),
            Measure.objects.all(),
            ("title", "description"),
            _detail("themes:measure_detail"),
        ),
        SearchKind(
            _("Milestone"),
            Milestone.objects.all(),
            ("title",),
            _detail("themes:milestone_detail"),
        ),
        SearchKind(
            _("Theme proposal"),
            proposal_visible(user=user),
            ("title", "rationale", "proposed_measures", "expected_impact"),
            _detail("theme_proposals:proposal_detail"),
        ),
        SearchKind(
            _("Meeting"),
            Meeting.objects.select_related("body"),
            ("place",),
            _detail("meetings:meeting_detail"),
        ),
        SearchKind(
            _("Agenda item"),
            agenda_items_visible_to(user=user, words=text.split()),
            AGENDA_ITEM_SEARCHED_FIELDS,
            lambda item: reverse("meetings:meeting_detail", args=[item.meeting.pk]),
        ),
    ]


def _contains_every_word(obj, fields, text: str) -> bool:
    values = [(getattr(obj, name) or "").lower() for name in fields]
    return all(any(word in value for value in values) for word in text.lower().split())


def _matches(kind: SearchKind, text: str):
    if isinstance(kind.queryset, list):
        return [
            obj for obj in kind.queryset if _contains_every_word(obj, kind.fields, text)
        ]
    if connection.vendor == "postgresql":
        # The table's stored document is, to the letter, the SearchVector of the
        # fields, and its GIN index serves the match (@@): only the matching rows are
        # read, and ranked without parsing their text again.
        table = connection.ops.quote_name(kind.queryset.model._meta.db_table)
        column = connection.ops.quote_name(DOCUMENT_COLUMN)
        document = RawSQL(f"{table}.{column}", [], output_field=SearchVectorField())
        query = SearchQuery(text, config="finnish", search_type="websearch")
        return (
            kind.queryset.alias(document=document)
            .filter(document=query)
            .annotate(rank=SearchRank(document, query))
            .order_by("-rank", "pk")
        )
    return kind.queryset.filter(
        every_word_condition(kind.fields, text.split())
    ).order_by("pk")


def _excerpt(obj, fields, text: str) -> str:
    for name in fields[1:]:
        value = getattr(obj, name, "") or ""
        position = value.lower().find(text.split()[0].lower())
        if position >= 0:
            start = max(position - 60, 0)
            return ("…" if start else "") + value[start : start + 200].strip() + "…"
    return ""


def search(*, text: str, user) -> list[SearchHit]:
    """Return what `user` may see that matches `text`, grouped by kind."""
    text = " ".join(text.split())
    if not text:
        return []
    hits = []
    for kind in search_kinds(user=user, text=text):
        for obj in _matches(kind, text)[:MAX_HITS_PER_KIND]:
            hits.append(
                SearchHit(
                    kind=str(kind.label),
                    title=str(obj),
                    excerpt=_excerpt(obj, kind.fields, text),
                    url=kind.url(obj),
                )
            )
    return hits
