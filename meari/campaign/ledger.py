"""The audit ledger: an append-only hash chain of every state change, and its verifier.

Each entry is ``{index, time, actor, action, payload, prev_hash}`` hashed as canonical JSON (sorted keys,
no spaces, UTF-8) with SHA-256; ``prev_hash`` is the previous entry's hash (64 zeros for the first). An
edited, deleted, inserted or reordered row breaks the chain at that row; a truncated tail is caught against
a checkpoint (head index + hash) kept elsewhere, as Certificate Transparency logs do.

:func:`append` must run inside the transaction of the change it records, so the change and its entry
commit together or not at all. Appends are serialised: SQLite's IMMEDIATE transactions already hold the
write lock; on PostgreSQL a transaction-scoped advisory lock is taken first, so two writers never fork
the chain (the unique ``index`` would refuse a fork anyway).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from meari.errors import MeariError

GENESIS = "0" * 64
#: advisory lock key for ledger appends on PostgreSQL ("meari" in ASCII)
PG_LOCK_KEY = 0x6D65617269


def canonical(obj: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, non-ASCII kept (hashing is over its UTF-8 bytes)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(index: int, time: str, actor: str, action: str, payload: Any, prev_hash: str) -> str:
    """SHA-256 of an entry's canonical JSON (prev_hash included)."""
    body = {"index": index, "time": time, "actor": actor, "action": action, "payload": payload,
            "prev_hash": prev_hash}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _lock() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])


def append(actor: str, action: str, payload: dict) -> Any:
    """Append one entry; must be called inside ``transaction.atomic()`` with the change it records."""
    from django.db import connection

    from meari.campaign.models import LedgerEntry

    if not connection.in_atomic_block:
        raise RuntimeError("ledger.append must run inside the transaction of the change it records")
    _lock()
    head = LedgerEntry.objects.order_by("-index").only("index", "hash").first()
    index = head.index + 1 if head else 0
    prev = head.hash if head else GENESIS
    time = datetime.now(UTC).isoformat(timespec="microseconds")
    text = canonical(payload)
    payload_obj = json.loads(text)
    h = entry_hash(index, time, actor, action, payload_obj, prev)
    return LedgerEntry.objects.create(index=index, time=time, actor=actor, action=action, payload=text,
                                      prev_hash=prev, hash=h)


@dataclass
class Problem:
    """The first thing that does not match, with the entry (or product) it concerns."""

    index: int | None
    what: str

    def __str__(self) -> str:
        return f"entry {self.index}: {self.what}" if self.index is not None else self.what


@dataclass
class Report:
    entries: int
    head_index: int | None
    head_hash: str
    products: int
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows() -> Iterator[Any]:
    from meari.campaign.models import LedgerEntry

    # Physical order (primary key) as well as index order: a reordered row shows in either.
    yield from LedgerEntry.objects.order_by("index", "id").iterator(chunk_size=2000)


