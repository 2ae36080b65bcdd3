"""Stored search documents for full-text search on PostgreSQL, in place of the
expression indexes of 0004_search_gin_indexes (alliance.search_indexes)."""

from django.db import migrations

from alliance.search_indexes import search_documents_operation

# The table, the index and the searched columns in the search's order.
INDEXES = [
    (
        "theme_proposals_themeproposal",
        "theme_proposals_themeproposal_search",
        ["title", "rationale", "proposed_measures", "expected_impact"],
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("theme_proposals", "0004_search_gin_indexes"),
    ]

    operations = [
        search_documents_operation(INDEXES),
    ]
