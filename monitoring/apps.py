from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # Register the tasks in every process, so that beat's task is known by name.
        from monitoring import tasks  # noqa: F401
