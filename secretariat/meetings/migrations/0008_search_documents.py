"""Stored search documents for full-text search on PostgreSQL, in place of the
expression indexes of 0007_search_gin_indexes (alliance.search_indexes)."""

from django.db import migrations

from alliance.search_indexes import search_documents_operation

# The table, the index and the searched columns in the search's order.
INDEXES = [
    ("meetings_meeting", "meetings_meeting_search", ["place"]),
]


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_search_gin_indexes"),
    ]

    operations = [
        search_documents_operation(INDEXES),
    ]
