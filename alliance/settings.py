"""Settings of Allianssi, read from the environment (see README, "Configuration")."""

from datetime import timedelta
from email.utils import formataddr, parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A git-ignored .env (copied from .env.example) may set variables for commands run by
# hand; a variable already set in the environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if env.bool("ALLIANSSI_BUILD_STEP", default=False):
        # Set by manage.py for the commands that build from the code alone.
        SECRET_KEY = "build-step-key-never-used-to-sign"
    elif not DEBUG:
        # One clear line instead of a traceback, from every entry point.
        raise SystemExit(
            "Allianssi: SECRET_KEY must be set when DEBUG is off "
            "(set DEBUG=1 for development, or see README, 'Configuration')."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "alliance.views.csrf_failure"

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The host that names calendar events (their UIDs). `bootstrap_alliance` stores it
# the first time it runs (this, or else SITE_URL's host), and the stored one is used
# from then on: a site that moves keeps its events' UIDs.
CALENDAR_UID_DOMAIN = env.str("CALENDAR_UID_DOMAIN", default="")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "guardian",
    "simple_history",
    "axes",
    "alliance",
    "members",
    "themes",
    "themes.proposals",
    "monitoring",
    "secretariat.meetings",
    "secretariat",
]

MIDDLEWARE = [
    # First, so that it counts the queries of every other middleware too.
    "alliance.middleware.QueryCountHeaderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alliance.middleware.ControlCharactersRefusedMiddleware",
    "alliance.sessions.SessionLimitMiddleware",
    "alliance.middleware.PrivateResponsesMiddleware",
    "alliance.dispatch.UnsentNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "alliance.audit.DownloadAuditMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

# `make bench` counts each page's SQL queries through this response header; never
# on in production.
BENCH_QUERY_COUNT = env.bool("BENCH_QUERY_COUNT", default=False)

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
            ],
        },
    },
]

# Unset: SQLite under var/, so that a fresh clone runs with nothing configured.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'allianssi.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database fails a page or /healthz in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # A connection kept from one request to the next: opening one costs the server a
    # process and a round of authentication, about as much as a small page's queries.
    # Checked before reuse, so a restarted server costs one reconnect, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user name and address is refused before any check.
    "alliance.backends.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ("username", "first_name", "last_name", "email")
        },
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lock-out (django-axes). Failures are counted in the database, which every
# web process shares, per user name and address together: someone elsewhere who types
# a real user's name cannot lock that user out.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "alliance.views.sign_in_locked_out"

