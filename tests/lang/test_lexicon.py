"""The lexicon: harvested from the installed dictionaries, curated pairs validated."""

from __future__ import annotations

import pytest

from meari.errors import MeariError
from meari.lang import lexicon as L


def test_harvest_from_installed_dictionaries() -> None:
    lex = L.load_lexicon()
    assert len(lex.nk2sk) > 3000 and len(lex.sk_nouns) > 50_000
    assert lex.nk2sk["로동자"].target == "노동자" and lex.nk2sk["로동자"].family == "initial-sound"
    assert lex.nk2sk["나무잎"].family == "sai-siot"
    assert "조선" not in lex.nk2sk  # a North word that is also a South word is never rewritten by gloss
    assert lex.readings["勞"]["로"] > lex.readings["勞"].get("냐", 0)


def test_original_reading_needs_evidence() -> None:
    r = L.load_lexicon().readings
    assert L.original_reading("노", "勞", r) == "로"
    assert L.original_reading("이", "異", r) is None  # 異 is read 이: a few misaligned entries are not enough
    assert L.original_reading("양", "量", r) == "량"


def test_curated_entries_have_notes() -> None:
    items, digest = L._curated()
    assert len(digest) == 12 and len(items) >= 30
    assert all(it["note"].strip() for it in items)


def test_broken_curated_file_is_a_clear_error(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    bad = tmp_path / "lexicon.yaml"
    bad.write_text("- sk: 탱크\n  nk: 땅크\n  note: a: b: c\n", encoding="utf-8")
    monkeypatch.setattr(L, "CURATED", bad)
    L._curated.cache_clear()
    try:
        with pytest.raises(MeariError, match=r"bad YAML in the curated lexicon"):
            L._curated()
        bad.write_text("- sk: 탱크\n  nk: 땅크\n", encoding="utf-8")
        L._curated.cache_clear()
        with pytest.raises(MeariError, match=r"entry 1 needs non-empty sk, nk and note"):
            L._curated()
    finally:
        L._curated.cache_clear()
