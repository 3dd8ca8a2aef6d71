"""The whole store, workflow and web suite again on PostgreSQL (a fresh database per run), when
MEARI_TEST_DATABASE_URL names a server (.ci/run sets it to the machine's local one when it answers).

One re-run covers tests/campaign and tests/web, except the tests that start their own ``meari serve``
over SQLite (browser, serve): they do not touch the test database. The re-run starts in the background as
soon as collection ends (``pytest_collection_finish`` in conftest.py), so it overlaps the SQLite run on a
multi-core machine; this test waits for it and reports its outcome.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from meari.campaign.testing import backend

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
#: not re-run: they start their own server over SQLite, whatever the test database
OWN_SERVER = ("web/test_browser.py", "web/test_research_browser.py", "web/test_serve.py")
_RUN: dict = {}


def wanted() -> str:
    """Why the re-run does not happen here ("" when it does)."""
    if backend() == "postgresql":
        return "this process is the PostgreSQL run"
    if not os.environ.get("MEARI_TEST_DATABASE_URL"):
        return ("MEARI_TEST_DATABASE_URL is not set: no PostgreSQL run of the store and web suites "
                "(.ci/run sets it when a local server answers)")
    return ""


def start() -> None:
    """Start the PostgreSQL re-run in the background (once per process)."""
    if _RUN or wanted():
        return
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MEARI_DATABASE_URL",
                                                             "MEARI_DATA_DIR", "MEARI_DATA"}}
    env["MEARI_STORE_BACKEND"] = "postgresql"
    out = tempfile.TemporaryFile(mode="w+")
    ignore = [f"--ignore={TESTS / p}" for p in OWN_SERVER]
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", str(HERE), str(TESTS / "web"),
           *ignore, f"--deselect={Path(__file__)}::test_store_and_web_suites_on_postgresql"]
    _RUN["proc"] = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, env=env,
                                    cwd=TESTS.parent)
    _RUN["out"] = out


def test_store_and_web_suites_on_postgresql() -> None:
    why = wanted()
    if why:
        pytest.skip(why)
    start()  # already running unless this test was run on its own
    proc, out = _RUN["proc"], _RUN["out"]
    try:
        rc = proc.wait(timeout=1500)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    out.seek(0)
    text = out.read()
    assert rc == 0, text[-9000:]
    assert " passed" in text
