"""The whole flow in a real Chromium against the real ``meari serve`` (gunicorn, SQLite in a temp dir).

writer drafts in South Korean (live conversion, findings, preview) → linguist signs the language →
legal accepts the truth. finding with a written reason and signs → approver approves → operator builds
the appeal leaflet, downloads the PDF (parsed back) and records a dissemination; then the ledger verifies.
Screenshots of a failing step go to ``out/test-screenshots/``; with ``MEARI_SCREENSHOTS=DIR`` every page
is saved there (docs/img was made that way). Skips, saying why, when /usr/bin/chromium or Playwright
is missing.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu"]
ROOT = Path(__file__).resolve().parents[2]
FAIL_DIR = ROOT / "out" / "test-screenshots"

DRAFT = ("조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.\n"
         "이국 땅에서 헛되이 죽을 이유가 없습니다.\n"
         "무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.\n"
         "포로는 제네바 협약의 보호를 받으며 원하면 한국으로 보내 드립니다.\n"
         "살아서 가족을 다시 만날 수 있습니다.")
SPONSOR = "우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트"
USERS = {"writer": "writer", "linguist": "linguist", "legal": "legal", "approver": "approver",
         "operator": "operator"}

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no browser: {CHROMIUM} is missing (Debian package chromium; .ci/run "
                                "installs it as root). Playwright may not download its own.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEARI_DATABASE_URL", "MEARI_DATA", "MEARI_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    env["MEARI_DATA_DIR"] = str(data)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # noqa: ANN001, ANN201
    pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) is not installed")
    data = tmp_path_factory.mktemp("serve-data")
    env = _env(data)
    passwords = {}
    for name, role in USERS.items():
        pw = f"{name}-test-password-7"
        r = subprocess.run([sys.executable, "-m", "meari", "users", "add", name, "--role", role, "--campaign", "kursk",
                            "--data", str(data)], input=pw + "\n", text=True, capture_output=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        passwords[name] = pw
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
    LOG[:] = [data / "serve.log"]
    yield {"base": base, "data": data, "passwords": passwords, "env": env, "proc": proc}
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


class Flow:
    """One user's page, with a screenshot of every step (when asked) and of the failing one."""

    def __init__(self, browser, base: str, name: str, password: str, lang: str = "ko") -> None:  # noqa: ANN001
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US",
                                       accept_downloads=True)
        self.page = self.ctx.new_page()
        self.base, self.name = base, name
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(base + "/login/")
        if lang == "ko":
            self.page.click("form.lang button[value=ko]")  # one click, on the login page already
        self.page.fill("input[name=username]", name)
        self.page.fill("input[name=password]", password)
        self.page.click("form[action='/login/'] button[type=submit]")
        self.page.wait_for_url(base + "/")

    def shot(self, step: str) -> None:
        out = os.environ.get("MEARI_SCREENSHOTS")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            self.page.wait_for_load_state("networkidle")
            self.page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
                                        timeout=60000)
            self.page.screenshot(path=str(Path(out) / f"{step}.png"), full_page=True)

    def fail_shot(self, step: str) -> None:
        FAIL_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(FAIL_DIR / f"{step}-{self.name}.png"), full_page=True)

    def close(self) -> None:
        self.ctx.close()


LOG: list[Path] = []


def _step(flow: Flow, step: str, fn) -> None:  # noqa: ANN001
    try:
        fn(flow.page)
        flow.shot(step)
    except BaseException:
        flow.fail_shot(step)
        if LOG:
            print("--- meari serve log (tail) ---\n" + LOG[0].read_text()[-4000:])
        raise


def test_whole_flow(server, browser) -> None:  # noqa: ANN001, C901
    from playwright.sync_api import expect

    base, pw = server["base"], server["passwords"]
    state: dict = {}

    # 1. the writer drafts in South Korean; the live panel converts and reviews while she types
    w = Flow(browser, base, "writer", pw["writer"])

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
        page.wait_for_function("document.querySelector('[data-testid=preview-front]').naturalWidth > 100",
                               timeout=30000)
        w.shot("editor-live")
        page.click("[data-testid=save]")
        page.wait_for_url("**/v/*/")
        state["version_url"] = page.url
        expect(page.locator("[data-testid=chain]")).to_be_visible()

    _step(w, "version", draft)
    assert not w.errors, w.errors
    w.close()

    # 2. the linguist signs the language
    ling = Flow(browser, base, "linguist", pw["linguist"])

    def sign_language(page) -> None:  # noqa: ANN001
        page.goto(state["version_url"])
        page.click("[data-testid=to-signoff]")
        page.click("[data-testid=sign-language]")
        expect(page.locator("[data-testid=chain] li").first).to_have_class("done")
        expect(page.locator("[data-testid=legal-reason]")).to_contain_text("legal")

    _step(ling, "signoff-linguist", sign_language)
    ling.close()

    # 3. legal accepts the finding with a written reason, then signs
    legal = Flow(browser, base, "legal", pw["legal"])

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

    _step(legal, "signoff-legal", resolve)
    legal.close()

    # 4. the approver (a third person) approves
    appr = Flow(browser, base, "approver", pw["approver"], lang="en")

    def approve(page) -> None:  # noqa: ANN001
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(state["version_url"] + "approve")
        page.click("[data-testid=approve]")
        expect(page.locator("[data-testid=approved]")).to_be_visible()

    _step(appr, "approve", approve)
    appr.close()

    # 5. the operator builds the leaflet, downloads the PDF and records a dissemination
    op = Flow(browser, base, "operator", pw["operator"])

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

    _step(op, "products", build)

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

    _step(op, "disseminations", disseminate)
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
