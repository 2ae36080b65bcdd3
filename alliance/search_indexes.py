"""GIN indexes for full-text search, on PostgreSQL only, made by each app's migration.

Each index's expression is, to the letter, the `SearchVector(*fields, config="finnish")`
with which secretariat.search matches the table, so that the planner serves the
search's match (@@) from the index. SQLite has no such index and keeps its plain
search: there the operation does nothing. Migrations import this module, so the
functions here keep their names and meaning.
"""

from django.db import migrations


def _document(columns: list[str]) -> str:
    joined = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('finnish'::regconfig, {joined})"


def search_indexes_operation(indexes: list[tuple[str, str, list[str]]]):
    """Return the migration operation that makes `indexes`, each a table, the
    index's name and the searched columns in the search's order."""

    def indexes_create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, index, columns in indexes:
            document = _document(columns)
            schema_editor.execute(
                f'CREATE INDEX "{index}" ON "{table}" USING gin (({document}))'
            )

    def indexes_drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for _table, index, _columns in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')

    return migrations.RunPython(indexes_create, indexes_drop)
