from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "themes.proposals"
    label = "theme_proposals"
    verbose_name = _("Theme proposals")
