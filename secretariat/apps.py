from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self):
        # Register the tasks in every process, so a job can be sent by its name.
        from secretariat import tasks  # noqa: F401
