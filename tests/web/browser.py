"""What the browser tests share: a real ``meari serve`` (gunicorn, SQLite in a temp dir) with one user per
name, a headless Chromium (the Debian package; Playwright may not download its own), and :class:`Flow`,
one logged-in user's page with a screenshot of every step when ``MEARI_SCREENSHOTS=DIR`` is set (docs/img
was made that way) and of a failing step always, in ``out/test-screenshots/``.

The pages' CSP forbids ``eval``, so Playwright waits are written in the function form
(``"() => ..."``) or as locator waits, never as a string expression.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu"]
ROOT = Path(__file__).resolve().parents[2]
FAIL_DIR = ROOT / "out" / "test-screenshots"

needs_browser = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"no browser: {CHROMIUM} is missing (Debian package chromium; .ci/run installs it as root). "
    "Playwright may not download its own.")

#: every image on the page loaded (function form: the CSP rejects string expressions)
IMAGES_LOADED = "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEARI_DATABASE_URL", "MEARI_DATA", "MEARI_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    env["MEARI_DATA_DIR"] = str(data)
    return env


@contextmanager
def running_server(data: Path, users: dict[str, str], campaign: str = "kursk") -> Iterator[dict]:
    """``meari serve`` on a free port over ``data``, with the users ``{name: role}`` (passwords returned)."""
    env = serve_env(data)
    passwords = {}
    for name, role in users.items():
        pw = f"{name}-test-password-7"
        r = subprocess.run([sys.executable, "-m", "meari", "users", "add", name, "--role", role, "--campaign",
                            campaign, "--data", str(data)], input=pw + "\n", text=True, capture_output=True,
                           env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        passwords[name] = pw
    port = free_port()
    log_path = data / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "meari", "serve", "--data", str(data), "--port", str(port),
                                 "--workers", "2", "--quiet"], stdout=log, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                        if r.status == 200:
                            break
                except urllib.error.HTTPError as e:  # it answers, wrongly: waiting will not help
                    raise AssertionError(f"meari serve answers /healthz with {e.code}:\n"
                                         + log_path.read_text()[-4000:]) from None
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("meari serve did not start:\n" + log_path.read_text()[-4000:])
                time.sleep(0.3)
            yield {"base": base, "data": data, "passwords": passwords, "env": env, "log": log_path}
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


class Flow:
    """One user's page, with a screenshot of every step (when asked) and of the failing one."""

    def __init__(self, browser, server: dict, name: str, lang: str = "ko") -> None:  # noqa: ANN001
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US",
                                       accept_downloads=True)
        self.page = self.ctx.new_page()
        self.base, self.name, self.log = server["base"], name, server["log"]
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.base + "/login/")
        if lang == "ko":
            self.page.click("form.lang button[value=ko]")  # one click, on the login page already
        self.page.fill("input[name=username]", name)
        self.page.fill("input[name=password]", server["passwords"][name])
        self.page.click("form[action='/login/'] button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def shot(self, step: str) -> None:
        out = os.environ.get("MEARI_SCREENSHOTS")
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            self.page.wait_for_load_state("networkidle")
            self.page.wait_for_function(IMAGES_LOADED, timeout=60000)
            self.page.screenshot(path=str(Path(out) / f"{step}.png"), full_page=True)

    def fail_shot(self, step: str) -> Path:
        FAIL_DIR.mkdir(parents=True, exist_ok=True)
        path = FAIL_DIR / f"{step}-{self.name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def step(self, step: str, fn) -> None:  # noqa: ANN001
        """Run ``fn(page)``; on failure save a screenshot and print the server log's tail, then re-raise."""
        try:
            fn(self.page)
            self.shot(step)
        except BaseException:
            path = self.fail_shot(step)
            print(f"--- screenshot of the failing step: {path}")
            print("--- meari serve log (tail) ---\n" + self.log.read_text()[-4000:])
            raise

    def close(self) -> None:
        self.ctx.close()
