import os

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from secretariat.bootstrap import DEFAULT_DEMO_PASSWORD, bootstrap


class Command(BaseCommand):
    help = (
        "Load the appointment decision TEM077:00/2023, its bodies, members and roles. "
        "Safe to run again: rows already as in the decision are not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also add example accounts and example content, marked as examples.",
        )
        parser.add_argument(
            "--password",
            help="Password of the demo accounts (default: $DEMO_PASSWORD or "
            f"'{DEFAULT_DEMO_PASSWORD}' for new accounts).",
        )

    def handle(self, *args, demo, password, **options):
        password = password or os.environ.get("DEMO_PASSWORD") or None
        with transaction.atomic(durable=True):
            report = bootstrap(demo=demo, password=password, today=timezone.localdate())
        if report.written:
            self.stdout.write(f"Loaded {len(report.written)} changes.")
            if options["verbosity"] > 1:
                self.stdout.write("\n".join(f"  {what}" for what in report.written))
        else:
            self.stdout.write("Everything was already loaded; nothing changed.")
        if demo:
            shown = password or DEFAULT_DEMO_PASSWORD
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo accounts (example data), password '{shown}' unless changed:"
                )
            )
            for username, name in report.demo_users:
                self.stdout.write(f"  {username:<12} {name}")
