"""In a real Chromium against the real ``meari serve``: an analyst enters an audience profile and a panel of
three raters; the panel rates version 1 of a message, the writer edits it (the pretest goes stale), the panel
rates version 2; the approver sees both in the ranking on the approval page; the writer sees the profile
beside the editor; the effects page's plots load. ``MEARI_SCREENSHOTS=DIR`` saves every page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.web.test_browser import ARGS, CHROMIUM, Flow, _env, _free_port, _step

CLEAN = """sponsor: 우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트
channel: leaflet
text: |
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로는 제네바협약에 따라 보호를 받습니다.
leaflet:
  headline: 살아서 돌아가십시오
"""
USERS = {"writer": "writer", "analyst": "analyst", "approver": "approver"}
#: v1 is rated low, v2 high: the ranking must put v2 first
SCORES = {1: {"R1": 2, "R2": 3, "R3": 2}, 2: {"R1": 5, "R2": 4, "R3": 5}}

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no browser: {CHROMIUM} is missing")


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # noqa: ANN001, ANN201
    pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) is not installed")
    data = tmp_path_factory.mktemp("research-serve")
    env = _env(data)
    pw = {}
    for name, role in USERS.items():
        pw[name] = f"{name}-test-password-7"
        r = subprocess.run([sys.executable, "-m", "meari", "users", "add", name, "--role", role, "--campaign", "kursk",
                            "--data", str(data)], input=pw[name] + "\n", text=True, capture_output=True, env=env,
                           timeout=120)
        assert r.returncode == 0, r.stderr
    port = _free_port()
    log = open(data / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "meari", "serve", "--data", str(data), "--port", str(port),
                             "--workers", "2", "--quiet"], stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise AssertionError("meari serve did not start:\n" + (data / "serve.log").read_text())
        time.sleep(0.3)
    yield {"base": base, "passwords": pw, "data": data}
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def browser(server):  # noqa: ANN001, ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _api(flow: Flow, method: str, url: str, body: dict) -> dict:
    tok = flow.ctx.request.get(flow.base + "/api/csrf").json()["csrf_token"]
    r = flow.ctx.request.fetch(flow.base + url, method=method, data=json.dumps(body),
                               headers={"X-CSRFToken": tok, "Content-Type": "application/json"})
    assert r.status in (200, 201), r.text()
    return r.json()


def _rate(page, number: int) -> None:  # noqa: ANN001
    from meari.campaign.stats import DIMENSIONS

    for rater, score in SCORES[number].items():
        for i, d in enumerate(DIMENSIONS):
            page.select_option(f"[data-testid=s-{rater}-{d}]", str(max(1, min(5, score - (i % 2 if score > 3 else 0)))))
    page.fill("input[name=c-R2]", "말투가 우리 말 같다")
    page.click("[data-testid=save-ratings]")
    page.wait_for_selector("[data-testid=notice]")


def test_profile_panel_ranking_and_plots(server, browser) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    base, pw = server["base"], server["passwords"]
    w = Flow(browser, base, "writer", pw["writer"], lang="en")
    v1 = _api(w, "POST", "/api/campaigns/kursk/messages", {"yaml": CLEAN, "title": "appeal"})
    a = Flow(browser, base, "analyst", pw["analyst"], lang="en")

    def profile(page) -> None:  # noqa: ANN001
        page.goto(base + "/c/kursk/profiles")
        page.fill("input[name=name]", "Kursk light infantry")
        page.fill("textarea[name='who.unit_type']", "폭풍군단 경보병 | NIS briefing | 2024-12 | B2")
        page.fill("textarea[name='conditions.told_about_capture']",
                  "Told that capture means torture | POW interview | 2025-01-20 | C3")
        page.fill("textarea[name='accessibility.loudspeaker']", "Positions within 2 km of the line | unit report "
                  "| 2025-02 | B2")
        page.fill("textarea[name='conditions.food']", "Short rations | press | 2025-01 | G9")
        page.click("[data-testid=save-profile]")
        expect(page.locator("[data-testid=problem]")).to_contain_text("A1-F6")  # bad grade: nothing saved
        page.fill("textarea[name='conditions.food']", "Short rations | press report | 2025-01 | C2")
        page.click("[data-testid=save-profile]")
        page.wait_for_url("**/profile/*/")
        expect(page.locator("[data-testid=claims]")).to_contain_text("폭풍군단 경보병")
        expect(page.locator("[data-testid=claims]")).to_contain_text("usually reliable source; probably true")

    _step(a, "research-profile", profile)

    def panel(page) -> None:  # noqa: ANN001
        page.goto(base + "/c/kursk/pretests")
        for code, years in (("R1", "3"), ("R2", "9"), ("R3", "15")):
            page.fill("input[name=code]", code)
            page.fill("input[name=years_since_leaving]", years)
            page.fill("input[name=former_service]", "보병")
            page.click("[data-testid=add-rater]")
            page.wait_for_url(base + "/c/kursk/pretests")
        expect(page.locator("[data-testid=panel] tbody tr")).to_have_count(3)
        page.click("[data-testid=create-pretest]")
        page.wait_for_url("**/pretest/*/")
        _rate(page, 1)
        expect(page.locator("[data-testid=pretest-summary]")).to_contain_text("3")

    _step(a, "research-pretest-v1", panel)
    v2 = _api(w, "POST", f"/api/messages/{v1['message_id']}/versions",
              {"yaml": CLEAN.replace("천천히", "조용히"), "base_version": 1})

    def second(page) -> None:  # noqa: ANN001
        page.reload()
        expect(page.locator("[data-testid=stale]")).to_be_visible()
        page.goto(base + "/c/kursk/pretests")
        page.select_option("[data-testid=pretest-version]", str(v2["id"]))
        page.click("[data-testid=create-pretest]")
        page.wait_for_url("**/pretest/*/")
        _rate(page, 2)
        page.wait_for_function("() => document.querySelector('[data-testid=pretest-plot]').naturalWidth > 300")
        expect(page.locator("[data-testid=ranking] li").first).to_contain_text("v2")

    _step(a, "research-pretest-v2", second)

    def outcome(page) -> None:  # noqa: ANN001
        page.goto(base + "/c/kursk/effects")
        page.select_option("form[data-testid=outcome-form] select[name=kind]", "surrender")
        page.fill("form[data-testid=outcome-form] input[name=lat]", "51.62")
        page.fill("form[data-testid=outcome-form] input[name=lon]", "35.18")
        page.fill("form[data-testid=outcome-form] textarea[name=said]", "전단을 보고 나왔다")
        page.click("[data-testid=record-outcome]")
        page.wait_for_url(base + "/c/kursk/effects")
        expect(page.locator("[data-testid=outcomes]")).to_contain_text("전단을 보고 나왔다")
        for t in ("timeline-plot", "map-plot", "variants-plot"):
            page.wait_for_function(f"() => document.querySelector('[data-testid={t}]').naturalWidth > 300")

    _step(a, "research-effects", outcome)
    assert not a.errors, a.errors
    a.close()

    ap = Flow(browser, base, "approver", pw["approver"], lang="ko")

    def approval(page) -> None:  # noqa: ANN001
        page.goto(base + f"/v/{v2['id']}/approve")
        box = page.locator("[data-testid=approval-pretests]")
        expect(box).to_be_visible()
        items = box.locator("[data-testid=ranking] li")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text("v2")
        expect(items.nth(1)).to_contain_text("v1")
        expect(box.locator("[data-testid=ranking-statement]")).to_contain_text("v2")

    _step(ap, "research-approval", approval)
    assert not ap.errors, ap.errors
    ap.close()

    def editor(page) -> None:  # noqa: ANN001
        page.goto(base + f"/m/{v1['message_id']}/edit")
        expect(page.locator("[data-testid=profile-sidebar]")).to_contain_text("폭풍군단 경보병")

    _step(w, "research-editor", editor)
    w.close()