# django-guardian: a signed-in user without permission gets 403, not a login page.
GUARDIAN_RAISE_403 = True
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
# Dates as 31.8.2023 in every language, as Finnish government documents write them.
FORMAT_MODULE_PATH = ["alliance.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Filled by `make` from the npm registry (package.json); never committed.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The typeface of the interface, under the SIL Open Font License 1.1.
    (
        "vendor/source-sans-3",
        BASE_DIR / "node_modules" / "@fontsource" / "source-sans-3",
    ),
    # The documents' emoji, drawn in outline (SIL Open Font License 1.1).
    ("vendor/noto-emoji", BASE_DIR / "node_modules" / "@fontsource" / "noto-emoji"),
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
# Where `manage.py backup` (`make backup`) writes; best another disk than the data's.
BACKUP_ROOT = env.path("BACKUP_ROOT", default=VAR_DIR / "backups")
# Stored files go through Django's storage API only, so that several web processes and
# workers share them: the local file system by default, or an S3-compatible store. The
# store's files are always sent through the app (alliance.uploads.download_response),
# never linked to, so the bucket stays private and signed URLs are not handed out.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,
            "querystring_auth": True,
            # A second upload of the same name gets a name of its own, as on disk.
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise SystemExit(
        "Allianssi: STORAGE_BACKEND must be 'filesystem' or 's3', "
        f"not {STORAGE_BACKEND!r}."
    )
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache holds what several processes must share (rate limits, drawn charts): Redis
# when CACHE_URL is set, otherwise this process's memory (one process only).
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "alliance.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="allianssi"),
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions live in the database (Django's default engine), so that any web process
# knows a user signed in on another.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The largest file that may be attached to a theme proposal or an agenda item.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_MB", default=20) * 1024**2
# The largest spreadsheet (CSV or XLSX) of indicator values that may be imported.
MONITORING_IMPORT_MAX_BYTES = env.int("MONITORING_IMPORT_MAX_MB", default=5) * 1024**2
# A file far over the largest allowed size is not read to its end (see
# alliance.uploads); the others are kept in memory or in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "alliance.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads above this are written to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024**2
# A form's fields, files not counted: the longest text (100 000 characters, some of
# them six bytes once encoded) fits; a larger body is refused with 400 unread.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024**2

# E-mail: with no host, messages are printed on the console while developing; in
# production they wait in the outbox, never in a log (sign-in links are secrets).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
# A mail server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The sender shown to recipients: an address without a display name gets one.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="allianssi@localhost")
if not parseaddr(DEFAULT_FROM_EMAIL)[0]:
    DEFAULT_FROM_EMAIL = formataddr(("Allianssi", DEFAULT_FROM_EMAIL))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where answers to the app's messages go, such as the secretariat's shared mailbox;
# empty: to the sender.
EMAIL_REPLY_TO = env.str("EMAIL_REPLY_TO", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "alliance.mail.NoMailServerBackend"

# Security. Everything strict unless DEBUG is on.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Otherwise every user would share the proxy's address. The proxy appends the
    # address it saw, so the right-most entry is the one a client cannot forge.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and monitors ask for the health over plain HTTP, on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# A sign-in ends after this many minutes without a request, and this many hours after
# it began however active (alliance.sessions).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page runs only the site's own scripts and styles: no inline code, no eval
# (htmx is configured in base.html not to need either). Downloads carry their own,
# stricter policy (alliance.uploads.download_response).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Celery. Unset broker: tasks run in-process at once (single-machine default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="allianssi")
if env.str("PYTEST_XDIST_WORKER", default=""):
    # Parallel test processes each start workers; a queue each keeps their tasks apart.
    CELERY_TASK_DEFAULT_QUEUE += "-" + env.str("PYTEST_XDIST_WORKER")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task is killed after this many seconds; the soft limit raises in it earlier, so
# that it can record its failure.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
# A message taken but not acknowledged (its worker died) goes back to the queue after
# this many seconds. Above the time limit, or a task still running is delivered again
# to a second worker; every retry countdown stays below it too.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=360)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise SystemExit(
        "Allianssi: CELERY_VISIBILITY_TIMEOUT must be above CELERY_TIME_LIMIT, "
        "or a task still running is run a second time."
    )
# How often a worker looks for such messages (Redis's default is about 100 s).
CELERY_RESTORE_INTERVAL = env.int("CELERY_RESTORE_INTERVAL", default=20)
# An unreachable broker must not hold a request: connect and publish time out within
# seconds and are tried once, and the side effect waits for a resend instead.
CELERY_BROKER_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=3.0)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": CELERY_RESTORE_INTERVAL,
    "unacked_restore_throttle": 1,
    "socket_timeout": CELERY_BROKER_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_TIMEOUT,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_MAX_TASKS_PER_CHILD", default=50)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Just after midnight, so that a replaced member's account closes on the
    # successor's first day.
    "members-replaced-accounts-deactivate": {
        "task": "members.replaced_accounts_deactivate",
        "schedule": crontab(hour=0, minute=5),
    },
    "secretariat-send-reminders": {
        "task": "secretariat.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "monitoring-send-round-reminders": {
        "task": "monitoring.send_round_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    "alliance-outbox-resend": {
        "task": "alliance.outbox_resend",
        "schedule": crontab(minute="*/10"),
    },
    "alliance-audit-expire": {
        "task": "alliance.audit_expire",
        "schedule": crontab(hour=3, minute=30),
    },
    "alliance-jobs-resend": {
        "task": "alliance.jobs_resend",
        "schedule": crontab(minute="*/5"),
    },
}

# The audit trail keeps each event this many days, then the daily task removes it.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # The 403 handler logs a refusal in one line; no traceback besides it.
        "refusal_without_traceback": {
            "()": "alliance.log_filters.RefusalWithoutTraceback"
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"filters": ["refusal_without_traceback"]},
        "django.db.backends": {"level": "INFO"},
        "django.utils.autoreload": {"level": "INFO"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # It announces its logging bridge at INFO in every process that renders.
        "pikepdf": {"level": "WARNING"},
    },
}

# Monitoring: an indicator is on track when it has come at least this share of the way
# it should have come by the end of its latest period (time-aware), at risk when at
# least the second share, otherwise off track. The secretariat may change them.
MONITORING_PROGRESS_THRESHOLDS = {
    "on_track": env.float("MONITORING_ON_TRACK_THRESHOLD", default=0.7),
    "at_risk": env.float("MONITORING_AT_RISK_THRESHOLD", default=0.4),
}
