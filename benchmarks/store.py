"""Workbench store figures: version saves (review + ledger) alone and with 8 concurrent writer processes on
SQLite, and `meari audit verify` speed. Prints key=value figures; the LAST line holds them all.

    .venv/bin/python benchmarks/store.py [--procs 8] [--per-proc 25] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "tests" / "campaign" / "writer.py"
MESSAGE = (ROOT / "examples" / "appeal.yaml").read_text(encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--procs", type=int, default=8)
    ap.add_argument("--per-proc", type=int, default=25)
    ap.add_argument("--database-url")
    a = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="meari-bench-store-"))
    from meari.campaign.setup import configure

    configure(data, a.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connections

    from meari.campaign import ledger, workflow
    from meari.campaign.models import Campaign, Membership

    c = Campaign.objects.create(slug=f"bench-{int(time.time())}")
    u = get_user_model().objects.create_user(username=f"writer-{c.id}")
    Membership.objects.create(user=u, campaign=c, role="writer")
    v = workflow.create_message(u, c, MESSAGE)
    lat = []
    for i in range(40):
        t0 = time.perf_counter()
        workflow.save_version(u, v.message, MESSAGE.replace("천천히", f"천천히 ({i})", 1))
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    single_p50, single_p95 = statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]
    print(f"single save_version (review + ledger): p50 {single_p50:.1f} ms, p95 {single_p95:.1f} ms")
    connections.close_all()
    args = ["--data", str(data), "--message", str(v.message_id), "--user", u.username, "--n", str(a.per_proc)]
    if a.database_url:
        args += ["--url", a.database_url]
    procs = [subprocess.Popen([sys.executable, str(WRITER), *args, "--tag", str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(a.procs)]
    # start timing when every writer has loaded (MeCab, Django) and printed "ready"
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    t0 = time.perf_counter()
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - t0
    locked = sum(err.lower().count("locked") for _, err in outs)
    acks = sum(out.count("ack ") for out, _ in outs)
    failed = sum(p.returncode != 0 for p in procs)
    print(f"{a.procs} writer processes: {acks} saves in {wall:.2f} s, {failed} failed, {locked} 'locked' errors")
    t0 = time.perf_counter()
    rep = ledger.verify(data)
    vt = time.perf_counter() - t0
    print(f"verify: {rep.entries} entries in {vt * 1000:.0f} ms, ok={rep.ok}")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores (a shared machine: figures vary with it)")
    print(f"save_p50_ms={single_p50:.1f} save_p95_ms={single_p95:.1f} concurrent_saves_per_s={acks / wall:.1f} "
          f"concurrent_procs={a.procs} lost={a.procs * a.per_proc - acks} locked_errors={locked} "
          f"verify_entries_per_s={rep.entries / vt:.0f} load_avg={load:.1f}")
    return 0 if rep.ok and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
