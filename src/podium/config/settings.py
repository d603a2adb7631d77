"""Django settings, read from the environment.

Environment variables
---------------------
PODIUM_DEBUG          "1" for development mode (Django's debug pages; default off).
PODIUM_DEMO           set by `podium demo`: a local trial server with a built-in key.
SECRET_KEY            required unless PODIUM_DEBUG or PODIUM_DEMO; Podium refuses to start
                      without it.
DATABASE_URL          e.g. postgres://user@host:5432/podium; default SQLite in PODIUM_DATA_DIR.
PODIUM_DATA_DIR       folder for the SQLite database and uploads (default ./data).
PODIUM_SQLITE_TIMEOUT seconds a SQLite writer waits for the write lock (default 60).
ALLOWED_HOSTS         comma separated (default 127.0.0.1,localhost).
EMAIL_URL             "console" (default), "file" (the default of `podium demo`: one file per
                      message in DATA_DIR/sent-mail), "smtp://host:port" or "locmem".
PODIUM_TASKS          "worker" (default: jobs go to the database queue, run by `podium worker`)
                      or "immediate" (jobs run in the calling process; used by tests).

Security (see docs/security.md)
PODIUM_HTTPS          "1" (default outside debug/demo/tests): HTTPS only — redirect http to
                      https, secure cookies, HSTS. "0" for a plain-http trial on a trusted
                      network. PODIUM_SECURE_COOKIES is its former name.
PODIUM_HSTS_SECONDS   HSTS max-age (default one year); PODIUM_HSTS_INCLUDE_SUBDOMAINS and
                      PODIUM_HSTS_PRELOAD (default on).
PODIUM_PROXY_COUNT    number of trusted reverse proxies in front of Podium (default 0). With
                      1 or more, X-Forwarded-Proto says whether the request was https and
                      X-Forwarded-For gives the client address for sign-in throttling.
PODIUM_LOGIN_FAILURE_LIMIT          failed sign-ins for one account (default 5) ...
PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT  ... or from one address (default 20) within
                      PODIUM_LOGIN_COOLOFF_MINUTES (default 15) pause sign-in for that long.
PODIUM_SESSION_IDLE_MINUTES  sign out after this long without a request (default 60, ≤ 120).
PODIUM_SESSION_MAX_HOURS     sign out this long after sign-in whatever happens (default 12).
PODIUM_REQUIRE_2FA    "1": every user must use an authenticator app (TOTP) to sign in.
PODIUM_MAX_IMPORT_MB  the largest schedule file imported, in MB (default 50); request
                      bodies over it (plus 1 MB) are answered 413 unread.
PODIUM_JOB_STALE_MINUTES  a running job silent this long is marked failed (default 60).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PODIUM_DATA_DIR", Path.cwd() / "data")).resolve()

DEBUG = _flag("PODIUM_DEBUG")
TESTING = _flag("PODIUM_TESTING")
DEMO = _flag("PODIUM_DEMO")  # `podium demo`: a local trial server, not for production

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or DEMO:
        SECRET_KEY = "podium-insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set PODIUM_DEBUG=1 for a development server."
        )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "podium.core",
    "podium.accounts",
    "podium.programs",
    "podium.schedule",
    "podium.resources",
    "podium.finance",
    "podium.forecast",
    "podium.risks",
    "podium.delivery",
    "podium.benefits",
    "podium.notifications",
    "podium.stakeholders",
    "podium.feedback",
    "podium.governance",
    "podium.changes",
    "podium.lessons",
    "podium.reports",
    "podium.dashboard",
    "podium.exports",
    "podium.work",
    "podium.updates",
    "podium.discussions",
    "podium.meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "podium.core.middleware.RequestIdMiddleware",
    "podium.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "podium.accounts.middleware.SessionLifetimeMiddleware",
    "podium.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "podium.config.urls"
WSGI_APPLICATION = "podium.config.wsgi.application"

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
                "podium.core.context_processors.navigation",
                "podium.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'podium.sqlite3'}",
        # seconds a connection is kept for the next request of the same thread (opening
        # one costs PostgreSQL a process); 0 closes it after every request
        conn_max_age=int(os.environ.get("PODIUM_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, storing times with a zone as UTC (podium/config/postgresql).
    DATABASES["default"]["ENGINE"] = "podium.config.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            # seconds a writer waits for the write lock before "database is locked" (a
            # 500); many concurrent editors on a busy machine can queue for a while
            "timeout": int(os.environ.get("PODIUM_SQLITE_TIMEOUT", "60")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests that check hashing use it explicitly.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes, see podium.accounts.lockout): 5 failures for one account
# (from any address) or 20 from one address (on any accounts) within 15 minutes pause
# sign-in for that account, or from that address, for 15 minutes.
AXES_HANDLER = "podium.accounts.lockout.PodiumAxesHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("PODIUM_LOGIN_FAILURE_LIMIT", "5"))
PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("PODIUM_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "podium.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "podium.accounts.lockout.client_ip"
AXES_VERBOSE = False
PODIUM_PROXY_COUNT = int(os.environ.get("PODIUM_PROXY_COUNT", "0"))

# Sessions end after an idle period and, whatever happens, some hours after sign-in
# (podium.accounts.middleware). The session cookie lives as long as the idle period.
SESSION_IDLE_SECONDS = int(float(os.environ.get("PODIUM_SESSION_IDLE_MINUTES", "60")) * 60)
if not 0 < SESSION_IDLE_SECONDS <= 120 * 60:
    raise ImproperlyConfigured("PODIUM_SESSION_IDLE_MINUTES must be between 1 and 120.")
SESSION_MAX_SECONDS = int(float(os.environ.get("PODIUM_SESSION_MAX_HOURS", "12")) * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
PODIUM_REQUIRE_2FA = _flag("PODIUM_REQUIRE_2FA")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "programs:list"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# HTTPS only, unless developing, testing or trying the demo on http://127.0.0.1.
HTTPS = _flag("PODIUM_HTTPS", _flag("PODIUM_SECURE_COOKIES", not (DEBUG or TESTING or DEMO)))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# a load balancer's health check reaches the app server over plain http
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("PODIUM_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("PODIUM_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("PODIUM_HSTS_PRELOAD", True)
if PODIUM_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None  # static files are served from the package
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
PODIUM_MAX_IMPORT_MB = float(os.environ.get("PODIUM_MAX_IMPORT_MB", "50"))
PODIUM_JOB_STALE_MINUTES = float(os.environ.get("PODIUM_JOB_STALE_MINUTES", "60"))

# The demo writes its e-mails to files under the data directory (one per message) rather
# than onto the console, unless EMAIL_URL says otherwise.
EMAIL_URL = os.environ.get("EMAIL_URL", "file" if DEMO else "console")
if EMAIL_URL == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "sent-mail")
elif EMAIL_URL == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = _mail.username or ""
    EMAIL_HOST_PASSWORD = _mail.password or ""
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "podium@localhost")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("PODIUM_TASKS", "worker") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
