"""Settings for the portal, read from environment variables.

Every variable has a default that gives the embedded set-up (SQLite, Celery on kombu's
filesystem transport, local-memory cache). Production differs only by variables; README.md
lists them.
"""
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-never-used-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "django_celery_results",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "enrollment",
    "outreach",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "enrollment.portal.middleware.NoStoreForSignedInUsers",
    "enrollment.portal.params.BadParameterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enrollment.portal.navigation.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://portal:secret@127.0.0.1:5432/portal
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend that also creates the database file's folder on first connect,
    # so that a fresh clone migrates without bin/setup having made var/.
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Imports write in one transaction; wait for a concurrent writer instead of failing (the
    # busy timeout, seconds). Readers never wait: the backend puts the file in WAL mode.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(env("SQLITE_BUSY_TIMEOUT", "60")), "transaction_mode": "IMMEDIATE",
    }
    # Sessions in files, so that a page renewing its session does not wait for an import.
    SESSION_ENGINE = "config.sqlite.sessions"
    SESSION_FILE_PATH = str(VAR_DIR / "sessions")
    # A file, not memory, so that a real Celery worker process can share the test database;
    # one per test process, so that concurrent runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-portal-{os.getpid()}.sqlite3")}
else:
    # One test database per test process here too, so that concurrent runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
    # No JIT compilation: the portal's queries are short per row, and PostgreSQL compiled the
    # wide ones for longer than they ran (the dispatch table: 3.1 s of 4.4 s at 100,000 persons;
    # a school's list page: 2.5 s instead of 0.7 s at a million).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Authentication, sessions and lockout
AUTH_USER_MODEL = "enrollment.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(env("SESSION_TIMEOUT_SECONDS", "1800"))  # idle timeout
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_LOCKOUT_HOURS", "0.5"))
# Lock the account, not the address: a bureau's staff share one NAT address, and locking it
# would let one mistyped password shut the whole office out.
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: SQLite has no covering indexes; it builds person_county_birth without the
# columns it carries for PostgreSQL (enrollment/models/people.py), which is what we want.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Internationalisation: the UI speaks Simplified Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static and uploaded files. Uploads hold personal data: they are never served directly,
# only through views that check the user's scope.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imports: the largest file accepted (the proxy in front should refuse larger bodies too, e.g.
# nginx client_max_body_size), and the row count from which an import runs as a Celery task.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_BACKGROUND_ROWS = int(env("IMPORT_BACKGROUND_ROWS", "5000"))
# An import of at least this many rows refreshes the planner statistics of the tables it wrote.
ANALYZE_AFTER_IMPORT_ROWS = int(env("ANALYZE_AFTER_IMPORT_ROWS", "10000"))
# Person list exports with more rows are written by a Celery task and downloaded when ready.
EXPORT_BACKGROUND_ROWS = int(env("EXPORT_BACKGROUND_ROWS", "20000"))
# Areas with at most this many person files get their dispatch table computed while the user
# waits when nothing is stored yet; larger ones are computed by a Celery task.
DISPATCH_LIVE_LIMIT = int(env("DISPATCH_LIVE_LIMIT", "100000"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. In production (DJANGO_DEBUG=0) cookies are secure and HTTPS is enforced;
# SECURE_SSL_REDIRECT can be turned off when a proxy in front already redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Behind the TLS proxy, trust its X-Forwarded-Proto, and take the client's address for the
# audit trail from the last X-Forwarded-For entry (the one the proxy appended).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery. The default broker is kombu's filesystem transport: a real worker and beat with no
# broker server. Production sets CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # The folders are created by config/celery.py once the app is configured, not here:
    # importing settings has no side effects.
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Work is queued by kind (config/celery.py QUEUE_OF_TASK): a worker started without -Q consumes
# every queue; production runs one worker per queue (README). The prefix lets two deployments
# (or test runs) share one broker.
CELERY_QUEUE_PREFIX = env("CELERY_QUEUE_PREFIX", "")
CELERY_WORK_QUEUES = ("imports", "reports", "exports", "notices", "messages")
CELERY_TASK_QUEUES = [Queue("celery")] + [Queue(CELERY_QUEUE_PREFIX + name) for name in CELERY_WORK_QUEUES]
CELERY_TASK_ROUTES = ("config.celery.route_by_kind",)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# E-mail for reminders; the console backend by default.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@localhost")
# Text messages for reminders: a dotted path to a backend class (outreach/sms.py); the default
# only writes them to the log, until the bureau's SMS gateway is wired in.
SMS_BACKEND = env("SMS_BACKEND", "outreach.sms.LoggingSMSBackend")
# Households (outreach/households.py): a phone shared by more guardians than this is a school's
# or an office's, not a household's.
HOUSEHOLD_PHONE_MAX_GUARDIANS = int(env("HOUSEHOLD_PHONE_MAX_GUARDIANS", "4"))
# The portal's address as users reach it, for links in e-mails (e.g. https://ybj.example.gov.cn).
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")

# Filters start on 全部, not "---------" (enrollment/portal/filters.py does the same for yes/no).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
