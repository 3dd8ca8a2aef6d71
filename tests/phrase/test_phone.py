"""The phone page in a real Chromium (Playwright): search finds, tap shows and plays the right file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meari.commands.phrase import export_phone
from meari.phrase.load import load_phrasebook

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
AUDIO = {"cmd.stop", "need.water", "id.surname", "cmd.drop-weapon"}


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("phone")
    export_phone(load_phrasebook(), d, audio_ids=AUDIO)
    return d


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed at /usr/bin/chromium: the phone page is not tested in a browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def test_files(page_dir: Path) -> None:
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # nothing online
    assert sorted(p.name for p in (page_dir / "audio").iterdir()) == sorted(f"{i}.mp3" for i in AUDIO)


def test_search_and_play(browser, page_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((page_dir / "index.html").as_uri())
    # the page's search applies the same rules as `meari phrase`
    for q, want in [("anf", "need.water"), ("прізвище", "id.surname"), ("ㅁㄱㄹ ㅂㄹㅅㅇ", "cmd.drop-weapon"),
                    ("Стой", "cmd.stop"), ("hnads up", "cmd.hands-up"), ("무ㄱ", "cmd.drop-weapon")]:
        got = page.evaluate("([q]) => window.meariSearch(q, 3)", [q])
        assert want in got, (q, got)
    # type as a user would, tap the first hit
    page.fill("#q", "물을 마시")
    first = page.locator("li.hit").first
    assert first.get_attribute("data-id") == "need.water"
    first.tap()
    assert page.locator("#show").is_visible()
    assert page.locator("#show-ko").inner_text() == "물을 마시겠습니까?"
    page.wait_for_function("() => window.meariPlayed.length > 0", timeout=5000)
    src = page.evaluate("document.getElementById('player').currentSrc")
    assert src.endswith("/audio/need.water.mp3")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.05", timeout=5000)
    assert page.evaluate("window.meariPlayed") == ["need.water"]
    # the Korean is shown big: at least 40 CSS px on a phone
    size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('show-ko')).fontSize)")
    assert size >= 40
    page.screenshot(path=str(page_dir / "shot-show.png"))
    page.locator("#show").click(position={"x": 20, "y": 20})
    assert not page.locator("#show").is_visible()
    page.fill("#q", "stop")
    page.locator("li.hit").first.tap()
    page.wait_for_function("() => window.meariPlayed.length > 1", timeout=5000)
    assert page.evaluate("document.getElementById('player').currentSrc").endswith("/audio/cmd.stop.mp3")
    page.locator("#show").click(position={"x": 20, "y": 20})
    page.fill("#q", "ㅂㅅ")
    assert "toilet" in page.locator("li.hit").first.get_attribute("data-id")  # glossary 변소 or need.toilet
    page.screenshot(path=str(page_dir / "shot-search.png"))
    assert not errors, errors
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    page.close()


def test_page_search_agrees_with_meari_phrase(browser, page_dir: Path) -> None:
    """The page's JavaScript and `meari phrase --all` find the same entries for the lookup table."""
    from meari.phrase.lookup import index_for
    from tests.phrase.test_lookup import TABLE

    idx = index_for(load_phrasebook(), "all")
    page = browser.new_page()
    page.goto((page_dir / "index.html").as_uri())
    js = py = same = 0
    for q, _lang, _scope, exp in TABLE:
        got = page.evaluate("([q]) => window.meariSearch(q, 3)", [q])
        ref = [h.entry.id for h in idx.search(q, n=3)]
        js += exp in got
        py += exp in ref
        same += got == ref
    page.close()
    assert js >= py - 2 and js >= 0.9 * len(TABLE), (js, py)
    assert same >= 0.9 * len(TABLE), same
