"""The audit ledger: one entry per state change in the same transaction, and `meari audit verify`
(a real subprocess over the test database) catching each kind of tampering."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction

from meari.campaign import ledger, workflow
from meari.campaign.models import LedgerEntry, MessageVersion, Product

from .conftest import CLEAN, STORE, run_cli, store_args

T = "campaign_ledgerentry"


def _flow(t):  # noqa: ANN001, ANN202
    v = workflow.create_message(t["writer"], t["own"], CLEAN)
    workflow.sign_off(t["linguist"], v, "language")
    workflow.sign_off(t["legal"], v, "legal")
    workflow.approve(t["approver"], v)
    p = workflow.build_product(t["operator"], v, "safe-conduct")
    return v, p


def _sql(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params or [])


def _verify(*extra: str):  # noqa: ANN202
    return run_cli("audit", "verify", *store_args(), *extra)


def test_every_state_change_is_an_entry(team) -> None:
    _flow(team)
    actions = list(LedgerEntry.objects.values_list("action", flat=True))
    assert actions == ["message.created", "version.saved", "signoff", "signoff", "approval", "product.built"]
    assert ledger.verify(STORE["data_dir"]).ok


def test_change_and_entry_commit_together(team) -> None:
    """A transaction that fails after the change leaves neither the change nor its entry."""
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    n = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.save_version(team["writer"], v.message, CLEAN.replace("천천히", "조용히"))
        raise RuntimeError("crash after the write")
    assert LedgerEntry.objects.count() == n and MessageVersion.objects.count() == 1
    with pytest.raises(RuntimeError, match="inside the transaction"):
        ledger.append("x", "y", {})


def test_login_failures_and_role_changes_are_entries(team) -> None:
    from django.contrib.auth import authenticate

    assert authenticate(username="writer", password="wrong") is None
    workflow.add_user(team["admin"], "writer", "", "analyst", "kursk")
    workflow.remove_role(team["admin"], "writer", "analyst", "kursk")
    got = [(e.action, json.loads(e.payload)) for e in LedgerEntry.objects.all()]
    assert got[0] == ("login.failed", {"username": "writer", "address": None})
    assert [a for a, _ in got[1:]] == ["role.granted", "role.revoked"]
    assert got[1][1]["role"] == "analyst" and LedgerEntry.objects.get(index=1).actor == "admin"


def test_verify_ok_checkpoint_and_export(team, tmp_path) -> None:
    _flow(team)
    r = _verify()
    assert r.returncode == 0, r.stderr
    assert "6 entries" in r.stdout and "1 product file(s) match" in r.stdout
    cp = tmp_path / "head.json"
    r = run_cli("audit", "checkpoint", *store_args(), "-o", str(cp))
    assert r.returncode == 0, r.stderr
    head = json.loads(cp.read_text())
    assert head["index"] == 5 and head["hash"] == LedgerEntry.objects.get(index=5).hash
    assert _verify("--checkpoint", str(cp)).returncode == 0
    r = run_cli("audit", "export", *store_args())
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert r.returncode == 0 and len(lines) == 6 and lines[-1]["hash"] == head["hash"]
    assert lines[1]["payload"]["number"] == 1 and lines[1]["prev_hash"] == lines[0]["hash"]


def _assert_bad(first: int | None, needle: str = "") -> None:
    r = _verify()
    assert r.returncode == 1, (r.stdout, r.stderr)
    if first is not None:
        assert f"entry {first}:" in r.stderr, r.stderr
    assert needle in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_edited_row_is_detected(team) -> None:
    _flow(team)
    _sql(f"UPDATE {T} SET payload = REPLACE(payload, '\"kind\":\"language\"', '\"kind\":\"legal\"') "
         "WHERE \"index\" = 2")
    _assert_bad(2, "edited")


def test_edited_row_with_recomputed_hash_is_detected_at_the_next(team) -> None:
    _flow(team)
    e = LedgerEntry.objects.get(index=2)
    payload = json.loads(e.payload)
    payload["kind"] = "legal"
    text = ledger.canonical(payload)
    h = ledger.entry_hash(2, e.time, "approver", e.action, payload, e.prev_hash)
    _sql(f"UPDATE {T} SET payload = %s, actor = %s, hash = %s WHERE \"index\" = 2", [text, "approver", h])
    _assert_bad(3, "prev_hash")


def test_deleted_row_is_detected(team) -> None:
    _flow(team)
    _sql(f"DELETE FROM {T} WHERE \"index\" = 2")
    _assert_bad(2, "missing")


def test_deleted_and_renumbered_row_is_detected(team) -> None:
    _flow(team)
    _sql(f"DELETE FROM {T} WHERE \"index\" = 2")
    for i in range(3, 6):
        _sql(f"UPDATE {T} SET \"index\" = %s WHERE \"index\" = %s", [i - 1, i])
    _assert_bad(2, "prev_hash")


def test_inserted_row_is_detected(team) -> None:
    """A forged entry slipped in after entry 1 (later rows renumbered) breaks the chain after it."""
    _flow(team)
    for i in range(5, 1, -1):
        _sql(f"UPDATE {T} SET \"index\" = %s WHERE \"index\" = %s", [i + 1, i])
    prev = LedgerEntry.objects.get(index=1).hash
    payload = {"id": 99, "version": 1, "kind": "legal"}
    h = ledger.entry_hash(2, "2026-12-01T00:00:00.000000+00:00", "legal", "signoff", payload, prev)
    _sql(f"INSERT INTO {T} (\"index\", time, actor, action, payload, prev_hash, hash) VALUES (%s,%s,%s,%s,%s,%s,%s)",
         [2, "2026-12-01T00:00:00.000000+00:00", "legal", "signoff", ledger.canonical(payload), prev, h])
    r = _verify()
    assert r.returncode == 1 and "entry 3:" in r.stderr, r.stderr


def test_reordered_rows_are_detected(team) -> None:
    _flow(team)
    _sql(f"UPDATE {T} SET \"index\" = -1 WHERE \"index\" = 2")
    _sql(f"UPDATE {T} SET \"index\" = 2 WHERE \"index\" = 3")
    _sql(f"UPDATE {T} SET \"index\" = 3 WHERE \"index\" = -1")
    _assert_bad(2)


def test_changed_product_file_is_detected(team) -> None:
    _, p = _flow(team)
    f = STORE["data_dir"] / p.path
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0x01
    f.write_bytes(bytes(data))
    _assert_bad(5, "changed")


def test_missing_product_file_is_detected(team) -> None:
    _, p = _flow(team)
    (STORE["data_dir"] / p.path).unlink()
    _assert_bad(5, "missing")


def test_product_row_rehashed_to_match_a_new_file_is_detected(team) -> None:
    import hashlib

    _, p = _flow(team)
    f = STORE["data_dir"] / p.path
    f.write_bytes(b"%PDF-1.4 forged")
    _sql("UPDATE campaign_product SET sha256 = %s, size = %s WHERE id = %s",
         [hashlib.sha256(b"%PDF-1.4 forged").hexdigest(), 15, p.id])
    _assert_bad(5, "differs from the ledger")
    assert Product.objects.get(pk=p.id).sha256 != p.sha256


def test_edited_version_text_is_detected(team) -> None:
    v, _ = _flow(team)
    _sql("UPDATE campaign_messageversion SET yaml = %s WHERE id = %s", [CLEAN.replace("보호", "처벌"), v.id])
    _assert_bad(1, "text differs")


def test_truncation_is_detected_against_a_checkpoint(team, tmp_path) -> None:
    _flow(team)
    cp = tmp_path / "head.json"
    assert run_cli("audit", "checkpoint", *store_args(), "-o", str(cp)).returncode == 0
    _sql(f"DELETE FROM {T} WHERE \"index\" >= 4")
    Product.objects.all()._raw_delete(Product.objects.db)  # the tail's product goes with it
    assert _verify().returncode == 0  # a clean prefix is a valid chain on its own...
    r = _verify("--checkpoint", str(cp))
    assert r.returncode == 1 and "truncated" in r.stderr and "entry 5:" in r.stderr, r.stderr


def test_rewritten_ledger_differs_from_checkpoint(team, tmp_path) -> None:
    _flow(team)
    cp = tmp_path / "head.json"
    cp.write_text(json.dumps({"index": 3, "hash": "ab" * 32}))
    r = _verify("--checkpoint", str(cp))
    assert r.returncode == 1 and "entry 3:" in r.stderr and "checkpoint" in r.stderr


def test_bad_usage_exits_2(store, tmp_path) -> None:
    r = run_cli("audit", "verify", "--data", str(tmp_path / "none"))
    assert r.returncode == 2 and "meari:" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "cp.json"
    bad.write_text("{not json")
    r = _verify("--checkpoint", str(bad))
    assert r.returncode == 2 and "checkpoint" in r.stderr and "Traceback" not in r.stderr
    assert run_cli("audit").returncode == 2
    assert run_cli("audit", "verify", "--bogus").returncode == 2


def test_verify_does_not_create_a_store(store, tmp_path) -> None:
    """verify on a database without the workbench's tables says so (exit 2) instead of creating them."""
    import sqlite3

    d = tmp_path / "empty"
    d.mkdir()
    sqlite3.connect(d / "meari.sqlite3").close()
    r = run_cli("audit", "verify", "--data", str(d))
    assert r.returncode == 2 and "no workbench ledger" in r.stderr, r.stderr
    r = run_cli("audit", "checkpoint", *store_args(), "-o", str(tmp_path / "cp.json"))
    assert r.returncode == 2 and "empty" in r.stderr  # nothing to checkpoint yet
    r = run_cli("audit", "export", *store_args(), "-o", str(tmp_path))
    assert r.returncode == 2 and "cannot write" in r.stderr and "Traceback" not in r.stderr
