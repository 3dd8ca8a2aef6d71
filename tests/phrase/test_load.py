"""Loader: the shipped phrasebook loads; bad data is named by file and phrase id; ranks merge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meari.errors import MeariError
from meari.phrase.load import PHRASEBOOK_DIR, RANKS_FILE, load_phrasebook, load_ranks

GOOD = """module: {name}
title: {{en: T, uk: Т, ru: Т, ko: 명령}}
phrases:
  - id: {pid}
    nk: 멈추시오!
    sk: 멈추세요!
    uk: Стійте!
    ru: Стойте!
    en: Stop!
    answer: none
    art17: not-question
"""


def _book(tmp_path: Path, text: str, name: str = "commands") -> Path:
    d = tmp_path / "pb"
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{name}.yaml").write_text(text, encoding="utf-8")
    return d


def test_shipped_phrasebook_loads() -> None:
    book = load_phrasebook()
    assert len(book.phrases) >= 300
    assert len({e.id for e in book.phrases}) == len(book.phrases)
    assert book.glossary
    assert all(e.translit_ru and e.translit_uk for e in book.phrases)


def test_error_names_file_and_phrase_id(tmp_path: Path) -> None:
    d = _book(tmp_path, GOOD.format(name="commands", pid="cmd.x").replace("answer: none", "answer: yes-no"))
    with pytest.raises(MeariError) as ei:
        load_phrasebook(d, ranks=tmp_path / "none.yaml")
    assert ei.value.where.endswith("commands.yaml")
    assert "cmd.x" in ei.value.problem and "required" in ei.value.problem


@pytest.mark.parametrize(("edit", "expect"), [
    (("    en: Stop!\n", "    en: ''\n"), "en"),
    (("    answer: none\n", "    answer: none\n    art_17: x\n"), "unknown key"),
    (("    art17: not-question\n", "    art17: not-question\n    pictogram: red-cross\n"), "pictogram"),
    (("id: cmd.x", "id: Cmd X"), "id"),
])
def test_schema_errors(tmp_path: Path, edit, expect) -> None:
    d = _book(tmp_path, GOOD.format(name="commands", pid="cmd.x").replace(*edit))
    with pytest.raises(MeariError) as ei:
        load_phrasebook(d, ranks=tmp_path / "none.yaml")
    assert expect in ei.value.problem


def test_duplicate_id_across_modules(tmp_path: Path) -> None:
    d = _book(tmp_path, GOOD.format(name="commands", pid="cmd.x"))
    _book(tmp_path, GOOD.format(name="other", pid="cmd.x"), "other")
    with pytest.raises(MeariError) as ei:
        load_phrasebook(d, ranks=tmp_path / "none.yaml")
    assert "already used" in ei.value.problem


def test_bad_yaml_and_module_name(tmp_path: Path) -> None:
    d = _book(tmp_path, "module: commands\nphrases: [\n")
    with pytest.raises(MeariError) as ei:
        load_phrasebook(d, ranks=tmp_path / "none.yaml")
    assert "bad YAML" in ei.value.problem and "commands.yaml:" in ei.value.where
    d2 = _book(tmp_path / "b", GOOD.format(name="wrong", pid="cmd.x"))
    with pytest.raises(MeariError, match="file name"):
        load_phrasebook(d2, ranks=tmp_path / "none.yaml")
    with pytest.raises(MeariError, match="not found"):
        load_phrasebook(tmp_path / "absent")


RANKS = """ranks:
- {army: kpa, grade: OF-6, group: general, ko: 소장, en: Major General}
- {army: kpa, grade: OF-5, group: field, ko: 대좌, en: Senior Colonel, extra: true}
- {army: kpa, grade: OF-5, group: field, ko: 상좌, en: Colonel}
- {army: rok, grade: OF-6, group: general, ko: 준장, en: Brigadier General}
- {army: rok, grade: OF-7, group: general, ko: 소장, en: Major General}
- {army: rok, grade: OF-5, group: field, ko: 대령, en: Colonel}
- {army: ru, grade: OF-5, group: field, ko: 상좌, native: полковник, en: Colonel}
- {army: ru, grade: OF-6, group: general, ko: 소장, native: генерал-майор, en: Major General}
- {army: kpa, grade: OF-1}
"""


def test_ranks_merge_by_nato_grade(tmp_path: Path) -> None:
    p = tmp_path / "ranks.yaml"
    p.write_text(RANKS, encoding="utf-8")
    entries, notes = load_ranks(p)
    by = {(e.id): e for e in entries}
    kpa_major_general = by["rank.kpa.major-general"]
    assert (kpa_major_general.nk, kpa_major_general.sk) == ("소장", "준장")  # same word, different grade
    assert kpa_major_general.ru == "генерал-майор" and kpa_major_general.uk == "генерал-майор"
    rok_colonel = by["rank.rok.colonel"]
    assert rok_colonel.sk == "대령" and rok_colonel.nk == "대좌 / 상좌"  # two KPA ranks: both shown
    assert "2 ranks" in rok_colonel.note
    assert any("row 9" in n for n in notes)


def test_shipped_rank_table_merged() -> None:
    if not RANKS_FILE.is_file():
        pytest.skip(f"{RANKS_FILE} is not here yet (the language engine's branch adds it): glossary has no ranks")
    book = load_phrasebook()
    ranks = [e for e in book.glossary if e.category == "rank"]
    assert ranks and book.ranks_source
    assert any(e.nk == "소좌" for e in ranks)


def test_absent_rank_table_is_noted(tmp_path: Path) -> None:
    d = tmp_path / "pb"
    shutil.copytree(PHRASEBOOK_DIR, d)
    book = load_phrasebook(d, ranks=tmp_path / "none.yaml")
    assert not [e for e in book.glossary if e.category == "rank"]
    assert any("no rank table" in n for n in book.notes)
