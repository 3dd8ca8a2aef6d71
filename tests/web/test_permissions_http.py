"""The permission table through HTTP: every role x action x own/other campaign via the JSON API, the
special rules (self-approval, approval without legal sign-off, stale version, products from an
unapproved version, cross-campaign reads), and missing CSRF on pages and API.

The store's tests check the plain rule functions; these check that every request goes through them:
the API answers 201/200 exactly where the table allows, 403 (with the rule's reason) for a role that may
not act, 404 for another campaign's objects (nothing of it is revealed), and that a refused request
changes nothing (no new ledger entry).
"""

from __future__ import annotations

import re

import pytest

from meari.campaign import workflow
from meari.campaign.models import LedgerEntry
from tests.campaign.permission_table import TABLE, approved

from .conftest import CLEAN, ROLES, THREAT, Api, csrf_of, make_user, page_client

HTTP_ACTIONS = [a for a in TABLE if a.http is not None]


def _call(api: Api, method: str, url: str, body):  # noqa: ANN001, ANN202
    return api.get(url) if method == "get" else api.post(url, body)


@pytest.mark.parametrize("action", HTTP_ACTIONS, ids=lambda a: a.name)
def test_role_action_table(team, action) -> None:  # noqa: ANN001
    """Own campaign: allowed roles succeed; every other role gets 403 (404 for reads it may not make);
    the same role in another campaign gets 404. A refused call writes nothing to the ledger."""
    method, url, body, ok = action.http(action.prepare(team))
    allowed = action.allowed
    # denied first (they change nothing), then the other campaign, then one allowed role acts
    for role in [r for r in ROLES if r not in allowed]:
        before = LedgerEntry.objects.count()
        r = _call(Api(team[role]), method, url, body)
        assert r.status_code == 403, (action.name, role, r.status_code, r.content[:300])
        assert r.json()["detail"], (action.name, role)
        assert LedgerEntry.objects.count() == before, (action.name, role, "a refused call was ledgered")
    for role in ROLES:
        before = LedgerEntry.objects.count()
        r = _call(Api(team[role + "2"]), method, url, body)
        assert r.status_code == 404, (action.name, role + "2", r.status_code, r.content[:300])
        assert LedgerEntry.objects.count() == before
    for role in sorted(allowed):
        r = _call(Api(team[role]), method, url, body)
        assert r.status_code == ok, (action.name, role, r.status_code, r.content[:300])
        if method == "post":
            break  # a state change happens once
    if method == "post":
        assert LedgerEntry.objects.order_by("-index").first().actor in allowed


class _Obj:
    id = message_id = 1


def test_the_table_covers_every_api_action() -> None:
    """Every workflow POST of the API is a row of the table (a new one cannot slip past the table)."""
    from meari.web.api import api

    def shape(path: str) -> str:
        return re.sub(r"/(\{[^}]+\}|\d+|kursk)(?=/|$)", "/N", path)

    posts = {shape(p) for p, item in api.get_openapi_schema()["paths"].items() if "post" in item}
    fake = {"v": _Obj(), "p": _Obj(), "key": "k", "c": None}
    covered = {shape(a.http(fake)[1]) for a in HTTP_ACTIONS if a.http(fake)[0] == "post"}
    # not workflow actions: the session, and the live review (a read, any member); the research API has its
    # own role table (analyst writes: test_research_http.py)
    other = {"/api/login", "/api/logout", "/api/campaigns/N/live", "/api/campaigns/N/outcomes",
             "/api/campaigns/N/profiles", "/api/campaigns/N/raters", "/api/pretests", "/api/pretests/N/import",
             "/api/pretests/N/ratings"}
    assert posts - covered - other == set(), sorted(posts - covered - other)


def test_anonymous_gets_401_on_api_and_login_redirect_on_pages(team) -> None:  # noqa: ANN001
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    anon = Api(None)
    for url in ("/api/campaigns", f"/api/versions/{v.id}", "/api/campaigns/kursk/products"):
        assert anon.get(url).status_code == 401, url
    assert anon.post(f"/api/versions/{v.id}/approval").status_code == 401
    c = page_client()
    for url in ("/", "/c/kursk/", f"/v/{v.id}/", f"/v/{v.id}/signoff", "/c/kursk/products"):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url


