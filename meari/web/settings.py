"""Django settings for the workbench (``DJANGO_SETTINGS_MODULE=meari.web.settings``).

Read from the environment, so that ``meari serve``, ``meari users``, ``meari audit`` and the tests share
one configuration:

- ``MEARI_DATA_DIR``: where the SQLite database, the product store, the secret key and the login-failure
  cache live (default ``./meari-data``).
- ``MEARI_DATABASE_URL``: ``postgresql://user@host:port/db`` to use PostgreSQL instead of SQLite.
- ``MEARI_ALLOWED_HOSTS``: comma-separated host names (default: loopback names; ``meari serve`` adds
  the address it binds to).

DEBUG is never on: this settings module has no switch for it, so a unit server cannot be left
showing tracebacks with settings and SQL to whoever connects.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

HERE = Path(__file__).resolve().parent
# MEARI_DATA_DIR is the web name; MEARI_DATA is what meari.campaign.db reads: honour both, web first.
DATA_DIR = Path(os.environ.get("MEARI_DATA_DIR") or os.environ.get("MEARI_DATA") or "meari-data").resolve()
MEARI_DATA_DIR = DATA_DIR
DATABASE_URL = os.environ.get("MEARI_DATABASE_URL", "").strip()


def _secret_key(data_dir: Path) -> str:
    """The session-signing key: ``MEARI_SECRET_KEY``, else ``DATA_DIR/secret_key`` (made once, mode 0600).

    Kept with the data so sessions survive a restart and every worker process agrees on it; created
    with O_EXCL so two processes starting at once cannot write different keys.
    """
    env = os.environ.get("MEARI_SECRET_KEY")
    if env:
        return env
    path = data_dir / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    except OSError:
        return secrets.token_urlsafe(50)  # unreadable data dir: `meari serve` reports it before this matters
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        return secrets.token_urlsafe(50)
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def _database(data_dir: Path, url: str) -> dict:
    from meari.campaign.db import database_config

    return database_config(data_dir, url or None)


SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("MEARI_ALLOWED_HOSTS", "").split(",") if h.strip()] or [
    "127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "meari.campaign",
    "meari.campaign.research",
    "meari.web",
]

MIDDLEWARE = [
    "meari.web.middleware.SecurityHeadersMiddleware",
    "meari.web.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "meari.web.urls"
WSGI_APPLICATION = "meari.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.csrf",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
    ]},
}]

DATABASES = {"default": _database(DATA_DIR, DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limiting of logins counts failures here; a file cache is shared by all worker processes.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(DATA_DIR / "cache"), "TIMEOUT": 3600,
                      "OPTIONS": {"MAX_ENTRIES": 20000}}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:campaigns"

# Sessions and CSRF: HttpOnly, SameSite; `Secure` is added per response when the request came over
# https (SecurityHeadersMiddleware), so the same settings work on a plain-http loopback laptop.
SESSION_COOKIE_NAME = "meari_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_NAME = "meari_csrf"
CSRF_COOKIE_HTTPONLY = True  # pages pass the token in a meta tag / form field, never read from the cookie
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "meari.web.views.auth.csrf_failure"
LANGUAGE_COOKIE_NAME = "meari_lang"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads: the largest accepted file is a recorded voice (see meari.web.uploads); bodies above this are
# refused before Django reads them (BodySizeLimitMiddleware).
MEARI_MAX_BODY_BYTES = 26 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024  # form fields (a message text is at most 2 MB)
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [HERE / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"},
                "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False}},
}
