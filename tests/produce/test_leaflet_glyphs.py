"""meari.glyphs: the one coverage definition the leaflet and the review share, read from the real fonts."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from meari import glyphs
from meari.produce.leaflet import fonts


def test_korean_latin_digits_and_punctuation_are_covered() -> None:
    text = "조선인민군 장병들에게! 《살아서 돌아가라》 № 000123 — 1949년 제네바협약 3조."
    assert glyphs.missing_glyphs(text) == []


def test_ukrainian_and_russian_letters_are_covered_by_the_latin_face() -> None:
    assert glyphs.missing_glyphs("Перепустка. Я здаюся! Ґанок, їжа, є, і — Hände hoch") == []
    assert glyphs.family_for("ї") == "latin"
    assert glyphs.family_for("가") == "kr"
    assert glyphs.family_for("7") == "kr"  # digits beside Hangul come from Noto Sans KR
    assert glyphs.family_for("7", prefer="latin") == "latin"


def test_emoji_hanja_and_rare_scripts_are_missing_in_first_seen_order_once() -> None:
    text = "살자 🫡 勞動 🫡 ሀ 가\u200d"
    miss = glyphs.missing_glyphs(text)
    assert miss[:4] == ["🫡", "勞", "動", "ሀ"]
    assert len(miss) == len(set(miss))
    assert "U+1FAE1" in glyphs.describe(miss)


def test_whitespace_is_never_missing() -> None:
    assert glyphs.missing_glyphs(" \t\n\u3000\u00a0\r") == []


def test_runs_split_only_where_the_face_changes() -> None:
    rs = glyphs.runs("가나 Її 다", prefer="kr")
    assert "".join(s for _, s in rs) == "가나 Її 다"
    assert [f for f, _ in rs] == ["kr", "latin", "kr"]
    assert glyphs.runs("", prefer="kr") == []


def test_coverage_is_what_the_embedded_static_fonts_hold() -> None:
    """The cmaps the review trusts are those of the files the leaflet registers with reportlab."""
    cov = glyphs.coverage()
    fs = fonts.ensure_fonts()
    kr = set(TTFont(fs.paths["kr-regular"]).getBestCmap())
    assert cov["kr"] == frozenset(kr)
    latin = set(TTFont(fs.paths["latin-regular"]).getBestCmap())
    assert cov["latin"] <= latin
