"""Settings for the MIPR strategy portal.

Everything that differs between a laptop and production comes from environment
variables; see the table in README.md.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a "
            "long random string (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=1 for local use."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form loses nothing typed (mipr/refused.py).
CSRF_FAILURE_VIEW = "mipr.refused.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_include_bootstrap",
    "csp",
    "axes",
    "mipr",
    "timeline",
    "workshops",
    "findings",
    "strategy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mipr.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mipr.security.IdleSessionMiddleware",
    "mipr.security.AdminGateMiddleware",
    "mipr.security.KnownBrowserMiddleware",
    "mipr.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A service's refusal (mipr.errors) that a view did not handle: its page.
    "mipr.errors.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into our message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mipr.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "mipr.wsgi.application"

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins, and waits up to 20 s
    # for it. With SQLite's default (deferred), two saves that read a row and
    # then write it at the same moment make one of them fail with "database is
    # locked" instead of waiting and getting the conflict page.
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite_options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -----------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The test suite runs in parallel workers (pytest-xdist, `make test`): each one
# takes a Redis database of its own, as each has its own PostgreSQL database,
# so that one worker's cache.clear() or queued task never meets another's.
_test_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _test_worker.startswith("gw"):
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{1 + int(_test_worker[2:])}"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in-process so that `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
# A task whose worker died before acknowledging it (killed, out of memory, the
# machine gone) goes back to the queue this many seconds after it was handed
# out: Redis's default is an hour. Longer than any task may run, or a task still
# running would be handed out twice.
# A Redis that takes the connection but never answers (frozen, half-open)
# must fail a request within seconds, not hang it until gunicorn kills it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        os.environ.get("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 5 * 60)
    ),
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5
# Nothing in the portal waits for a task's return value (the PDF's state is in
# the database), and a result subscription at send time is one more way a sick
# Redis can hang a request. A caller that wants the result asks for it
# (apply_async(..., ignore_result=False)).
CELERY_TASK_IGNORE_RESULT = True
# A worker that rendered a long PDF keeps its peak memory: recycle it.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Oslo"
# Periodic tasks, sent by `celery -A mipr beat` (one beat per installation:
# docker-compose.yml's `beat`). Celery's own scheduler, not a database one: the
# schedule is code, the same on every machine, and needs no table or admin.
CELERY_BEAT_SCHEDULE = {
    "retention": {
        "task": "mipr.retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "delete-superseded-pdfs": {
        "task": "strategy.delete_superseded_pdfs",
        "schedule": crontab(hour=3, minute=45),
    },
}

# --- Authentication ---------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mipr.security.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failures lock out one user name from one address for a while: the
# 25 people behind a venue's shared address keep logging in meanwhile, and
# nobody can lock a council member out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_NEVER_LOCKOUT_GET = True
# "Wait 15 minutes" stays true: trying again meanwhile does not restart the clock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "mipr.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mipr.security.client_ip"
AXES_USERNAME_CALLABLE = "mipr.security.client_username"
AXES_VERBOSE = False
# Failed log-ins with this many different user names from one address within
# the cool-off time stop log-ins from that address, but for browsers that have
# logged in before (mipr.security: password spraying).
LOGIN_ADDRESS_NAME_LIMIT = int(os.environ.get("LOGIN_ADDRESS_NAME_LIMIT", "10"))

# Sessions end after this much idleness (and at the latest when the cookie ages
# out); a new session id is issued at every log-in (Django's login()).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

_DJANGO_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_DJANGO_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": "mipr.validators.PortalMinimumLengthValidator"},
    {"NAME": f"{_DJANGO_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_DJANGO_VALIDATORS}.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# A demo installation shows the process plan as it stood on one day
# (DEMO_TODAY=2025-04-11, set by `make run`); unset, the real date counts.
# mipr/clock.py is the one place that reads it.
_demo_today = os.environ.get("DEMO_TODAY", "").strip()
try:
    DEMO_TODAY = date.fromisoformat(_demo_today) if _demo_today else None
except ValueError:
    raise ImproperlyConfigured(
        f"DEMO_TODAY={_demo_today!r} is not a date: write it as YYYY-MM-DD, "
        "e.g. DEMO_TODAY=2025-04-11, or leave it unset for the real date."
    ) from None
# English dates the British way («11 April 2025»), as the week labels read;
# bokmål keeps Django's own formats («11. april 2025»).
FORMAT_MODULE_PATH = ["mipr.formats"]

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# WhiteNoise warns about a missing root even when it serves from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed files collected by `collectstatic`; local
# runs and tests serve them straight from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "MIPR strategiportal <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Whom users contact about accessibility (shown on /tilgjengelighet/).
ACCESSIBILITY_CONTACT = os.environ.get(
    "ACCESSIBILITY_CONTACT", "post@mipr.no (MIPR-sekretariatet)"
)

# --- Privacy: who answers, and how long personal data is kept ------------------
# Shown on /personvern/. The periods are in days; mipr/retention.py thins daily.
PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "post@mipr.no (MIPR-sekretariatet)")
PARTICIPANT_NAME_DAYS = int(os.environ.get("PARTICIPANT_NAME_DAYS", "90"))
LOGIN_RECORD_DAYS = int(os.environ.get("LOGIN_RECORD_DAYS", "90"))
AUDIT_NAME_DAYS = int(os.environ.get("AUDIT_NAME_DAYS", "365"))

# --- HTTPS and proxies ------------------------------------------------------
# On by default in production; off only for plain-http local runs and tests.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = (
    int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every script and style is a file of our own (static/, Bootstrap's dist files):
# no inline script, no inline style, nothing from another origin. Bootstrap's CSS
# draws its form icons as data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True

# The header a trusted reverse proxy sets to tell the client's address, e.g.
# CLIENT_IP_HEADER=X-Forwarded-For (its rightmost entry counts). Unset, only the
# connection's address counts: a header from the client is never trusted.
_client_ip_header = os.environ.get("CLIENT_IP_HEADER", "").strip()
CLIENT_IP_HEADER = (
    "HTTP_" + _client_ip_header.upper().replace("-", "_") if _client_ip_header else ""
)

# /admin/ only from these networks (comma-separated, e.g. 10.0.0.0/8), and/or
# only for users who are some process's secretariat. Empty and off: open to
# staff users from anywhere, behind the log-in and its lockout.
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS")
ADMIN_SECRETARIAT_ONLY = env_bool("ADMIN_SECRETARIAT_ONLY")

# The header a trusted reverse proxy sets to tell the original scheme, e.g.
# PROXY_SSL_HEADER=X-Forwarded-Proto. Unset, no header is trusted.
_proxy_ssl_header = os.environ.get("PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
