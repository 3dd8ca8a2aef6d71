"""The one permission table: role x action in its own campaign, with how to prepare each action's state
and how to perform it, both as the store's plain function and as the HTTP request the API answers.

Two drivers read it: tests/campaign/test_permissions.py calls the workflow functions (Denied / NotFound,
nothing ledgered when refused) and tests/web/test_permissions_http.py sends the requests (403 with the
rule's reason, 404 for another campaign's objects). Every cell not listed in ``allowed`` is denied, and
every role of another campaign is denied everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from meari.campaign import workflow

from .fixtures import CLEAN, ROLES, THREAT


@dataclass(frozen=True)
class Action:
    name: str
    allowed: frozenset[str]  # roles that may do it in their own campaign
    prepare: Callable[[dict], dict]  # team -> objects of campaign kursk, in the state just before the action
    call: Callable[[Any, dict], Any]  # (user, objects): the workflow function
    http: Callable[[dict], tuple[str, str, dict | None, int]] | None  # objects -> method, url, body, success
    ledgered: bool = True  # a success writes a ledger entry


def approved(t: dict, yaml: str = CLEAN):  # noqa: ANN201
    """A version of campaign kursk through the whole chain (legal accepts every finding with a reason)."""
    v = workflow.create_message(t["writer"], t["own"], yaml)
    workflow.sign_off(t["linguist"], v, "language")
    for f in workflow.legal_findings(v):
        workflow.resolve_finding(t["legal"], v, f["key"], "accepted", "reviewed: acceptable in context")
    workflow.sign_off(t["legal"], v, "legal")
    workflow.approve(t["approver"], v)
    return v


def _draft(t: dict, yaml: str = CLEAN) -> dict:
    return {"v": workflow.create_message(t["writer"], t["own"], yaml)}


def _signed(t: dict) -> dict:
    o = _draft(t)
    workflow.sign_off(t["linguist"], o["v"], "language")
    workflow.sign_off(t["legal"], o["v"], "legal")
    return o


def _threat(t: dict) -> dict:
    o = _draft(t, THREAT)
    o["key"] = workflow.legal_findings(o["v"])[0]["key"]
    return o


def _fake_product(t: dict, data: bytes | None = None) -> dict:
    """An approved version with a product row; with ``data``, its file is in the store too (a stand-in:
    building is tested elsewhere, and a real build per table cell would cost the table a minute)."""
    import hashlib

    from meari.campaign.models import Product

    v = approved(t)
    sha = hashlib.sha256(data).hexdigest() if data else "0" * 64
    p = Product.objects.create(version=v, kind="safe-conduct", path=f"products/x-{v.id}.pdf", sha256=sha,
                               signature="test", size=len(data or b"x"), media_type="application/pdf",
                               built_by=t["operator"])
    if data:
        path = workflow.product_file(p)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {"v": v, "p": p}


def _built(t: dict) -> dict:
    return _fake_product(t, b"%PDF-1.4 stand-in\n")


EVERYONE = frozenset(ROLES)
WHEN = datetime(2026, 12, 1, 5, tzinfo=UTC)
REASON = "quoted from the enemy's own order"

TABLE: tuple[Action, ...] = (
    Action("read", EVERYONE, _draft, lambda u, o: workflow.get_version(u, o["v"].id),
           lambda o: ("get", f"/api/versions/{o['v'].id}", None, 200), ledgered=False),
    Action("create_message", frozenset({"writer"}), lambda t: {"c": t["own"]},
           lambda u, o: workflow.create_message(u, o["c"], CLEAN, "t"),
           lambda o: ("post", "/api/campaigns/kursk/messages", {"yaml": CLEAN, "title": "t"}, 201)),
    Action("add_audience", frozenset({"writer", "admin"}), lambda t: {"c": t["own"]},
           lambda u, o: workflow.create_audience(u, o["c"], "병사", ""),
           lambda o: ("post", "/api/campaigns/kursk/audiences", {"name": "병사", "description": ""}, 201)),
    Action("save_version", frozenset({"writer"}), _draft,
           lambda u, o: workflow.save_version(u, o["v"].message, CLEAN.replace("천천히", "조용히")),
           lambda o: ("post", f"/api/messages/{o['v'].message_id}/versions",
                      {"yaml": CLEAN.replace("천천히", "조용히")}, 201)),
    Action("sign_language", frozenset({"linguist"}), _draft, lambda u, o: workflow.sign_off(u, o["v"], "language"),
           lambda o: ("post", f"/api/versions/{o['v'].id}/signoffs", {"kind": "language"}, 201)),
    Action("resolve", frozenset({"legal"}), _threat,
           lambda u, o: workflow.resolve_finding(u, o["v"], o["key"], "accepted", REASON),
           lambda o: ("post", f"/api/versions/{o['v'].id}/resolutions",
                      {"key": o["key"], "status": "accepted", "reason": REASON}, 201)),
    Action("sign_legal", frozenset({"legal"}), _draft, lambda u, o: workflow.sign_off(u, o["v"], "legal"),
           lambda o: ("post", f"/api/versions/{o['v'].id}/signoffs", {"kind": "legal"}, 201)),
    Action("approve", frozenset({"approver"}), _signed, lambda u, o: workflow.approve(u, o["v"]),
           lambda o: ("post", f"/api/versions/{o['v'].id}/approval", None, 201)),
    Action("build", frozenset({"operator"}), lambda t: {"v": approved(t)},
           lambda u, o: workflow.build_product(u, o["v"], "safe-conduct"),
           lambda o: ("post", f"/api/versions/{o['v'].id}/products", {"kind": "safe-conduct"}, 201)),
    Action("disseminate", frozenset({"operator"}), _fake_product,
           lambda u, o: workflow.record_dissemination(u, o["p"], quantity=500, channel="drone", time=WHEN,
                                                      lat=51.7, lon=35.3),
           lambda o: ("post", f"/api/products/{o['p'].id}/disseminations",
                      {"quantity": 500, "channel": "drone", "time": WHEN.isoformat(), "lat": 51.7, "lon": 35.3},
                      201)),
    Action("download", EVERYONE, _built, lambda u, o: workflow.product_file(workflow.get_product(u, o["p"].id)),
           lambda o: ("get", f"/api/products/{o['p'].id}/file", None, 200), ledgered=False),
    Action("read_ledger", frozenset({"admin", "approver", "analyst"}), lambda t: {"c": t["own"]},
           lambda u, o: list(workflow.ledger_for(u, o["c"])),
           lambda o: ("get", "/api/campaigns/kursk/ledger", None, 200), ledgered=False),
    Action("manage_members", frozenset({"admin"}), lambda t: {},
           lambda u, o: workflow.add_user(u, "analyst", "", "writer", "kursk"), None),  # no HTTP call for it
)
BY_NAME = {a.name: a for a in TABLE}
