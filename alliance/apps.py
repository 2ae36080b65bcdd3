from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Infrastructure")

    def ready(self):
        # Register the tasks in every process, so a job can be sent by its name, and
        # connect the audit trail's receivers of the sign-in signals.
        from alliance import audit, tasks  # noqa: F401
