"""Stop before `migrate` when the database was made by migrations this code lacks.

The migrations were regenerated once, before any database was deployed; a development
database made by the earlier ones cannot be migrated and must be made anew.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader


class Command(BaseCommand):
    help = "Fail with one line if the database holds migrations this code lacks."

    def handle(self, *args, **options):
        loader = MigrationLoader(connection)
        project_apps = {label for label, _name in loader.disk_migrations}
        unknown = sorted(
            f"{label}.{name}"
            for label, name in loader.applied_migrations
            if label in project_apps and (label, name) not in loader.disk_migrations
        )
        if unknown:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} was made by "
                f"migrations this version no longer has ({', '.join(unknown[:3])}); "
                "delete it and run the command again."
            )