def test_campaign_list_shows_only_own_campaigns(team) -> None:  # noqa: ANN001
    slugs = [c["slug"] for c in Api(team["writer"]).get("/api/campaigns").json()]
    assert slugs == ["kursk"]
    html = page_client(team["writer"]).get("/").content.decode()
    assert "/c/kursk/" in html and "/c/other/" not in html


def test_self_approval_is_refused(team) -> None:  # noqa: ANN001
    """A writer who is also an approver may not approve their own message (nor may a signer)."""
    both = make_user("writer_approver", "writer", team["own"])
    make_user("writer_approver", "approver", team["own"])
    v = workflow.create_message(both, team["own"], CLEAN)
    workflow.sign_off(team["linguist"], v, "language")
    workflow.sign_off(team["legal"], v, "legal")
    r = Api(both).post(f"/api/versions/{v.id}/approval")
    assert r.status_code == 403 and "own" in r.json()["detail"]
    # a linguist who is also an approver signed: not a third person
    lingo = make_user("linguist", "approver", team["own"])
    r = Api(lingo).post(f"/api/versions/{v.id}/approval")
    assert r.status_code == 403 and "third person" in r.json()["detail"]
    # and the author may not sign their own language either
    make_user("writer_approver", "linguist", team["own"])
    v2 = workflow.create_message(both, team["own"], CLEAN.replace("천천히", "조용히"))
    r = Api(both).post(f"/api/versions/{v2.id}/signoffs", {"kind": "language"})
    assert r.status_code == 403 and "own" in r.json()["detail"]


def test_approval_without_legal_signoff_is_refused(team) -> None:  # noqa: ANN001
    v = workflow.create_message(team["writer"], team["own"], THREAT)
    workflow.sign_off(team["linguist"], v, "language")
    api = Api(team["approver"])
    r = api.post(f"/api/versions/{v.id}/approval")
    assert r.status_code == 403 and "legal" in r.json()["detail"]
    # legal cannot sign while ihl. findings are open, so approval stays refused
    r = Api(team["legal"]).post(f"/api/versions/{v.id}/signoffs", {"kind": "legal"})
    assert r.status_code == 403 and "unresolved" in r.json()["detail"]
    # an acceptance without a written reason is refused too
    key = workflow.legal_findings(v)[0]["key"]
    r = Api(team["legal"]).post(f"/api/versions/{v.id}/resolutions", {"key": key, "status": "accepted", "reason": ""})
    assert r.status_code == 403 and "reason" in r.json()["detail"]
    assert api.post(f"/api/versions/{v.id}/approval").status_code == 403


def test_stale_version_cannot_be_approved_or_built(team) -> None:  # noqa: ANN001
    v1 = workflow.create_message(team["writer"], team["own"], CLEAN)
    workflow.sign_off(team["linguist"], v1, "language")
    workflow.sign_off(team["legal"], v1, "legal")
    v2 = workflow.save_version(team["writer"], v1.message, CLEAN.replace("천천히", "조용히"))
    r = Api(team["approver"]).post(f"/api/versions/{v1.id}/approval")
    assert r.status_code == 403 and "stale" in r.json()["detail"]
    # approve v3 then edit: the approval is void for building
    a = approved(team)
    workflow.save_version(team["writer"], a.message, CLEAN.replace("천천히", "빨리"))
    r = Api(team["operator"]).post(f"/api/versions/{a.id}/products", {"kind": "safe-conduct"})
    assert r.status_code == 403 and "stale" in r.json()["detail"]
    assert v2.number == 2


def test_products_only_from_an_approved_version(team) -> None:  # noqa: ANN001
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    workflow.sign_off(team["linguist"], v, "language")
    workflow.sign_off(team["legal"], v, "legal")
    api = Api(team["operator"])
    r = api.post(f"/api/versions/{v.id}/products", {"kind": "appeal-leaflet"})
    assert r.status_code == 403 and "not approved" in r.json()["detail"]
    # the products page refuses it the same way
    c = page_client(team["operator"])
    token = csrf_of(c, "/c/kursk/products")
    r = c.post("/c/kursk/products", {"version": v.id, "kind": "appeal-leaflet", "csrfmiddlewaretoken": token})
    assert r.status_code == 403 and "not approved" in r.content.decode()
    from meari.campaign.models import Product

    assert not Product.objects.exists()


