"""The interpreter phrasebook and glossary data (meari/data/phrasebook/) held honest.

Read straight from the YAML (not through meari.phrase), so the data is checked on
its own terms: schema, unique ids, at least 300 phrases, five languages each, the
GC III Art. 17 line (only the identity questions are ``required``; every other
question is ``voluntary`` and every module that asks one says "you do not have to
answer"), North Korean text that ``meari nk`` leaves unchanged, South Korean text
that ``meari sk`` leaves unchanged, and no ihl./truth. finding from ``meari review``.

Where the converter wrongly changes correct Korean, the phrase is listed in
CONVERTER_DISAGREEMENTS.md and its converter test is a strict xfail: when the
converter is fixed the xfail passes unexpectedly, the test fails, and the entry
must be removed from the file (so the list never goes stale).
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

import meari
from meari.lang.convert import to_nk, to_sk
from meari.message import Message
from meari.review import hangul_share, review

DATA = Path(meari.__file__).resolve().parent / "data" / "phrasebook"
NON_MODULES = {"glossary.yaml"}
LANGS = ("nk", "sk", "uk", "ru", "en")
ANSWERS = {"yes-no", "number", "pointing", "choice", "free", "none"}
ART17 = {"required", "voluntary", "not-question"}
PHRASE_KEYS = {"id", "nk", "sk", "uk", "ru", "en", "answer", "choices", "art17", "pictogram", "gesture", "note"}
PHRASE_REQUIRED = {"id", "nk", "sk", "uk", "ru", "en", "answer", "art17", "pictogram", "gesture"}
GLOSSARY_KEYS = {"id", "category", "nk", "sk", "uk", "ru", "en", "note"}
GLOSSARY_CATEGORIES = {"unit", "weapon", "equipment", "medical", "military", "time", "place"}
# id prefix per module (README "Keys and rules")
PREFIX = {"commands": "cmd", "search": "search", "identity": "id", "medical": "med", "needs": "need",
          "reassurance": "calm", "evacuation": "evac", "card": "card", "family": "family", "checks": "check",
          "numbers": "num"}
ID_RE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$")
# GC III Art. 17 para. 1: the only information a prisoner of war owes. These questions, and only
# these, are `required`: surname, first names, rank, date of birth, service (serial) number.
REQUIRED_IDS = frozenset({
    "id.surname", "id.given-name", "id.full-name", "id.write-name",
    "id.rank", "id.rank-point",
    "id.dob", "id.dob-write", "id.year-born",
    "id.serial", "id.serial-write",
})
MIN_PHRASES = 300
SPONSOR = "우크라이나군"  # review needs an attribution; interpreter phrases are spoken by the captor


# ---------------------------------------------------------------- loading


@cache
def modules() -> dict[str, dict]:
    out = {}
    for path in sorted(DATA.glob("*.yaml")):
        if path.name in NON_MODULES:
            continue
        out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


@cache
def glossary() -> list[dict]:
    return yaml.safe_load((DATA / "glossary.yaml").read_text(encoding="utf-8"))["glossary"]


@cache
def phrases() -> list[tuple[str, dict]]:
    return [(name, p) for name, m in modules().items() for p in m["phrases"]]


@cache
def korean_items() -> list[tuple[str, str, str]]:
    """(item id, nk, sk) for every phrase, every choice (id#N, N from 0), every module title and glossary entry."""
    out = []
    for name, m in modules().items():
        out.append((f"{name}.title", m["title"]["ko"], None))
        for p in m["phrases"]:
            out.append((p["id"], p["nk"], p["sk"]))
            for i, c in enumerate(p.get("choices") or []):
                out.append((f"{p['id']}#{i}", c["nk"], c["sk"]))
    out.extend((e["id"], e["nk"], e["sk"]) for e in glossary())
    return out


@cache
def disagreements() -> dict[tuple[str, str], tuple[str, str]]:
    """(item id, direction) -> (text, converter output) from CONVERTER_DISAGREEMENTS.md's table rows."""
    out = {}
    row = re.compile(r"^\|\s*`?([a-z][a-z0-9.#-]*)`?\s*\|\s*(nk|sk)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|")
    for line in (DATA / "CONVERTER_DISAGREEMENTS.md").read_text(encoding="utf-8").splitlines():
        m = row.match(line)
        if m:
            out[(m.group(1), m.group(2))] = (m.group(3), m.group(4))
    return out


@cache
def converted() -> dict[str, dict[str, str]]:
    """Every nk text through to_nk and every sk text through to_sk, in one batch per direction."""
    items = korean_items()
    nk = to_nk("\n".join(i[1] for i in items)).text.split("\n")
    sk_items = [i for i in items if i[2] is not None]
    sk = to_sk("\n".join(i[2] for i in sk_items)).text.split("\n")
    return {"nk": {i[0]: t for i, t in zip(items, nk, strict=True)},
            "sk": {i[0]: t for i, t in zip(sk_items, sk, strict=True)}}


@cache
def reviewed() -> dict[tuple[str, str], list[str]]:
    """(item id, nk|sk) -> ihl./truth. findings ("id severity: text") of each phrase and choice reviewed alone."""
    out = {}
    for _, p in phrases():
        texts = [(p["id"], p)] + [(f"{p['id']}#{i}", c) for i, c in enumerate(p.get("choices") or [])]
        for item_id, t in texts:
            for lang in ("nk", "sk"):
                text = t[lang]
                if hangul_share(text) < 0.5:  # a bare label such as "AB형": not Korean text to review
                    continue
                msg = Message(sponsor=SPONSOR, channel="interpreter", language=lang, text=text)
                # Errors and warnings: an interpreter's lawful phrase (가족에게 알리기를 바라지 않으면, 신분증이
                # 있으면 보여 주십시오, 대답하지 않아도 됩니다) must not even need the legal reviewer's second look.
                out[(item_id, lang)] = [f"{f.id} {f.severity}: {f.text}" for f in review(msg).findings
                                        if f.id.split(".", 1)[0] in ("ihl", "truth")]
    return out


def _params(direction: str) -> list:
    out = []
    for item_id, nk, sk in korean_items():
        text = nk if direction == "nk" else sk
        if text is None:
            continue
        marks = ()
        if (item_id, direction) in disagreements():
            marks = pytest.mark.xfail(strict=True, reason="listed in CONVERTER_DISAGREEMENTS.md: the converter "
                                      "changes correct Korean; remove the entry once it no longer does")
        out.append(pytest.param(item_id, text, marks=marks, id=f"{item_id}-{direction}"))
    return out


# ---------------------------------------------------------------- schema


def test_module_files_have_the_schema() -> None:
    assert set(modules()) == set(PREFIX), "module files and the id prefix table disagree"
    for name, m in modules().items():
        assert set(m) <= {"module", "order", "title", "phrases"}, f"{name}: unknown top-level keys"
        assert m["module"] == name, f"{name}.yaml says module: {m['module']}"
        assert isinstance(m.get("order"), int), f"{name}: order must be an integer"
        assert set(m["title"]) == {"en", "uk", "ru", "ko"}, f"{name}: title needs en, uk, ru, ko"
        assert all(isinstance(v, str) and v.strip() for v in m["title"].values()), f"{name}: empty title"
        assert isinstance(m["phrases"], list) and m["phrases"], f"{name}: no phrases"


def test_every_phrase_has_the_schema() -> None:
    pictograms = readme_pictograms()
    problems = []
    for name, p in phrases():
        pid = p.get("id", "?")
        keys = set(p)
        if not PHRASE_REQUIRED <= keys or not keys <= PHRASE_KEYS:
            problems.append(f"{pid}: missing {PHRASE_REQUIRED - keys}, unknown {keys - PHRASE_KEYS}")
            continue
        if not pid.startswith(PREFIX[name] + ".") or not ID_RE.match(pid):
            problems.append(f"{pid}: id must be {PREFIX[name]}.<name> in {name}.yaml")
        if p["answer"] not in ANSWERS:
            problems.append(f"{pid}: answer {p['answer']!r}")
        if p["art17"] not in ART17:
            problems.append(f"{pid}: art17 {p['art17']!r}")
        if p["pictogram"] is not None and p["pictogram"] not in pictograms:
            problems.append(f"{pid}: pictogram {p['pictogram']!r} is not in the README's fixed set")
        if p["gesture"] is not None and not (isinstance(p["gesture"], str) and p["gesture"].strip()):
            problems.append(f"{pid}: gesture must be a description or null")
        if p.get("note") is not None and not isinstance(p["note"], str):
            problems.append(f"{pid}: note must be text")
        choices = p.get("choices")
        if p["answer"] == "choice":
            if not (isinstance(choices, list) and len(choices) >= 2):
                problems.append(f"{pid}: answer: choice needs at least two choices")
            else:
                for i, c in enumerate(choices):
                    if set(c) != set(LANGS) or not all(isinstance(c[k], str) and c[k].strip() for k in LANGS):
                        problems.append(f"{pid}#{i}: a choice needs non-empty {', '.join(LANGS)}")
        elif choices is not None:
            problems.append(f"{pid}: choices given but answer is {p['answer']}")
    assert not problems, "\n".join(problems)


def test_ids_are_unique() -> None:
    ids = [p["id"] for _, p in phrases()] + [e["id"] for e in glossary()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def test_no_two_phrases_say_the_same() -> None:
    """Two phrases with the same Korean or the same English would be the same card row twice."""
    for lang in ("nk", "en"):
        seen: dict[str, str] = {}
        dupes = []
        for _, p in phrases():
            if p[lang] in seen:
                dupes.append(f"{seen[p[lang]]} = {p['id']}")
            seen.setdefault(p[lang], p["id"])
        assert not dupes, f"same {lang}: {dupes}"


def test_at_least_300_phrases() -> None:
    assert len(phrases()) >= MIN_PHRASES


def test_every_phrase_has_all_five_languages() -> None:
    bad = [f"{p['id']}.{k}" for _, p in phrases() for k in LANGS
           if not (isinstance(p.get(k), str) and p[k].strip())]
    assert not bad, f"empty or missing: {bad}"


def test_text_is_clean_nfc() -> None:
    bad = []
    for item_id, nk, sk in korean_items():
        for t in (nk, sk):
            if t is None:
                continue
            if t != unicodedata.normalize("NFC", t) or t != t.strip() or "\n" in t:
                bad.append(item_id)
    for _, p in phrases():
        for k in ("uk", "ru", "en"):
            if p[k] != unicodedata.normalize("NFC", p[k]) or p[k] != p[k].strip():
                bad.append(f"{p['id']}.{k}")
    assert not bad, f"not NFC, padded or multi-line: {bad}"


def test_cyrillic_fields_are_cyrillic() -> None:
    """uk/ru are what the captor reads: Cyrillic (a pasted English or Korean text is a slip)."""
    def cyr_share(s: str) -> float:
        letters = [c for c in s if c.isalpha()]
        return sum("\u0400" <= c <= "\u04ff" for c in letters) / max(1, len(letters))
    bad = [f"{p['id']}.{k}" for _, p in phrases() for k in ("uk", "ru") if cyr_share(p[k]) < 0.8]
    bad += [f"{e['id']}.{k}" for e in glossary() for k in ("uk", "ru") if cyr_share(e[k]) < 0.5]
    assert not bad, bad


def test_ukrainian_and_russian_are_not_swapped() -> None:
    """Letters that only one of the two alphabets has (uk: і ї є ґ; ru: ы э ъ ё)."""
    bad = [p["id"] for _, p in phrases()
           if re.search("[ыэъё]", p["uk"].lower()) or re.search("[іїєґ]", p["ru"].lower())]
    assert not bad, bad


# ---------------------------------------------------------------- GC III Art. 17


def test_only_the_art17_identity_questions_are_required() -> None:
    required = {p["id"] for _, p in phrases() if p["art17"] == "required"}
    assert required == REQUIRED_IDS


def test_every_other_question_is_voluntary() -> None:
    bad = []
    for _, p in phrases():
        question = p["answer"] != "none"
        if question and p["art17"] == "not-question":
            bad.append(f"{p['id']}: answer {p['answer']} but art17 not-question")
        if not question and p["art17"] != "not-question":
            bad.append(f"{p['id']}: answer none but art17 {p['art17']}")
        if question and p["id"] not in REQUIRED_IDS and p["art17"] != "voluntary":
            bad.append(f"{p['id']}: a question outside the Art. 17 identity set must be voluntary")
        asks = [k for k in LANGS if p[k].rstrip().endswith("?")]
        if asks and not question:
            bad.append(f"{p['id']}: {', '.join(asks)} end with '?' but answer is none")
    assert not bad, "\n".join(bad)


def test_the_art17_identity_questions_are_all_there() -> None:
    """Surname, first names, rank, date of birth, service number: each asked at least once."""
    by_kind = {"surname": {"id.surname", "id.full-name"}, "first names": {"id.given-name", "id.full-name"},
               "rank": {"id.rank", "id.rank-point"}, "date of birth": {"id.dob", "id.dob-write"},
               "service number": {"id.serial", "id.serial-write"}}
    ids = {p["id"] for _, p in phrases()}
    assert all(kind & ids for kind in by_kind.values())


def test_modules_that_ask_voluntary_questions_say_he_need_not_answer() -> None:
    missing = []
    for name, m in modules().items():
        if any(p["art17"] == "voluntary" for p in m["phrases"]):
            refuse = [p for p in m["phrases"] if p["id"] == f"{PREFIX[name]}.may-refuse"]
            if not refuse or refuse[0]["art17"] != "not-question":
                missing.append(name)
    assert not missing, f"no <prefix>.may-refuse phrase in: {missing}"


# ---------------------------------------------------------------- the tools


@pytest.mark.parametrize(("item_id", "text"), _params("nk"))
def test_nk_text_is_unchanged_by_meari_nk(item_id: str, text: str) -> None:
    assert converted()["nk"][item_id] == text


@pytest.mark.parametrize(("item_id", "text"), _params("sk"))
def test_sk_text_is_unchanged_by_meari_sk(item_id: str, text: str) -> None:
    assert converted()["sk"][item_id] == text


@pytest.mark.parametrize("direction", ["nk", "sk"])
def test_the_meari_command_itself_leaves_the_text_unchanged(direction: str) -> None:
    """The real `meari nk` / `meari sk` filters (one subprocess each), not only the library call."""
    items = [(i, nk if direction == "nk" else sk) for i, nk, sk in korean_items()]
    items = [(i, t) for i, t in items if t is not None]
    data = "".join(t + "\n" for _, t in items).encode("utf-8")
    r = subprocess.run([sys.executable, "-m", "meari", direction], input=data, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    out = r.stdout.decode("utf-8").split("\n")[:-1]
    assert len(out) == len(items)
    changed = {i for (i, t), o in zip(items, out, strict=True) if o != t}
    listed = {i for i, d in disagreements() if d == direction}
    assert changed == listed, f"changed but not listed: {sorted(changed - listed)}; listed but unchanged: " \
                              f"{sorted(listed - changed)}"


def test_disagreements_list_only_current_phrases() -> None:
    """Every entry names an existing item whose text is still the one recorded, with the converter's output."""
    texts = {(i, "nk"): nk for i, nk, _ in korean_items()} | {(i, "sk"): sk for i, _, sk in korean_items()}
    stale = []
    for key, (text, output) in disagreements().items():
        if texts.get(key) != text:
            stale.append(f"{key}: recorded {text!r}, data has {texts.get(key)!r}")
        elif text == output:
            stale.append(f"{key}: recorded output equals the text")
    assert not stale, "\n".join(stale)


def test_every_phrase_passes_review_without_ihl_or_truth_findings() -> None:
    bad = [f"{item} [{lang}]: {fs}" for (item, lang), fs in reviewed().items() if fs]
    assert not bad, "\n".join(bad)


def test_every_phrase_text_was_reviewed() -> None:
    """Only bare non-Korean labels (e.g. blood groups) are exempt from review."""
    skipped = [p["id"] for _, p in phrases() for lang in ("nk", "sk") if (p["id"], lang) not in reviewed()]
    assert not skipped, skipped


# ---------------------------------------------------------------- glossary


def test_glossary_has_the_schema() -> None:
    problems = []
    for e in glossary():
        keys = set(e)
        if not {"id", "category", *LANGS} <= keys or not keys <= GLOSSARY_KEYS:
            problems.append(f"{e.get('id')}: keys {sorted(keys)}")
            continue
        if e["category"] not in GLOSSARY_CATEGORIES:
            problems.append(f"{e['id']}: category {e['category']!r}")
        if not ID_RE.match(e["id"]):
            problems.append(f"{e['id']}: malformed id")
        if not all(isinstance(e[k], str) and e[k].strip() for k in LANGS):
            problems.append(f"{e['id']}: empty language field")
    assert not problems, "\n".join(problems)
    assert len(glossary()) >= 100


def test_glossary_covers_echelons_weapons_and_equipment_but_not_ranks() -> None:
    nk = {e["nk"] for e in glossary()}
    assert {"분대", "소대", "중대", "대대", "련대", "려단", "사단", "군단"} <= nk
    assert {"자동보총", "기관총", "박격포", "땅크", "무인기", "수류탄", "지뢰", "방탄조끼"} <= nk
    assert "rank" not in {e["category"] for e in glossary()}
    ranks = {"소좌", "중좌", "상좌", "대좌", "소위", "중위", "상위", "대위", "소장", "중장", "대장", "하전사", "상등병"}
    assert not ranks & nk, "ranks come from meari/data/ranks.yaml, not the glossary"


# ---------------------------------------------------------------- docs


@cache
def readme_pictograms() -> set[str]:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    section = text.split("### Pictograms", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))


def test_readme_defines_the_pictograms_and_warns_that_translations_need_checking() -> None:
    assert len(readme_pictograms()) >= 20
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for words in ("AI-assisted", "defector linguist", "native", "lawyer"):
        assert words in text


def test_readme_module_table_matches_the_data() -> None:
    """The README's per-module counts are what a reviewer reads first: keep them true."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| \d+ \| `([a-z-]+)` \| `[a-z]+\.` \| (\d+) \|", text, re.M))
    assert rows == {name: str(len(m["phrases"])) for name, m in modules().items()}
    assert f"| **{len(phrases())}** |" in text
    assert f"{len(glossary())} terms" in text
