"""Search on PostgreSQL is served by the stored documents and GIN indexes that the
apps' migrations make."""

import pytest
from django.db import connection, transaction

from members.models import User
from secretariat.search import _matches, search, search_kinds
from tests.themes.factories import MeasureFactory, MilestoneFactory, ThemeFactory

pytestmark = pytest.mark.django_db
INDEXES = {
    "themes_theme": "themes_theme_search",
    "themes_measure": "themes_measure_search",
    "themes_milestone": "themes_milestone_search",
    "theme_proposals_themeproposal": "theme_proposals_themeproposal_search",
    "meetings_meeting": "meetings_meeting_search",
}


def _indexes_of(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_the_search_indexes_exist_on_postgresql_only(db):
    for table, index in INDEXES.items():
        assert (index in _indexes_of(table)) == (connection.vendor == "postgresql")


def test_every_searched_table_is_matched_through_its_gin_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN indexes exist on PostgreSQL only (DATABASE_URL=postgres)")
    theme = ThemeFactory(
        title="Työllisyyden kehittäminen",
        lead_organisation=world.theme.lead_organisation,
    )
    MeasureFactory(theme=theme, title="Työllisyyspalvelujen kehittäminen")
    MilestoneFactory(theme=theme, measure=None, title="Työllisyyden kehittäminen")
    superuser = User(is_superuser=True)
    searched = [
        kind
        for kind in search_kinds(user=superuser)
        if not isinstance(kind.queryset, list)
    ]
    assert {kind.queryset.model._meta.db_table for kind in searched} == set(INDEXES)

    with transaction.atomic():
        # Few rows: a sequential scan would be cheaper, so the planner is told not
        # to take one unless nothing else serves the query.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plans = {
            kind.queryset.model._meta.db_table: _matches(
                kind, "työllisyyksien kehittämistä"
            ).explain()
            for kind in searched
        }

    for table, plan in plans.items():
        assert f"Bitmap Index Scan on {INDEXES[table]}" in plan, plan
        # Matched and ranked on the stored document: no row's text is parsed again.
        assert "to_tsvector" not in plan, plan
    titles = [hit.title for hit in search(text="työllisyyden", user=superuser)]
    assert "Työllisyyden kehittäminen" in titles
