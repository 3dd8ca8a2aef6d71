"""Review check nk.rank: an ambiguous rank word is shown with every reading (real review, real analyser)."""

from __future__ import annotations

from meari.message import parse_message
from meari.review import review
from meari.review.registry import get


def _msg(text: str, language: str = "nk"):  # noqa: ANN202
    return parse_message(f"sponsor: test\naudience: kpa\nchannel: leaflet\nlanguage: {language}\ntext: {text}\n")


def test_ambiguous_ranks_show_both_readings() -> None:
    r = review(_msg("북한군 사단장은 소장이다. 대령이 부대를 지휘한다."), [get("nk.rank")])
    by = {f.text: f for f in r.findings}
    assert set(by) == {"소장", "대령"}
    assert "KPA 소장 (少將) OF-6" in by["소장"].why and "ROK 소장 (少將) OF-7" in by["소장"].why
    assert "대좌/상좌" in by["대령"].why
    assert all(f.id == "nk.rank" and f.severity == "warning" for f in r.findings)


def test_one_to_one_and_north_titles_are_not_flagged() -> None:
    # 소령 converts one to one (소좌); 전사, 상좌 are the North's own titles; 중위 is OF-1 on both sides
    r = review(_msg("소령과 중위가 부대에 왔다. 전사와 상좌도 왔다."), [get("nk.rank")])
    assert r.findings == []


def test_everyday_homographs_outside_military_sentences_are_not_flagged() -> None:
    r = review(_msg("연구소 소장이 상사에게 보고했다."), [get("nk.rank")])
    assert r.findings == []


def test_only_for_texts_meant_for_north_koreans() -> None:
    r = review(_msg("북한군 사단장은 소장이다.", "sk"), [get("nk.rank")])
    assert r.findings == []
