"""Database settings for the workbench store: SQLite in the data dir by default, PostgreSQL by URL.

SQLite runs in WAL mode and every transaction begins IMMEDIATE: a transaction that reads and then
writes (every ledger append does) takes the write lock at BEGIN, so concurrent writers queue on the
busy timeout instead of failing at once with "database is locked" (DOMAIN.md, workbench store facts).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from meari.errors import MeariError

#: How long a writer waits for the SQLite write lock, seconds (Django passes it as sqlite3 ``timeout``).
SQLITE_BUSY_TIMEOUT_S = 60
SQLITE_FILE = "meari.sqlite3"
DEFAULT_DATA_DIR = "meari-data"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``path``, else ``$MEARI_DATA``, else ./meari-data."""
    return Path(path or os.environ.get("MEARI_DATA") or DEFAULT_DATA_DIR).resolve()


def database_url(url: str | None = None) -> str | None:
    """The database URL: ``url``, else ``$MEARI_DATABASE_URL``, else None (SQLite in the data dir)."""
    return url or os.environ.get("MEARI_DATABASE_URL") or None


def database_config(data: str | os.PathLike[str] | None = None, url: str | None = None) -> dict:
    """Django ``DATABASES['default']`` for a data dir (SQLite) or a ``postgresql://`` URL."""
    url = database_url(url)
    if url:
        return _postgres(url)
    d = data_dir(data)
    ms = SQLITE_BUSY_TIMEOUT_S * 1000
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(d / SQLITE_FILE),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_S,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={ms}; "
            "PRAGMA foreign_keys=ON",
        },
    }


def _postgres(url: str) -> dict:
    u = urlparse(url)
    if u.scheme not in {"postgresql", "postgres"}:
        raise MeariError(f"unsupported database URL scheme {u.scheme!r}; use postgresql://USER@HOST:PORT/DB",
                         "MEARI_DATABASE_URL")
    name = unquote(u.path.lstrip("/"))
    if not name:
        raise MeariError("the URL names no database (postgresql://USER@HOST:PORT/DB)", "MEARI_DATABASE_URL")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(u.username or ""),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "",
        "PORT": str(u.port or ""),
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"connect_timeout": 10},
    }