def verify_chain(checkpoint: dict | None = None) -> tuple[Report, dict[int, dict]]:
    """Walk the chain; return the report and, for cross-checks, the product/version entries by payload id."""
    n, prev, last_id = 0, GENESIS, None
    facts: dict[str, dict] = {"product.built": {}, "version.saved": {}, "upload.stored": {}}
    head_index = None
    for row in _rows():
        where = row.index
        if row.index != n:
            what = "missing entry (index gap)" if row.index > n else "duplicate or out-of-place index"
            return Report(n, head_index, prev, 0, Problem(n if row.index > n else row.index,
                                                          f"{what}: expected index {n}, found {row.index}")), {}
        if last_id is not None and row.id < last_id:
            return Report(n, head_index, prev, 0, Problem(where, "row order does not match index order "
                                                                  "(rows were reordered)")), {}
        if row.prev_hash != prev:
            return Report(n, head_index, prev, 0, Problem(where, "prev_hash does not match the previous entry's "
                                                                  "hash (an entry before it was changed, removed "
                                                                  "or inserted)")), {}
        try:
            payload = json.loads(row.payload)
        except ValueError:
            return Report(n, head_index, prev, 0, Problem(where, "payload is not valid JSON")), {}
        if canonical(payload) != row.payload:
            return Report(n, head_index, prev, 0, Problem(where, "payload is not in canonical form (edited)")), {}
        h = entry_hash(row.index, row.time, row.actor, row.action, payload, row.prev_hash)
        if h != row.hash:
            return Report(n, head_index, prev, 0, Problem(where, "hash does not match the entry's contents "
                                                                  "(the row was edited)")), {}
        if row.action in facts and isinstance(payload, dict) and "id" in payload:
            facts[row.action][payload["id"]] = {"index": row.index, **payload}
        prev, last_id, head_index, n = row.hash, row.id, row.index, n + 1
    rep = Report(n, head_index, prev, 0)
    if checkpoint is not None:
        ci, ch = checkpoint["index"], checkpoint["hash"]
        if head_index is None or head_index < ci:
            rep.problem = Problem(ci, f"the ledger ends at entry {head_index if head_index is not None else 'none'} "
                                      f"but the checkpoint records entry {ci}: the tail was truncated")
        else:
            from meari.campaign.models import LedgerEntry

            at = LedgerEntry.objects.filter(index=ci).values_list("hash", flat=True).first()
            if at != ch:
                rep.problem = Problem(ci, "hash differs from the checkpoint (the ledger was rewritten)")
    return rep, facts


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(data_dir: Path, checkpoint: dict | None = None) -> Report:
    """Verify the chain, every stored product file, and that product and version rows match the ledger."""
    from meari.campaign.models import MessageVersion, Product

    rep, facts = verify_chain(checkpoint)
    if not rep.ok:
        return rep
    built = facts["product.built"]
    root = Path(data_dir).resolve()
    for p in Product.objects.order_by("id").iterator():
        fact = built.get(p.id)
        if fact is None:
            rep.problem = Problem(None, f"product {p.id} ({p.path}) has no ledger entry")
            return rep
        for key in ("sha256", "path", "size", "kind"):
            if fact.get(key) != getattr(p, key):
                rep.problem = Problem(fact["index"], f"product {p.id} row's {key} differs from the ledger")
                return rep
        f = (root / p.path).resolve()
        if root not in f.parents:
            rep.problem = Problem(fact["index"], f"product {p.id} path leaves the data directory")
            return rep
        if not f.is_file():
            rep.problem = Problem(fact["index"], f"product file {p.path} is missing")
            return rep
        if f.stat().st_size != p.size or sha256_file(f) != p.sha256:
            rep.problem = Problem(fact["index"], f"product file {p.path} changed (SHA-256 differs)")
            return rep
        rep.products += 1
    from meari.campaign.models import Upload

    stored = facts["upload.stored"]
    for up in Upload.objects.order_by("id").iterator():
        fact = stored.get(up.id)
        if fact is None:
            rep.problem = Problem(None, f"upload {up.id} has no ledger entry")
            return rep
        f = root / up.path
        if fact.get("sha256") != up.sha256 or not f.is_file() or sha256_file(f) != up.sha256:
            rep.problem = Problem(fact["index"], f"uploaded file {up.path} is missing or changed")
            return rep
    saved = facts["version.saved"]
    for v in MessageVersion.objects.order_by("id").iterator():
        fact = saved.get(v.id)
        if fact is None:
            rep.problem = Problem(None, f"message version {v.id} has no ledger entry")
            return rep
        if hashlib.sha256(v.yaml.encode("utf-8")).hexdigest() != fact.get("sha256") or v.sha256 != fact["sha256"]:
            rep.problem = Problem(fact["index"], f"message version {v.id} text differs from the ledger")
            return rep
    return rep


def head() -> dict:
    """The checkpoint of the current head: ``{"index", "hash", "entries", "time"}``."""
    from meari.campaign.models import LedgerEntry

    last = LedgerEntry.objects.order_by("-index").first()
    if last is None:
        raise MeariError("the ledger is empty: nothing to checkpoint", "ledger")
    return {"index": last.index, "hash": last.hash, "entries": last.index + 1,
            "time": datetime.now(UTC).isoformat(timespec="seconds")}


def read_checkpoint(path: Path) -> dict:
    """Read a checkpoint file written by ``meari audit checkpoint`` (MeariError when unusable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MeariError("no such checkpoint file", str(path)) from None
    except (OSError, ValueError) as e:
        raise MeariError(f"not a checkpoint file: {e}", str(path)) from None
    ok = (isinstance(data, dict) and isinstance(data.get("index"), int) and data["index"] >= 0
          and isinstance(data.get("hash"), str) and len(data["hash"]) == 64)
    if not ok:
        raise MeariError("not a checkpoint file (needs an integer 'index' and a 64-hex 'hash')", str(path))
    return data


def export() -> Iterator[str]:
    """The ledger as JSON lines (one entry per line, payload as an object)."""
    for row in _rows():
        yield canonical({"index": row.index, "time": row.time, "actor": row.actor, "action": row.action,
                         "payload": json.loads(row.payload), "prev_hash": row.prev_hash, "hash": row.hash})
