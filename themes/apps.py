from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes and measures")

    def ready(self):
        # Register the proposal notification tasks in every process, by name.
        from themes import tasks  # noqa: F401
