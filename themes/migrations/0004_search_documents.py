"""Stored search documents for full-text search on PostgreSQL, in place of the
expression indexes of 0003_search_gin_indexes (alliance.search_indexes)."""

from django.db import migrations

from alliance.search_indexes import search_documents_operation

# The table, the index and the searched columns in the search's order.
INDEXES = [
    ("themes_theme", "themes_theme_search", ["title", "description", "goals"]),
    ("themes_measure", "themes_measure_search", ["title", "description"]),
    ("themes_milestone", "themes_milestone_search", ["title"]),
]


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0003_search_gin_indexes"),
    ]

    operations = [
        search_documents_operation(INDEXES),
    ]
