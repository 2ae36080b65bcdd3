from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Infrastructure")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from alliance.sessions import session_start

        user_logged_in.connect(session_start, dispatch_uid="alliance.session_start")
        # Register the tasks in every process, so a job can be sent by its name,
        # connect the audit trail's receivers of the sign-in signals, and register
        # the system check that says where mail goes.
        from alliance import audit, mail, tasks  # noqa: F401
