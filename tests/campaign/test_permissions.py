"""Every role x action x own/other campaign through the store's workflow functions (real database); the
table itself (permission_table.py) is the one the HTTP tests (tests/web/test_permissions_http.py) drive too.

A denied action raises Denied (NotFound for another campaign's objects) and changes nothing, not even
the ledger; an allowed one happens and is ledgered.
"""

from __future__ import annotations

import pytest

from meari.campaign import rules, workflow
from meari.campaign.models import LedgerEntry

from .conftest import CLEAN, ROLES
from .permission_table import TABLE, approved


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_role_action_table(team, role: str, where: str) -> None:
    """role x action x own/other campaign -> allowed/denied (the other campaign's user sees nothing)."""
    user = team[role] if where == "own" else team[role + "2"]
    wrong = []
    for action in TABLE:
        objs = action.prepare(team)
        before = LedgerEntry.objects.count()
        expected = where == "own" and role in action.allowed
        try:
            action.call(user, objs)
            got = True
        except workflow.Denied as e:
            got = False
            assert e.reason and e.rule.startswith("can_"), (role, action.name, e.reason, e.rule)
            assert LedgerEntry.objects.count() == before, f"denied {action.name} still wrote to the ledger"
        if got and action.ledgered:
            assert LedgerEntry.objects.count() > before, f"{action.name} by {role} was not ledgered"
        if got != expected:
            wrong.append(f"{role}/{where}/{action.name}: expected {'allowed' if expected else 'denied'}")
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
    v = approved(team)
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
