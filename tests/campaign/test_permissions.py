"""Every role x action x own/other campaign through the store's workflow functions (real database).

A denied action raises Denied (NotFound for another campaign's objects) and changes nothing, not even
the ledger; an allowed one happens and is ledgered.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meari.campaign import rules, workflow
from meari.campaign.models import LedgerEntry, Product

from .conftest import CLEAN, ROLES, THREAT

#: role -> actions it may take in its own campaign; every other cell of the table is denied
ALLOWED = {
    "admin": {"read", "manage_members", "read_ledger"},
    "writer": {"read", "edit"},
    "linguist": {"read", "sign_language"},
    "legal": {"read", "resolve", "sign_legal"},
    "approver": {"read", "approve", "read_ledger"},
    "operator": {"read", "build", "disseminate"},
    "analyst": {"read", "read_ledger"},
}
ACTIONS = ("read", "edit", "sign_language", "resolve", "sign_legal", "approve", "build", "disseminate",
           "manage_members", "read_ledger")


def _approved(t, yaml=CLEAN):  # noqa: ANN001, ANN202
    v = workflow.create_message(t["writer"], t["own"], yaml)
    workflow.sign_off(t["linguist"], v, "language")
    for f in workflow.legal_findings(v):
        workflow.resolve_finding(t["legal"], v, f["key"], "accepted", "reviewed: acceptable in context")
    workflow.sign_off(t["legal"], v, "legal")
    workflow.approve(t["approver"], v)
    return v


def _setup(action: str, t: dict):  # noqa: ANN202
    """State just before ``action`` (objects of campaign kursk), and the call performing it for a user."""
    w = t["writer"]
    if action == "read":
        v = workflow.create_message(w, t["own"], CLEAN)
        return lambda u: workflow.get_version(u, v.id)
    if action == "edit":
        v = workflow.create_message(w, t["own"], CLEAN)
        return lambda u: workflow.save_version(u, v.message, CLEAN.replace("천천히", "조용히"))
    if action == "sign_language":
        v = workflow.create_message(w, t["own"], CLEAN)
        return lambda u: workflow.sign_off(u, v, "language")
    if action == "resolve":
        v = workflow.create_message(w, t["own"], THREAT)
        key = workflow.legal_findings(v)[0]["key"]
        return lambda u: workflow.resolve_finding(u, v, key, "accepted", "quoted from the enemy's own order")
    if action == "sign_legal":
        v = workflow.create_message(w, t["own"], CLEAN)
        assert not workflow.legal_findings(v)
        return lambda u: workflow.sign_off(u, v, "legal")
    if action == "approve":
        v = workflow.create_message(w, t["own"], CLEAN)
        workflow.sign_off(t["linguist"], v, "language")
        workflow.sign_off(t["legal"], v, "legal")
        return lambda u: workflow.approve(u, v)
    if action == "build":
        v = _approved(t)
        return lambda u: workflow.build_product(u, v, "safe-conduct")
    if action == "disseminate":
        v = _approved(t)
        p = Product.objects.create(version=v, kind="safe-conduct", path=f"products/x-{v.id}.pdf", sha256="0" * 64,
                                   signature="test", size=1, media_type="application/pdf", built_by=t["operator"])
        return lambda u: workflow.record_dissemination(u, p, quantity=500, channel="drone",
                                                       time=datetime(2026, 12, 1, 5, tzinfo=UTC), lat=51.7, lon=35.3)
    if action == "manage_members":
        return lambda u: workflow.add_user(u, "analyst", "", "writer", "kursk")
    if action == "read_ledger":
        return lambda u: list(workflow.ledger_for(u, t["own"]))
    raise AssertionError(action)


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_role_action_table(team, role: str, where: str) -> None:
    """role x action x own/other campaign -> allowed/denied (the other campaign's user sees nothing)."""
    user = team[role] if where == "own" else team[role + "2"]
    wrong = []
    for action in ACTIONS:
        act = _setup(action, team)
        before = LedgerEntry.objects.count()
        expected = where == "own" and action in ALLOWED[role]
        try:
            act(user)
            got = True
        except workflow.Denied as e:
            got = False
            assert e.reason and e.rule.startswith("can_"), (role, action, e.reason, e.rule)
            assert LedgerEntry.objects.count() == before, f"denied {action} still wrote to the ledger"
        if got and action not in {"read", "read_ledger"}:
            assert LedgerEntry.objects.count() > before, f"{action} by {role} was not ledgered"
        if got != expected:
            wrong.append(f"{role}/{where}/{action}: expected {'allowed' if expected else 'denied'}")
    assert not wrong, "\n".join(wrong)


def test_global_admin_manages_but_reads_nothing(team) -> None:
    """A global admin opens campaigns and grants roles, but is not a member: sees no campaign's messages."""
    root = team["root"]
    workflow.create_campaign(root, "kharkiv", "Kharkiv")
    workflow.add_user(root, "linguist", "", "linguist", "kharkiv")
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    with pytest.raises(workflow.NotFound):
        workflow.get_version(root, v.id)
    assert [c.slug for c in workflow.campaigns_for(team["linguist"])] == ["kharkiv", "kursk"]
    with pytest.raises(workflow.Denied):
        workflow.create_campaign(team["admin"], "nope")


def test_cross_campaign_reads(team) -> None:
    """Users see nothing of a campaign they are not in: campaigns, messages, versions, products."""
    v = _approved(team)
    p = workflow.build_product(team["operator"], v, "safe-conduct")
    outsider = team["writer2"]
    assert [c.slug for c in workflow.campaigns_for(outsider)] == ["other"]
    for call in (lambda: workflow.get_campaign(outsider, "kursk"), lambda: workflow.get_message(outsider, v.message.id),
                 lambda: workflow.get_version(outsider, v.id), lambda: workflow.get_product(outsider, p.id)):
        with pytest.raises(workflow.NotFound):
            call()
    # and writing into it is refused too
    with pytest.raises(workflow.Denied):
        workflow.save_version(outsider, v.message, CLEAN)
    with pytest.raises(workflow.Denied):
        workflow.create_message(outsider, team["own"], CLEAN)


def test_rules_are_plain_functions() -> None:
    """The rules need no database: plain data in, Decision out, with the rule's id."""
    s = rules.VersionState("kursk", 1, True, "leaflet", frozenset({1}), language_by=2, legal_by=3)
    ok = rules.can_approve(rules.Actor(4, "a", frozenset({"approver"})), s)
    assert ok and ok.rule == "can_approve"
    no = rules.can_approve(rules.Actor(3, "g", frozenset({"approver", "legal"})), s)
    assert not no and "third person" in no.reason


def test_campaign_admin_cannot_take_over_accounts(team) -> None:
    """A campaign admin grants roles in their campaign, but cannot reset passwords or act elsewhere."""
    from meari.campaign.models import LedgerEntry

    n = LedgerEntry.objects.count()
    with pytest.raises(workflow.Denied, match="global admin"):
        workflow.add_user(team["admin"], "root", "new password 123", "analyst", "kursk")
    with pytest.raises(workflow.Denied):
        workflow.add_user(team["admin"], "writer2", "", "writer", "other")
    with pytest.raises(workflow.Denied):
        workflow.add_user(team["admin"], "x", "a password 123", "admin", None)
    assert LedgerEntry.objects.count() == n
    workflow.add_user(team["root"], "writer2", "new password 123", "writer", "other")
