"""Search across the cooperation model.

PostgreSQL ranks matches with full-text search in the `finnish` configuration (so that
"työllisyyden" finds "työllisyys"); SQLite, the single-machine default, falls back to
a plain case-insensitive match. One query per kind of object, whatever the hits.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from themes.models import Measure, Milestone, Theme

MAX_HITS_PER_KIND = 20


@dataclass(frozen=True)
class SearchKind:
    label: str
    queryset: object
    fields: tuple[str, ...]
    url_name: str


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    excerpt: str
    url: str


def search_kinds() -> list[SearchKind]:
    return [
        SearchKind(
            _("Theme"),
            Theme.objects.all(),
            ("title", "description", "goals"),
            "themes:theme_detail",
        ),
        SearchKind(
            _("Measure"),
            Measure.objects.all(),
            ("title", "description"),
            "themes:measure_detail",
        ),
        SearchKind(
            _("Milestone"),
            Milestone.objects.all(),
            ("title",),
            "themes:milestone_detail",
        ),
    ]


def _matches(kind: SearchKind, text: str):
    if connection.vendor == "postgresql":
        vector = SearchVector(*kind.fields, config="finnish")
        query = SearchQuery(text, config="finnish", search_type="websearch")
        return (
            kind.queryset.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "pk")
        )
    condition = Q()
    for word in text.split():
        per_word = Q()
        for name in kind.fields:
            per_word |= Q(**{f"{name}__icontains": word})
        condition &= per_word
    return kind.queryset.filter(condition).order_by("pk")


def _excerpt(obj, fields, text: str) -> str:
    for name in fields[1:]:
        value = getattr(obj, name, "") or ""
        position = value.lower().find(text.split()[0].lower())
        if position >= 0:
            start = max(position - 60, 0)
            return ("…" if start else "") + value[start : start + 200].strip() + "…"
    return ""


def search(*, text: str, kinds: list[SearchKind] | None = None) -> list[SearchHit]:
    """Return the hits for `text`, grouped by kind in the order of `kinds`."""
    text = " ".join(text.split())
    if not text:
        return []
    hits = []
    for kind in kinds or search_kinds():
        for obj in _matches(kind, text)[:MAX_HITS_PER_KIND]:
            hits.append(
                SearchHit(
                    kind=str(kind.label),
                    title=str(obj),
                    excerpt=_excerpt(obj, kind.fields, text),
                    url=reverse(kind.url_name, args=[obj.pk]),
                )
            )
    return hits
