"""Web tests drive the real app: Django's test client over meari.web.settings and the store's real
database, set up once per process by tests/campaign/fixtures.py (shared with the store tests, with the
``store`` and ``team`` fixtures); the browser tests get a real ``meari serve`` and Chromium here."""

from __future__ import annotations

import pytest

from tests.campaign.fixtures import APPEAL, CLEAN, ROLES, ROOT, STORE, THREAT, make_user, store, team

__all__ = ["APPEAL", "CLEAN", "ROLES", "ROOT", "STORE", "THREAT", "make_user", "store", "team",
           "Api", "page_client", "csrf_of"]


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


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):  # noqa: ANN001, ANN201
    """The real ``meari serve`` for a browser test module, with the users of its ``USERS = {name: role}``."""
    pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) is not installed")
    from .browser import running_server

    with running_server(tmp_path_factory.mktemp("serve-data"), request.module.USERS) as s:
        yield s


@pytest.fixture
def browser(server):  # noqa: ANN001, ANN201
    from playwright.sync_api import sync_playwright

    from .browser import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()
