"""Reliability on the real database: concurrent writer processes lose nothing and never see
"database is locked"; kill -9 mid-burst loses no acknowledged write and leaves a chain that verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from meari.campaign import workflow
from meari.campaign.models import MessageVersion

from .conftest import CLEAN, STORE, cli_env, run_cli, store_args

WRITER = Path(__file__).with_name("writer.py")
#: 8 writer processes on SQLite (the issue's figure); 4 in the PostgreSQL re-run, where the point is that the
#: advisory lock never lets two writers fork the chain
PROCS = 8 if STORE["backend"] == "sqlite" else 4
PER_PROC = 6


def _writer(msg_id: int, tag: str, n: int) -> subprocess.Popen:
    args = [sys.executable, str(WRITER), "--data", str(STORE["data_dir"]), "--message", str(msg_id),
            "--user", "writer", "--n", str(n), "--tag", tag]
    if STORE["database_url"]:
        args += ["--url", str(STORE["database_url"])]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())


def test_concurrent_writers_lose_nothing(team) -> None:
    from django.db import connections

    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    connections.close_all()
    procs = [_writer(v.message_id, str(i), PER_PROC) for i in range(PROCS)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert "locked" not in err.lower(), err
        assert p.returncode == 0, err
    acked = [line.split()[2] for out, _ in outs for line in out.splitlines() if line.startswith("ack ")]
    assert len(acked) == PROCS * PER_PROC
    rows = MessageVersion.objects.filter(message_id=v.message_id).order_by("number")
    numbers = [r.number for r in rows]
    assert numbers == list(range(1, PROCS * PER_PROC + 2))  # contiguous: no lost or duplicated number
    texts = [r.yaml for r in rows[1:]]
    assert all(any(f"({tag})" in t for t in texts) for tag in acked)
    r = run_cli("audit", "verify", *store_args())
    assert r.returncode == 0, r.stderr
    assert f"{2 + PROCS * PER_PROC} entries" in r.stdout


def test_kill_9_loses_no_acknowledged_write(team) -> None:
    from django.db import connections

    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    connections.close_all()
    # two writers in a burst, one killed while it and the other are writing
    victim = _writer(v.message_id, "901", 10_000)
    other = _writer(v.message_id, "902", 10)
    acked = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = victim.stdout.readline()
        if line.startswith("ack "):
            acked.append(line.split()[2])
            if len(acked) >= 8:
                break
        elif not line:
            break
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=60)
    out, err = other.communicate(timeout=600)
    assert other.returncode == 0, err
    assert len(acked) >= 8, victim.stderr.read()
    texts = list(MessageVersion.objects.filter(message_id=v.message_id).values_list("yaml", flat=True))
    lost = [tag for tag in acked if not any(f"({tag})" in t for t in texts)]
    assert not lost, f"acknowledged writes lost after kill -9: {lost}"
    assert all(any(f"(902-{i})" in t for t in texts) for i in range(10))
    r = run_cli("audit", "verify", *store_args())
    assert r.returncode == 0, r.stderr
