"""The Celery application; `make worker` runs it with beat.

Each app registers its tasks by importing its `tasks` module in `AppConfig.ready`, so
that the web process knows them by name too.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
