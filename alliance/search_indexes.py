"""GIN indexes for full-text search, on PostgreSQL only, made by each app's migration.

Each searched table holds its document, to the letter the
`SearchVector(*fields, config="finnish")` of the searched columns, in a stored generated
column (`DOCUMENT_COLUMN`) with a GIN index on it: the index serves the search's match
(@@) and the ranking reads the stored document, where computing the vector anew for
every matching row cost tens of milliseconds a search. (The first migrations indexed the
expression itself; `search_documents_operation` replaces those indexes.) A migration
that changes the type of a searched column must drop the column first: PostgreSQL does
not alter a column that a generated column reads. SQLite has neither and keeps its
plain search: there the operations do nothing. Migrations import this module, so the
functions here keep their names and meaning.
"""

from collections.abc import Iterable

from django.db import migrations
from django.db.models import Q

DOCUMENT_COLUMN = "search_document"


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


def search_documents_operation(indexes: list[tuple[str, str, list[str]]]):
    """Return the migration operation that replaces the expression index of each of
    `indexes` (as `search_indexes_operation` takes them) with a stored document column
    and a GIN index of the same name on it."""

    def documents_create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, index, columns in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
            schema_editor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN "{DOCUMENT_COLUMN}" tsvector '
                f"GENERATED ALWAYS AS ({_document(columns)}) STORED"
            )
            schema_editor.execute(
                f'CREATE INDEX "{index}" ON "{table}" USING gin ("{DOCUMENT_COLUMN}")'
            )

    def documents_drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, index, columns in indexes:
            document = _document(columns)
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
            schema_editor.execute(
                f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{DOCUMENT_COLUMN}"'
            )
            schema_editor.execute(
                f'CREATE INDEX "{index}" ON "{table}" USING gin (({document}))'
            )

    return migrations.RunPython(documents_create, documents_drop)


def every_word_condition(fields: Iterable[str], words: Iterable[str]) -> Q:
    """The plain search: each of `words` in one of `fields`, whatever its case.

    Where there is no stored document (SQLite), and to narrow rows that are then
    matched in Python as they are shown.
    """
    fields = tuple(fields)
    condition = Q()
    for word in words:
        per_word = Q()
        for name in fields:
            per_word |= Q(**{f"{name}__icontains": word})
        condition &= per_word
    return condition
