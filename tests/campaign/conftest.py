"""Store tests run against a real database (see fixtures.py, shared with tests/web); the CLI helpers run
``meari`` in a fresh process over the same test database."""

from __future__ import annotations

import os
import subprocess
import sys

from .fixtures import APPEAL, CLEAN, ROLES, ROOT, STORE, THREAT, make_user, store, team

__all__ = ["APPEAL", "CLEAN", "ROLES", "ROOT", "STORE", "THREAT", "make_user", "store", "team",
           "cli_env", "run_cli", "store_args"]


def cli_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MEARI_DATABASE_URL"}}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def store_args() -> list[str]:
    args = ["--data", str(STORE["data_dir"])]
    if STORE["database_url"]:
        args += ["--database-url", str(STORE["database_url"])]
    return args


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``meari ARGS`` in a fresh process (a real CLI over the test database)."""
    from django.db import connections

    connections.close_all()  # let the child see committed state without our open transaction
    return subprocess.run([sys.executable, "-m", "meari", *args], input=stdin, capture_output=True, text=True,
                          env=env or cli_env(), timeout=300)


def pytest_collection_finish(session) -> None:  # noqa: ANN001
    """Start the PostgreSQL re-run (test_postgres.py) now, so it overlaps this run, when it is selected."""
    if any(item.name == "test_store_and_web_suites_on_postgresql" for item in session.items):
        from .test_postgres import start

        start()
