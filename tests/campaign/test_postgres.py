"""The whole store and workflow suite again on PostgreSQL (a fresh database per run), when
MEARI_TEST_DATABASE_URL names a server (.ci/run sets it to the machine's local one when it answers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from meari.campaign.testing import backend

HERE = Path(__file__).resolve().parent


def test_store_suite_on_postgresql() -> None:
    if backend() == "postgresql":
        pytest.skip("this process is the PostgreSQL run")
    if not os.environ.get("MEARI_TEST_DATABASE_URL"):
        pytest.skip("MEARI_TEST_DATABASE_URL is not set: no PostgreSQL run of the store suite "
                    "(.ci/run sets it when a local server answers)")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MEARI_DATABASE_URL",
                                                             "MEARI_DATA_DIR", "MEARI_DATA"}}
    env["MEARI_STORE_BACKEND"] = "postgresql"
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", str(HERE)],
                       capture_output=True, text=True, env=env, cwd=HERE.parents[1], timeout=1200)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-3000:]
    assert " passed" in r.stdout
