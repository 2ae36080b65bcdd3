"""`manage.py restore DIRECTORY`: a backup into an empty database and storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alliance.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and "
        "file storage, which must both be empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the backup's directory")

    def handle(self, *args, directory, **options):
        try:
            backup_restore(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {directory}.")
