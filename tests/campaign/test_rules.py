"""Each workflow rule on plain data (no database): every reason a rule can refuse, and its allowed case."""

from __future__ import annotations

import pytest

from meari.campaign import rules
from meari.campaign.rules import Actor, VersionState

W, L, G, A, OP = 1, 2, 3, 4, 5  # writer, linguist, legal, approver, operator ids


def actor(uid: int, *roles: str) -> Actor:
    return Actor(uid, f"u{uid}", frozenset(roles))


def st(**kw) -> VersionState:  # noqa: ANN003
    base = dict(campaign="kursk", number=2, latest=True, channel="leaflet", authors=frozenset({W}))
    return VersionState(**{**base, **kw})


OPEN = frozenset({"v2:ihl.no-quarter:text:0-5"})
GONE = frozenset({"v1:ihl.no-quarter:text:0-5"})

CASES = [
    # (rule call, allowed, reason fragment)
    (lambda: rules.can_read(actor(9), "kursk"), False, "not a member"),
    (lambda: rules.can_read(actor(9, "analyst"), "kursk"), True, ""),
    (lambda: rules.can_edit(actor(W, "writer"), "kursk"), True, ""),
    (lambda: rules.can_edit(actor(L, "linguist"), "kursk"), False, "only a writer"),
    (lambda: rules.can_add_audience(actor(W, "writer"), "kursk"), True, ""),
    (lambda: rules.can_add_audience(actor(9, "admin"), "kursk"), True, ""),
    (lambda: rules.can_add_audience(actor(OP, "operator"), "kursk"), False, "only a writer or admin"),
    (lambda: rules.can_add_audience(actor(9), "kursk"), False, "not a member"),
    (lambda: rules.can_sign_language(actor(L, "linguist"), st()), True, ""),
    (lambda: rules.can_sign_language(actor(W, "writer", "linguist"), st()), False, "author"),
    (lambda: rules.can_sign_language(actor(G, "legal"), st()), False, "only a linguist"),
    (lambda: rules.can_sign_language(actor(L, "linguist"), st(latest=False)), False, "stale"),
    (lambda: rules.can_sign_language(actor(L, "linguist"), st(language_by=7)), False, "already signed"),
    (lambda: rules.can_sign_language(actor(L), st()), False, "not a member"),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(resolvable=OPEN), next(iter(OPEN)), "accepted",
                                       "quoted from an enemy order"), True, ""),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(resolvable=OPEN), next(iter(OPEN)), "accepted", " "),
     False, "written reason"),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(resolvable=OPEN), next(iter(OPEN)), "fixed", ""),
     False, "not fixed"),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(resolvable=GONE), next(iter(GONE)), "fixed", ""),
     True, ""),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(resolvable=GONE), next(iter(GONE)), "ignored", ""),
     False, "unknown resolution"),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(), "v2:x:text:0-1", "accepted", "long reason ok"),
     False, "no open"),
    (lambda: rules.can_resolve_finding(actor(G, "legal"), st(legal_by=G, resolvable=OPEN), next(iter(OPEN)),
                                       "accepted", "long reason ok"), False, "already signed"),
    (lambda: rules.can_resolve_finding(actor(W, "writer", "legal"), st(resolvable=OPEN), next(iter(OPEN)),
                                       "accepted", "long reason ok"), False, "author"),
    (lambda: rules.can_sign_legal(actor(G, "legal"), st()), True, ""),
    (lambda: rules.can_sign_legal(actor(G, "legal"), st(unresolved=tuple(OPEN))), False, "unresolved"),
    (lambda: rules.can_sign_legal(actor(W, "writer", "legal"), st()), False, "author"),
    (lambda: rules.can_sign_legal(actor(L, "linguist"), st()), False, "only the legal"),
    (lambda: rules.can_approve(actor(A, "approver"), st(language_by=L, legal_by=G)), True, ""),
    (lambda: rules.can_approve(actor(W, "writer", "approver"), st(language_by=L, legal_by=G)), False, "author"),
    (lambda: rules.can_approve(actor(L, "approver"), st(language_by=L, legal_by=G)), False, "third person"),
    (lambda: rules.can_approve(actor(G, "approver"), st(language_by=L, legal_by=G)), False, "third person"),
    (lambda: rules.can_approve(actor(A, "approver"), st(legal_by=G)), False, "no language sign-off"),
    (lambda: rules.can_approve(actor(A, "approver"), st(language_by=L)), False, "no legal sign-off"),
    (lambda: rules.can_approve(actor(A, "approver"), st(language_by=L, legal_by=G, latest=False)), False, "stale"),
    (lambda: rules.can_approve(actor(A, "approver"), st(language_by=L, legal_by=G, approved_by=8)), False,
     "already approved"),
    (lambda: rules.can_approve(actor(OP, "operator"), st(language_by=L, legal_by=G)), False, "only an approver"),
    (lambda: rules.can_build_product(actor(OP, "operator"), st(approved_by=A), "appeal-leaflet"), True, ""),
    (lambda: rules.can_build_product(actor(OP, "operator"), st(), "appeal-leaflet"), False, "not approved"),
    (lambda: rules.can_build_product(actor(OP, "operator"), st(approved_by=A, latest=False), "appeal-leaflet"),
     False, "stale"),
    (lambda: rules.can_build_product(actor(OP, "operator"), st(approved_by=A), "audio"), False, "no 'audio'"),
    (lambda: rules.can_build_product(actor(A, "approver"), st(approved_by=A), "imposed"), False, "only an operator"),
    (lambda: rules.can_record_dissemination(actor(OP, "operator"), st(approved_by=A)), True, ""),
    (lambda: rules.can_record_dissemination(actor(OP, "operator"), st()), False, "not approved"),
    (lambda: rules.can_record_dissemination(actor(9, "analyst"), st(approved_by=A)), False, "only an operator"),
    (lambda: rules.can_manage_members(actor(9, "admin"), "kursk"), True, ""),
    (lambda: rules.can_manage_members(Actor(9, "root", frozenset(), True), "kursk"), True, ""),
    (lambda: rules.can_manage_members(actor(W, "writer"), "kursk"), False, "only an admin"),
    (lambda: rules.can_create_campaign(actor(9, "admin")), False, "global admin"),
    (lambda: rules.can_read_ledger(actor(9, "analyst"), "kursk"), True, ""),
    (lambda: rules.can_upload(actor(A, "approver"), "kursk"), False, "writer or operator"),
    (lambda: rules.can_read_ledger(actor(W, "writer"), "kursk"), False, "only an admin"),
]


@pytest.mark.parametrize("i", range(len(CASES)))
def test_rule(i: int) -> None:
    call, allowed, fragment = CASES[i]
    d = call()
    assert bool(d) is allowed, d
    assert d.rule.startswith("can_")
    if not allowed:
        assert fragment in d.reason, d.reason


def test_every_rule_is_exercised() -> None:
    import inspect

    names = {n for n, f in inspect.getmembers(rules, inspect.isfunction) if n.startswith("can_")}
    used = {CASES[i][0]().rule for i in range(len(CASES))}
    assert names == used


def test_upload_rule() -> None:
    assert rules.can_upload(actor(OP, "operator"), "kursk") and rules.can_upload(actor(W, "writer"), "kursk")
    d = rules.can_upload(actor(A, "approver"), "kursk")
    assert not d and "writer or operator" in d.reason
    assert "not a member" in rules.can_upload(actor(9), "kursk").reason
