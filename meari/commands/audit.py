"""``meari audit verify|checkpoint|export``: check, anchor and export the workbench's audit ledger.

    meari audit verify [--data DIR | --database-url URL] [--checkpoint FILE]
        exit 0: the chain and every stored product file match; 1: the first bad entry is named; 2: bad usage
    meari audit checkpoint -o FILE     the head (index and hash), kept elsewhere to detect truncation later
    meari audit export [-o FILE]       the ledger as JSON lines
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, metavar="DIR",
                   help="data directory (SQLite and product files; default $MEARI_DATA or ./meari-data)")
    p.add_argument("--database-url", metavar="URL",
                   help="PostgreSQL URL (default $MEARI_DATABASE_URL); product files are still under --data")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("audit", help="verify, checkpoint or export the workbench audit ledger",
                              description="The audit ledger is a SHA-256 hash chain of every state change.")
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = sub.add_parser("verify", help="check the hash chain and every product file (exit 1 on the first bad entry)")
    _store_args(v)
    v.add_argument("--checkpoint", type=Path, metavar="FILE", help="also check against a checkpoint (truncation)")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=run_verify)
    c = sub.add_parser("checkpoint", help="write the ledger head (index and hash) to a file")
    _store_args(c)
    c.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    c.set_defaults(func=run_checkpoint)
    e = sub.add_parser("export", help="write the ledger as JSON lines")
    _store_args(e)
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="file (default: stdout)")
    e.set_defaults(func=run_export)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _open(args: argparse.Namespace) -> Path:
    """Open an existing workbench store without changing it (no migrations: verify must not create tables)."""
    from django.db import DatabaseError, connection

    from meari.campaign.db import data_dir, database_url
    from meari.campaign.setup import configure
    from meari.errors import MeariError

    d = data_dir(args.data)
    if not database_url(args.database_url) and not (d / "meari.sqlite3").is_file():
        raise MeariError("no workbench database here (meari.sqlite3 is missing)", str(d))
    d = configure(d, args.database_url, migrate=False)
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as e:
        raise MeariError(f"cannot open the database: {str(e).splitlines()[0]}", "database") from None
    if "campaign_ledgerentry" not in tables:
        raise MeariError("this database holds no workbench ledger (no campaign_ledgerentry table)", "database")
    return d


def _write(path: Path, lines) -> int:  # noqa: ANN001
    from meari.atomic import atomic_open
    from meari.errors import MeariError

    n = 0
    try:
        with atomic_open(path) as fh:
            for line in lines:
                fh.write(line + "\n")
                n += 1
    except OSError as e:
        raise MeariError(f"cannot write: {e.strerror or e}", str(path)) from None
    return n


def run_verify(args: argparse.Namespace) -> int:
    from meari.campaign import ledger

    cp = ledger.read_checkpoint(args.checkpoint) if args.checkpoint else None
    d = _open(args)
    rep = ledger.verify(d, cp)
    if args.json:
        print(json.dumps({"ok": rep.ok, "entries": rep.entries, "head_index": rep.head_index,
                          "head_hash": rep.head_hash, "products": rep.products,
                          "problem": None if rep.ok else {"index": rep.problem.index, "what": rep.problem.what}}))
    elif rep.ok:
        print(f"ledger ok: {rep.entries} entries, head {rep.head_index} {rep.head_hash[:16]}…, "
              f"{rep.products} product file(s) match" + (" the checkpoint" if cp else ""))
    else:
        print(f"meari: audit verify: {rep.problem}", file=sys.stderr)
    return 0 if rep.ok else 1


def run_checkpoint(args: argparse.Namespace) -> int:
    from meari.campaign import ledger

    _open(args)
    h = ledger.head()
    _write(args.output, [json.dumps(h)])
    print(f"wrote {args.output}: entry {h['index']} {h['hash']}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from meari.campaign import ledger

    _open(args)
    if args.output:
        n = _write(args.output, ledger.export())
        print(f"wrote {args.output}: {n} entries", file=sys.stderr)
    else:
        for line in ledger.export():
            sys.stdout.write(line + "\n")
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """A demo workbench store (out/demo/workbench/), its ledger as JSON lines, a checkpoint, and a verify."""
    import subprocess

    from meari.errors import MeariError

    data = Path(outdir) / "workbench"
    written = []

    def run(*args: str) -> subprocess.CompletedProcess:
        # own processes: the demo store must not share a Django configuration with other demo stages
        r = subprocess.run([sys.executable, *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise MeariError(r.stderr.strip() or r.stdout.strip(), "audit demo")
        return r

    r = run("-m", "meari.campaign.demo", "--data", str(data), "--message", str(message_path))
    print("  " + r.stdout.strip())
    ledger_out, cp = Path(outdir) / "ledger.jsonl", Path(outdir) / "ledger-checkpoint.json"
    run("-m", "meari", "audit", "export", "--data", str(data), "-o", str(ledger_out))
    run("-m", "meari", "audit", "checkpoint", "--data", str(data), "-o", str(cp))
    r = run("-m", "meari", "audit", "verify", "--data", str(data), "--checkpoint", str(cp))
    print("  " + r.stdout.strip())
    written += [data / "meari.sqlite3", ledger_out, cp]
    return written
