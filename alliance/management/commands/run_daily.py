from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run every task of the beat schedule once, in this process: the daily work "
        "of a set-up without a broker (cron, see README)."
    )

    def handle(self, *args, **options):
        failed = []
        # By name, so that tasks added to CELERY_BEAT_SCHEDULE join without a change.
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            name = entry["task"]
            result = current_app.tasks[name].apply(
                args=entry.get("args", ()), kwargs=entry.get("kwargs", {})
            )
            if result.failed():
                failed.append(name)
                self.stderr.write(f"{name}: failed: {result.result!r}")
            else:
                self.stdout.write(f"{name}: {result.result}")
        if failed:
            raise SystemExit(1)
