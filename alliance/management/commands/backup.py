"""`manage.py backup`: the database and the stored files, into a new directory."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup of the database (pg_dump custom archive, or a consistent copy "
        "of the SQLite file) and a tarball of the stored files into a new directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            help="where the backup's directory is made (default: BACKUP_ROOT)",
        )

    def handle(self, *args, directory, **options):
        try:
            backup = backup_create(directory=directory or settings.BACKUP_ROOT)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(backup))
