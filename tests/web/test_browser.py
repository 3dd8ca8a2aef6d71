"""The whole flow in a real Chromium against the real ``meari serve`` (gunicorn, SQLite in a temp dir).

writer drafts in South Korean (live conversion, findings, preview) → linguist signs the language →
legal accepts the truth. finding with a written reason and signs → approver approves → operator builds
the appeal leaflet, downloads the PDF (parsed back) and records a dissemination; then the ledger verifies.
Set-up, screenshots (of a failing step always, in ``out/test-screenshots/``; of every page with
``MEARI_SCREENSHOTS=DIR``) and the skip when /usr/bin/chromium or Playwright is missing: ``browser.py``.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from .browser import Flow, needs_browser

DRAFT = ("조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.\n"
         "이국 땅에서 헛되이 죽을 이유가 없습니다.\n"
         "무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.\n"
         "포로는 제네바 협약의 보호를 받으며 원하면 한국으로 보내 드립니다.\n"
         "살아서 가족을 다시 만날 수 있습니다.")
SPONSOR = "우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트"
#: the users of this module's server (name: role)
USERS = {"writer": "writer", "linguist": "linguist", "legal": "legal", "approver": "approver",
         "operator": "operator"}

pytestmark = needs_browser


def test_whole_flow(server, browser) -> None:  # noqa: ANN001, C901
    from playwright.sync_api import expect

    base = server["base"]
    state: dict = {}

    # 1. the writer drafts in South Korean; the live panel converts and reviews while she types
    w = Flow(browser, server, "writer")

    def draft(page) -> None:  # noqa: ANN001
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        page.click("a[href='/c/kursk/']")
        page.click("[data-testid=new-message]")
        page.fill("input[name=title]", "투항 호소")
        page.fill("input[name=sponsor]", SPONSOR)
        page.select_option("select[name=drafted_in]", "sk")
        page.select_option("select[name=language]", "nk")
        page.fill("input[name=headline]", "살아서 돌아가십시오")
        page.locator("textarea[name=text]").press_sequentially(DRAFT[:30], delay=5)
        page.locator("textarea[name=text]").fill(DRAFT)
        edit = page.locator("[data-testid=conversion] .edit").first
        expect(edit).to_be_visible(timeout=20000)
        title = edit.get_attribute("title")
        assert title and ":" in title and "nk." in title, title  # rule id and why on hover
        assert "리유" in page.locator("[data-testid=conversion]").inner_text()
        expect(page.locator("[data-testid=findings] li.error")).to_contain_text("truth.unapproved-promise")
        expect(page.locator("[data-testid=duration]")).to_contain_text("s")
        img = page.locator("[data-testid=preview-front]")
        expect(img).to_be_visible(timeout=30000)
        page.wait_for_function("() => document.querySelector('[data-testid=preview-front]').naturalWidth > 100",
                               timeout=30000)
        w.shot("editor-live")
        page.click("[data-testid=save]")
        page.wait_for_url("**/v/*/")
        state["version_url"] = page.url
        expect(page.locator("[data-testid=chain]")).to_be_visible()

    w.step("version", draft)
    assert not w.errors, w.errors
    w.close()

    # 2. the linguist signs the language
    ling = Flow(browser, server, "linguist")

    def sign_language(page) -> None:  # noqa: ANN001
        page.goto(state["version_url"])
        page.click("[data-testid=to-signoff]")
        page.click("[data-testid=sign-language]")
        expect(page.locator("[data-testid=chain] li").first).to_have_class("done")
        expect(page.locator("[data-testid=legal-reason]")).to_contain_text("legal")

    ling.step("signoff-linguist", sign_language)
    ling.close()

    # 3. legal accepts the finding with a written reason, then signs
    legal = Flow(browser, server, "legal")

    def resolve(page) -> None:  # noqa: ANN001
        page.goto(state["version_url"] + "signoff")
        rows = page.locator("[data-testid=legal-findings] tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("truth.unapproved-promise")
        page.fill("[data-testid=reason]",
                  "후원기관이 승인한 약속: 본인이 원하면 한국으로 이송 (2025-01 우크라이나 정부 발표)")
        page.click("[data-testid=accept]")
        expect(page.locator("[data-testid=legal-findings]")).to_contain_text("수용됨")
        page.click("[data-testid=sign-legal]")
        expect(page.locator("[data-testid=chain] li").nth(1)).to_have_class("done")

    legal.step("signoff-legal", resolve)
    legal.close()

    # 4. the approver (a third person) approves
    appr = Flow(browser, server, "approver", lang="en")

    def approve(page) -> None:  # noqa: ANN001
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(state["version_url"] + "approve")
        page.click("[data-testid=approve]")
        expect(page.locator("[data-testid=approved]")).to_be_visible()

    appr.step("approve", approve)
    appr.close()

    # 5. the operator builds the leaflet, downloads the PDF and records a dissemination
    op = Flow(browser, server, "operator")

    def build(page) -> None:  # noqa: ANN001
        page.goto(base + "/c/kursk/products")
        page.click("[data-testid=build-appeal-leaflet]")
        expect(page.locator("[data-testid=download-appeal-leaflet]")).to_be_visible(timeout=60000)
        sha = page.locator("[data-testid=sha256]").first.inner_text().strip()
        assert len(sha) == 64
        with page.expect_download() as dl:
            page.click("[data-testid=download-appeal-leaflet]")
        path = dl.value.path()
        data = Path(path).read_bytes()
        import hashlib

        assert hashlib.sha256(data).hexdigest() == sha
        from pypdf import PdfReader

        pdf = PdfReader(io.BytesIO(data))
        assert len(pdf.pages) == 2
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "돌아가십시오" in text.replace(" ", "") or "살아서" in text, text[:300]
        state["sha"] = sha

    op.step("products", build)

    def disseminate(page) -> None:  # noqa: ANN001
        page.goto(base + "/c/kursk/disseminations")
        page.fill("input[name=quantity]", "2000")
        page.fill("input[name=channel]", "풍선 (balloon)")
        page.fill("input[name=lat]", "51.62")
        page.fill("input[name=lon]", "35.21")
        page.fill("input[name=height_m]", "300")
        page.fill("input[name=wind_speed_ms]", "6")
        page.fill("input[name=wind_from_deg]", "250")
        page.click("[data-testid=record]")
        table = page.locator("[data-testid=disseminations]")
        expect(table).to_contain_text("2000")
        expect(table).to_contain_text(state["sha"][:12])

    op.step("disseminations", disseminate)
    assert not op.errors, op.errors
    op.close()

    # the ledger holds the whole chain and verifies against the stored product file
    r = subprocess.run([sys.executable, "-m", "meari", "audit", "verify", "--data", str(server["data"])],
                       capture_output=True, text=True, env=server["env"], timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_logged_out_user_is_sent_to_login_and_language_switch_is_one_click(server, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(locale="en-US")
    page = ctx.new_page()
    page.goto(server["base"] + "/c/kursk/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "Log in"
    page.click("form.lang button[value=ko]")
    assert page.locator("h1").inner_text() == "로그인"
    page.click("form.lang button[value=en]")
    assert page.locator("h1").inner_text() == "Log in"
    ctx.close()
