"""What the store tests (tests/campaign) and the web tests (tests/web) share: one Django set-up per process
over a real database (SQLite in a temp data dir; a fresh PostgreSQL database in the PostgreSQL re-run, see
test_postgres.py), the example messages, and the ``store`` and ``team`` fixtures (empty tables, product
store and cache at every test). Both conftests import their fixtures from here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from meari.campaign.testing import reset_store, setup_test_django

# The web app's settings when they exist (one Django configuration per process, shared with tests/web).
_SETTINGS = "meari.web.settings" if importlib.util.find_spec("meari.web.settings") else None
STORE = setup_test_django(_SETTINGS)
ROOT = Path(__file__).resolve().parents[2]

APPEAL = (ROOT / "examples" / "appeal.yaml").read_text(encoding="utf-8")
#: a draft with two IHL errors (no quarter), for the legal part of the chain
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
    """Empty tables, product store and cache (the login-failure counters live there); the store settings."""
    from django.core.cache import cache

    reset_store()
    cache.clear()
    return STORE


def make_user(name: str, role: str | None = None, campaign=None, password: str | None = None):  # noqa: ANN001, ANN201
    """A user (no password unless given: hashing is tested in test_cli) with one role."""
    from django.contrib.auth import get_user_model

    from meari.campaign.models import Membership

    User = get_user_model()
    u = User.objects.filter(username=name).first() or User.objects.create_user(username=name, password=password)
    if role:
        Membership.objects.get_or_create(user=u, campaign=campaign, role=role)
    return u


ROLES = ("admin", "writer", "linguist", "legal", "approver", "operator", "analyst")


@pytest.fixture
def team(store):  # noqa: ANN001, ANN201
    """Two campaigns; in each, one user per role (names: ROLE for kursk, ROLE2 for the other campaign)."""
    from meari.campaign.models import Campaign

    own = Campaign.objects.create(slug="kursk", name="Kursk")
    other = Campaign.objects.create(slug="other", name="Other")
    t = {"own": own, "other": other}
    for r in ROLES:
        t[r] = make_user(r, r, own)
        t[r + "2"] = make_user(r + "2", r, other)
    t["root"] = make_user("root", "admin", None)  # a global admin: member of no campaign
    t["writer_b"] = make_user("writer_b", "writer", own)
    return t