def test_cross_campaign_reads_are_404(team) -> None:  # noqa: ANN001
    v = approved(team)
    p = workflow.build_product(team["operator"], v, "safe-conduct")
    stranger = team["admin2"]
    api = Api(stranger)
    for url in (f"/api/versions/{v.id}", f"/api/messages/{v.message_id}", f"/api/products/{p.id}",
                f"/api/products/{p.id}/file", "/api/campaigns/kursk/messages", "/api/campaigns/kursk/products",
                f"/api/versions/{v.id}/legal-findings", f"/api/versions/{v.id}/diff?against=1"):
        r = api.get(url)
        assert r.status_code == 404, url
        assert "kursk" not in r.content.decode().lower() or url.endswith("messages"), url
    c = page_client(stranger)
    for url in ("/c/kursk/", f"/m/{v.message_id}/", f"/v/{v.id}/", f"/v/{v.id}/yaml", f"/v/{v.id}/signoff",
                f"/v/{v.id}/approve", f"/p/{p.id}/download", "/c/kursk/products", "/c/kursk/disseminations",
                f"/m/{v.message_id}/edit", "/c/kursk/ledger"):
        r = c.get(url)
        assert r.status_code == 404, (url, r.status_code)
        assert "무기를" not in r.content.decode(), url
    # nonexistent ids look the same as another campaign's
    assert api.get("/api/versions/999999").status_code == 404


def test_missing_csrf_is_refused_on_api_and_pages(team) -> None:  # noqa: ANN001
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    api = Api(team["linguist"])
    r = api.post(f"/api/versions/{v.id}/signoffs", {"kind": "language"}, csrf=False)
    assert r.status_code == 403 and "CSRF" in r.content.decode()
    c = page_client(team["linguist"])
    r = c.post(f"/v/{v.id}/signoff", {"action": "language"})
    assert r.status_code == 403
    # a wrong token is no better than none
    r = c.post(f"/v/{v.id}/signoff", {"action": "language", "csrfmiddlewaretoken": "x" * 64})
    assert r.status_code == 403
    assert not v.signoffs.exists()
    # with the page's token it works
    token = csrf_of(c, f"/v/{v.id}/signoff")
    r = c.post(f"/v/{v.id}/signoff", {"action": "language", "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and v.signoffs.filter(kind="language").exists()
    # login and logout forms are protected too
    anon = page_client()
    assert anon.post("/login/", {"username": "writer", "password": "x"}).status_code == 403
    assert page_client(team["writer"]).post("/logout/").status_code == 403


def test_pages_enforce_the_same_rules(team) -> None:  # noqa: ANN001
    """Sign-off and approval pages: a forbidden POST gets 403 with the reason and changes nothing."""
    v = workflow.create_message(team["writer"], team["own"], CLEAN)
    for role, url, data in (("writer", f"/v/{v.id}/signoff", {"action": "language"}),
                            ("legal", f"/v/{v.id}/signoff", {"action": "language"}),
                            ("approver", f"/v/{v.id}/approve", {}),
                            ("writer", f"/v/{v.id}/approve", {})):
        c = page_client(team[role])
        token = csrf_of(c, url)
        r = c.post(url, {**data, "csrfmiddlewaretoken": token})
        assert r.status_code == 403, (role, url)
    assert not v.signoffs.exists()
    # a linguist's page shows the button; a writer's shows the reason instead
    html = page_client(team["linguist"]).get(f"/v/{v.id}/signoff").content.decode()
    assert 'data-testid="sign-language"' in html
    html = page_client(team["writer"]).get(f"/v/{v.id}/signoff").content.decode()
    assert 'data-testid="sign-language"' not in html and 'data-testid="language-reason"' in html
    # the editor refuses a save from a non-writer
    c = page_client(team["operator"])
    token = csrf_of(c, f"/m/{v.message_id}/edit")
    r = c.post(f"/m/{v.message_id}/edit", {"csrfmiddlewaretoken": token, "text": "무기를 내려놓으십시오.",
                                           "channel": "leaflet", "language": "nk", "drafted_in": "nk",
                                           "sponsor": "우크라이나 국방정보총국"})
    assert r.status_code == 403 and "writer" in r.content.decode()
    assert v.message.versions.count() == 1
