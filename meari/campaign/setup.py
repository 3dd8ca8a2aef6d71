"""Configure Django for command-line use of the store (``meari users``, ``meari audit``) and tests.

The web app has its own settings (meari/web/settings.py) which call :func:`meari.campaign.db.database_config`
too, so the CLI and the server open the same database the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from meari.campaign.db import data_dir as _data_dir
from meari.campaign.db import database_config, database_url
from meari.errors import MeariError

#: Settings every process that uses the store needs (the web settings include these).
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "meari.campaign", "meari.campaign.research"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def configure(data_dir: str | os.PathLike[str] | None = None, url: str | None = None, *, migrate: bool = True) -> Path:
    """Configure Django (once per process) for the store in ``data_dir``/``url``; migrate; return the data dir."""
    import django
    from django.conf import settings

    d = _data_dir(data_dir)
    if not settings.configured:
        if not database_url(url):
            try:
                d.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise MeariError(f"cannot create the data directory: {e.strerror}", str(d)) from None
        settings.configure(
            INSTALLED_APPS=INSTALLED_APPS,
            DATABASES={"default": database_config(d, url)},
            PASSWORD_HASHERS=PASSWORD_HASHERS,
            USE_TZ=True,
            TIME_ZONE="UTC",
            DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
            MEARI_DATA_DIR=str(d),
            LOGGING_CONFIG=None,
        )
        django.setup()
    if migrate:
        migrate_db()
    return Path(settings.MEARI_DATA_DIR)


def migrate_db() -> None:
    """Apply the migrations (quietly); a database that cannot be reached is a MeariError."""
    from django.core.management import call_command
    from django.db import OperationalError

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as e:
        raise MeariError(f"cannot open the database: {str(e).splitlines()[0]}", "database") from None


def store_data_dir() -> Path:
    """The configured data directory (product files live under it)."""
    from django.conf import settings

    return Path(getattr(settings, "MEARI_DATA_DIR", None) or _data_dir())
