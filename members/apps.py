from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and bodies")

    def ready(self):
        # Register the tasks in every process, so that beat's task is known by name.
        from members import tasks  # noqa: F401
