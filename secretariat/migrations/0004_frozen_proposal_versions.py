"""The database itself refuses to change or delete a stored proposal version or file.

`alliance.frozen.FrozenModel` refuses every ORM path; these triggers also refuse raw
SQL. TRUNCATE (a test database's flush on PostgreSQL) is left alone. SQLite, used for
development and `make run`, refuses UPDATE only: it empties a table with a plain
DELETE, and its test databases must be flushed between browser tests. Note for later
SQLite migrations: rebuilding one of these tables drops its triggers, so such a
migration must create them again.
"""

from django.db import migrations

TABLES = ["secretariat_modelproposalversion", "secretariat_modelproposalfile"]
MESSAGE = "A stored proposal version or file never changes; make a new version."


def _sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    ]


POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION secretariat_frozen_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$
"""


def _postgresql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION secretariat_frozen_row()"
    ]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [s for table in TABLES for s in _sqlite(table)]
    elif vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION] + [
            s for table in TABLES for s in _postgresql(table)
        ]
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS secretariat_frozen_row()")


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0003_model_proposal"),
    ]

    operations = [
        migrations.RunPython(triggers_create, triggers_drop),
    ]
