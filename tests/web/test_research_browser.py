"""In a real Chromium against the real ``meari serve``: an analyst enters an audience profile and a panel of
three raters; the panel rates version 1 of a message, the writer edits it (the pretest goes stale), the panel
rates version 2; the approver sees both in the ranking on the approval page; the writer sees the profile
beside the editor; the effects page's plots load. ``MEARI_SCREENSHOTS=DIR`` saves every page."""

from __future__ import annotations

import json

from .browser import Flow, needs_browser

CLEAN = """sponsor: 우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트
channel: leaflet
text: |
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로는 제네바협약에 따라 보호를 받습니다.
leaflet:
  headline: 살아서 돌아가십시오
"""
#: the users of this module's server (name: role)
USERS = {"writer": "writer", "analyst": "analyst", "approver": "approver"}
#: v1 is rated low, v2 high: the ranking must put v2 first
SCORES = {1: {"R1": 2, "R2": 3, "R3": 2}, 2: {"R1": 5, "R2": 4, "R3": 5}}

pytestmark = needs_browser


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

    base = server["base"]
    w = Flow(browser, server, "writer", lang="en")
    v1 = _api(w, "POST", "/api/campaigns/kursk/messages", {"yaml": CLEAN, "title": "appeal"})
    a = Flow(browser, server, "analyst", lang="en")

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

    a.step("research-profile", profile)

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

    a.step("research-pretest-v1", panel)
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

    a.step("research-pretest-v2", second)

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

    a.step("research-effects", outcome)
    assert not a.errors, a.errors
    a.close()

    ap = Flow(browser, server, "approver", lang="ko")

    def approval(page) -> None:  # noqa: ANN001
        page.goto(base + f"/v/{v2['id']}/approve")
        box = page.locator("[data-testid=approval-pretests]")
        expect(box).to_be_visible()
        items = box.locator("[data-testid=ranking] li")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text("v2")
        expect(items.nth(1)).to_contain_text("v1")
        expect(box.locator("[data-testid=ranking-statement]")).to_contain_text("v2")

    ap.step("research-approval", approval)
    assert not ap.errors, ap.errors
    ap.close()

    def editor(page) -> None:  # noqa: ANN001
        page.goto(base + f"/m/{v1['message_id']}/edit")
        expect(page.locator("[data-testid=profile-sidebar]")).to_contain_text("폭풍군단 경보병")

    w.step("research-editor", editor)
    w.close()
