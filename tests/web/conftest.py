"""Web tests drive the real app: Django's test client over meari.web.settings and a real database
(SQLite in a temp data dir; PostgreSQL when the store's PostgreSQL re-run sets it up). Every test starts
from empty tables and an empty cache (the login-failure counters live there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.campaign.testing import reset_store, setup_test_django

STORE = setup_test_django("meari.web.settings")
ROOT = Path(__file__).resolve().parents[2]
APPEAL = (ROOT / "examples" / "appeal.yaml").read_text(encoding="utf-8")
ROLES = ("admin", "writer", "linguist", "legal", "approver", "operator", "analyst")

#: two IHL errors (no quarter): legal must resolve them before signing
THREAT = """sponsor: 우크라이나 국방정보총국
channel: leaflet
text: |
  항복하지 않으면 너희 모두를 죽이겠다. 살아남는 자는 없을 것이다.
  무기를 버리고 나오면 포로로서 보호를 받는다.
leaflet:
  headline: 살아서 돌아가십시오
"""
#: no ihl./truth. findings
CLEAN = """sponsor: 우크라이나 국방정보총국
channel: leaflet
text: |
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로는 제네바협약에 따라 보호를 받습니다.
leaflet:
  headline: 살아서 돌아가십시오
"""


@pytest.fixture
def store() -> dict:
    from django.core.cache import cache

    reset_store()
    cache.clear()
    return STORE


def make_user(name: str, role: str | None = None, campaign=None, password: str | None = None):  # noqa: ANN001, ANN201
    from django.contrib.auth import get_user_model

    from meari.campaign.models import Membership

    User = get_user_model()
    u = User.objects.filter(username=name).first()
    if u is None:
        u = User.objects.create_user(username=name, password=password)
    if role:
        Membership.objects.get_or_create(user=u, campaign=campaign, role=role)
    return u


@pytest.fixture
def team(store):  # noqa: ANN001, ANN201
    """Campaigns kursk (users named ROLE) and other (users named ROLE2), one user per role in each."""
    from meari.campaign.models import Campaign

    own = Campaign.objects.create(slug="kursk", name="Kursk")
    other = Campaign.objects.create(slug="other", name="Other")
    t = {"own": own, "other": other}
    for r in ROLES:
        t[r] = make_user(r, r, own)
        t[r + "2"] = make_user(r + "2", r, other)
    t["writer_b"] = make_user("writer_b", "writer", own)
    return t


class Api:
    """A logged-in client speaking JSON to /api/ with the CSRF header, as the pages' scripts would."""

    def __init__(self, user=None, csrf: bool = True) -> None:  # noqa: ANN001
        from django.test import Client

        self.c = Client(enforce_csrf_checks=True)
        if user is not None:
            self.c.force_login(user)
        self.token = self.c.get("/api/csrf").json()["csrf_token"] if csrf else ""

    def get(self, url: str):  # noqa: ANN201
        return self.c.get(url)

    def post(self, url: str, body: dict | None = None, csrf: bool = True):  # noqa: ANN201
        import json

        headers = {"X-CSRFToken": self.token} if csrf and self.token else {}
        return self.c.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def page_client(user=None):  # noqa: ANN001, ANN201
    """A Django test client logged in as ``user`` (CSRF enforced like a browser)."""
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    if user is not None:
        c.force_login(user)
    return c


def csrf_of(client, url: str) -> str:  # noqa: ANN001
    """The CSRF token a page's form carries (GET it first, as a browser does)."""
    import re

    html = client.get(url).content.decode()
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert m, f"no CSRF token in {url}"
    return m.group(1)
