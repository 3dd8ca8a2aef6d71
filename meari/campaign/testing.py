"""Test support for the store (used by tests/campaign and tests/web): one Django set-up per process.

``setup_test_django(settings_module)`` points the store at a fresh temporary data dir and, when the
backend is PostgreSQL, at a freshly created database (dropped at exit) so parallel runs never collide:

- ``MEARI_STORE_BACKEND=postgresql`` (set by the PostgreSQL re-run of the suite) uses the server in
  ``MEARI_TEST_DATABASE_URL`` (``.ci/run`` sets it to postgresql://postgres@127.0.0.1:5432/test);
- anything else uses SQLite in the temporary data dir.

Whichever conftest calls it first configures the process; later calls return the same values.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

_STATE: dict[str, object] = {}


def backend() -> str:
    """The backend this test process uses: ``sqlite`` or ``postgresql``."""
    return "postgresql" if os.environ.get("MEARI_STORE_BACKEND") == "postgresql" else "sqlite"


def create_pg_database(server_url: str) -> str:
    """Create a uniquely named database on the server of ``server_url``; return its URL (dropped at exit)."""
    import psycopg

    name = f"meari_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    u = urlparse(server_url)
    url = urlunparse(u._replace(path=f"/{name}"))

    def drop() -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
        try:
            with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001
            pass

    atexit.register(drop)
    return url


def setup_test_django(settings_module: str | None = None) -> dict:
    """Configure Django once for this process; return ``{"data_dir", "database_url", "backend"}``."""
    if _STATE:
        return dict(_STATE)
    import django
    from django.conf import settings

    data = Path(tempfile.mkdtemp(prefix="meari-store-test-"))
    atexit.register(shutil.rmtree, data, True)
    url = None
    if backend() == "postgresql":
        server = os.environ.get("MEARI_TEST_DATABASE_URL")
        if not server:
            raise RuntimeError("MEARI_STORE_BACKEND=postgresql needs MEARI_TEST_DATABASE_URL")
        url = create_pg_database(server)
    os.environ["MEARI_DATA_DIR"] = os.environ["MEARI_DATA"] = str(data)
    if url:
        os.environ["MEARI_DATABASE_URL"] = url
    else:
        os.environ.pop("MEARI_DATABASE_URL", None)
    if not settings.configured:
        if settings_module:
            os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
            django.setup()
        else:
            from meari.campaign.setup import configure

            configure(data, url, migrate=False)
    from meari.campaign.setup import migrate_db

    migrate_db()
    _STATE.update({"data_dir": Path(settings.MEARI_DATA_DIR), "database_url": url, "backend": backend()})
    return dict(_STATE)


def reset_store() -> None:
    """Empty every table and the product store (between tests)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    data = Path(str(_STATE["data_dir"]))
    shutil.rmtree(data / "products", ignore_errors=True)
