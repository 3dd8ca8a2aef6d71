"""Load and validate the phrasebook, the glossary and the rank table into plain ``Entry`` data.

Errors name the file and the phrase id (``meari: meari/data/phrasebook/medical.yaml: med.pain:
answer: ...``) so that the writer of the data can fix it without reading code. The rank table
``meari/data/ranks.yaml`` belongs to the language engine; it is read defensively (absent: the
glossary simply has no ranks and ``Phrasebook.notes`` says so) and its rows become glossary
entries, one per rank of each Korean army, with the other army's title(s) of the same NATO
grade beside it: where a grade holds two titles on one side, both are shown, never a guess.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from meari.errors import MeariError
from meari.phrase.model import Entry, Glossary, Module, ModuleInfo, Phrasebook
from meari.phrase.translit import transcribe

DATA = Path(__file__).resolve().parent.parent / "data"
PHRASEBOOK_DIR = DATA / "phrasebook"
RANKS_FILE = DATA / "ranks.yaml"
GLOSSARY_NAME = "glossary.yaml"
MAX_BYTES = 5_000_000


def default_dir() -> Path:
    """``$MEARI_PHRASEBOOK`` (a directory) overrides the shipped phrasebook, for tests and field edits."""
    env = os.environ.get("MEARI_PHRASEBOOK")
    return Path(env) if env else PHRASEBOOK_DIR


def _read_yaml(path: Path) -> object:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise MeariError(f"cannot read: {e.strerror}", str(path)) from None
    if len(raw) > MAX_BYTES:
        raise MeariError(f"file is {len(raw):,} bytes; a phrasebook file may be at most {MAX_BYTES:,}", str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MeariError(f"not UTF-8 (byte {e.start})", str(path)) from None
    text = unicodedata.normalize("NFC", text)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise MeariError(f"bad YAML: {getattr(e, 'problem', None) or e}", where) from None


def _pydantic_problem(e: ValidationError, data: object) -> tuple[str, str]:
    """First error as (phrase id or location, problem)."""
    err = e.errors()[0]
    loc = list(err["loc"])
    ident = ""
    if len(loc) >= 2 and loc[0] in ("phrases", "glossary") and isinstance(loc[1], int) and isinstance(data, dict):
        items = data.get(loc[0]) or []
        item = items[loc[1]] if loc[1] < len(items) else None
        ident = item.get("id") if isinstance(item, dict) and item.get("id") else f"{loc[0]}[{loc[1]}]"
        loc = loc[2:]
    field = ".".join(str(p) for p in loc)
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key (misspelt?)"
    problem = f"{field}: {msg}" if field else msg
    return ident, problem


def _entry_translit(nk: str) -> tuple[str, str]:
    return transcribe(nk, "uk"), transcribe(nk, "ru")


def load_module(path: Path) -> tuple[Module, object]:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise MeariError("a phrasebook module must be a mapping with module, title and phrases", str(path))
    try:
        mod = Module.model_validate(data)
    except ValidationError as e:
        ident, problem = _pydantic_problem(e, data)
        raise MeariError(f"{ident}: {problem}" if ident else problem, str(path)) from None
    if mod.module != path.stem:
        raise MeariError(f"module: {mod.module!r} must equal the file name {path.stem!r}", str(path))
    return mod, data


def _load_glossary(path: Path) -> list[Entry]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or "glossary" not in data:
        raise MeariError("the glossary must be a mapping with a 'glossary' list", str(path))
    try:
        g = Glossary.model_validate(data)
    except ValidationError as e:
        ident, problem = _pydantic_problem(e, data)
        raise MeariError(f"{ident}: {problem}" if ident else problem, str(path)) from None
    out = []
    for i, it in enumerate(g.glossary):
        tu, tr = _entry_translit(it.nk)
        out.append(Entry(id=it.id, module="glossary", kind="glossary", nk=it.nk, sk=it.sk, uk=it.uk, ru=it.ru,
                         en=it.en, translit_uk=tu, translit_ru=tr, note=it.note, category=it.category,
                         order=100000 + i))
    return out


# Russian rank -> Ukrainian rank (Soviet-pattern titles both armies inherited).
_RU2UK = {
    "маршал российской федерации": "маршал", "генерал армии": "генерал армії",
    "генерал-полковник": "генерал-полковник", "генерал-лейтенант": "генерал-лейтенант",
    "генерал-майор": "генерал-майор", "полковник": "полковник", "подполковник": "підполковник",
    "майор": "майор", "капитан": "капітан", "старший лейтенант": "старший лейтенант",
    "лейтенант": "лейтенант", "младший лейтенант": "молодший лейтенант",
    "старший прапорщик": "старший прапорщик", "прапорщик": "прапорщик", "старшина": "старшина",
    "старший сержант": "старший сержант", "сержант": "сержант", "младший сержант": "молодший сержант",
    "ефрейтор": "єфрейтор", "рядовой": "рядовий",
}
# Titles with no Russian equivalent: descriptive renderings written by the project (to be checked).
_EN2RU_UK = {
    "vice marshal": ("вице-маршал", "віце-маршал"),
    "senior colonel": ("старший полковник", "старший полковник"),
    "senior captain": ("старший капитан", "старший капітан"),
    "senior soldier": ("старший солдат", "старший солдат"),
    "middle soldier": ("солдат 2-го класса", "солдат 2-го класу"),
    "junior soldier": ("младший солдат", "молодший солдат"),
    "brigadier general": ("бригадный генерал", "бригадний генерал"),
    "general of the army": ("генерал армии", "генерал армії"),
    "sergeant major": ("старший мастер-сержант", "головний майстер-сержант"),
    "warrant officer": ("прапорщик", "прапорщик"),
    "sergeant": ("сержант", "сержант"),
    "private first class": ("рядовой 1-го класса", "рядовий 1-го класу"),
    "private": ("рядовой", "рядовий"),
}


def _slug(s: str) -> str:
    s = re.sub(r"\(.*?\)", "", s.lower())
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "rank"


def load_ranks(path: Path) -> tuple[list[Entry], list[str]]:
    """Glossary entries for the KPA and ROK ranks in the language engine's rank table.

    Expected shape: ``{ranks: [{army: kpa|rok|ru, grade: OF-6, ko: 소장, en: ..., native: ...}, ...]}``
    (a bare list of rows is accepted too). Rows missing army/grade/ko are skipped with a note.
    """
    notes: list[str] = []
    if not path.is_file():
        return [], [f"no rank table at {path}: the glossary has no ranks"]
    data = _read_yaml(path)
    rows = data.get("ranks") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise MeariError("expected a list of rank rows (or a mapping with 'ranks')", str(path))
    by_army: dict[str, list[dict]] = {}
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or not all(isinstance(r.get(k), str) and r.get(k) for k in ("army", "grade", "ko")):
            notes.append(f"{path}: row {i + 1} lacks army/grade/ko; skipped")
            continue
        by_army.setdefault(r["army"], []).append(r)
    ru_rows = by_army.get("ru", [])

    def ru_uk(row: dict) -> tuple[str, str]:
        same_title = [x for x in ru_rows if x["ko"] == row["ko"] and x.get("native")]
        if row.get("army") == "kpa" and same_title:
            ru = same_title[0]["native"]
        else:
            en = str(row.get("en", "")).lower().split(" (")[0].strip()
            if en in _EN2RU_UK:
                return _EN2RU_UK[en]
            same_grade = [x for x in ru_rows if x["grade"] == row["grade"] and x.get("native")]
            ru = same_grade[0]["native"] if same_grade else str(row.get("en", row["ko"]))
        return ru, _RU2UK.get(ru.lower(), ru)

    out: list[Entry] = []
    seen: set[str] = set()
    for army, other in (("kpa", "rok"), ("rok", "kpa")):
        for r in by_army.get(army, []):
            peers = [x["ko"] for x in by_army.get(other, []) if x["grade"] == r["grade"]]
            mine = r["ko"]
            counterpart = " / ".join(peers) if peers else mine
            nk, sk = (mine, counterpart) if army == "kpa" else (counterpart, mine)
            ru, uk = ru_uk(r)
            eid = f"rank.{army}.{_slug(str(r.get('en', r['grade'])))}"
            base, k = eid, 2
            while eid in seen:
                eid, k = f"{base}-{k}", k + 1
            seen.add(eid)
            side = "KPA (North)" if army == "kpa" else "ROK (South)"
            note = f"{side} {mine}, NATO {r['grade']}"
            if not peers:
                note += f"; no {'ROK' if army == 'kpa' else 'KPA'} rank at this grade"
            elif len(peers) > 1:
                note += f"; {'ROK' if army == 'kpa' else 'KPA'} has {len(peers)} ranks at this grade: " + counterpart
            if r.get("note"):
                note += f"; {r['note']}"
            tu, tr = _entry_translit(mine)
            out.append(Entry(id=eid, module="glossary", kind="glossary", nk=nk, sk=sk, uk=uk, ru=ru,
                             en=str(r.get("en", r["grade"])), translit_uk=tu, translit_ru=tr, note=note,
                             category="rank", order=200000 + len(out)))
    return out, notes


def load_phrasebook(directory: str | Path | None = None, ranks: str | Path | None = None) -> Phrasebook:
    """Every module in ``directory`` (default: the shipped phrasebook), its glossary and the ranks."""
    d = Path(directory) if directory is not None else default_dir()
    if not d.is_dir():
        raise MeariError("phrasebook directory not found", str(d))
    files = sorted(p for p in d.glob("*.yaml") if p.name != GLOSSARY_NAME)
    if not files:
        raise MeariError("no phrasebook modules (*.yaml) here", str(d))
    mods = []
    for f in files:
        mod, _ = load_module(f)
        mods.append((mod, f))
    mods.sort(key=lambda mf: (mf[0].order, mf[0].module))
    seen: dict[str, Path] = {}
    modules: list[ModuleInfo] = []
    phrases: list[Entry] = []
    for mod, f in mods:
        info = ModuleInfo(mod.module, mod.order, mod.title.model_dump(), str(f))
        for ph in mod.phrases:
            if ph.id in seen:
                raise MeariError(f"{ph.id}: id already used in {seen[ph.id]}", str(f))
            seen[ph.id] = f
            tu, tr = _entry_translit(ph.nk)
            phrases.append(Entry(
                id=ph.id, module=mod.module, kind="phrase", nk=ph.nk, sk=ph.sk, uk=ph.uk, ru=ph.ru, en=ph.en,
                translit_uk=tu, translit_ru=tr, answer=ph.answer, art17=ph.art17, pictogram=ph.pictogram,
                gesture=ph.gesture, note=ph.note,
                choices=tuple(c.model_dump() for c in (ph.choices or ())), order=len(phrases)))
            info.ids.append(ph.id)
        modules.append(info)
    glossary: list[Entry] = []
    gpath = d / GLOSSARY_NAME
    if gpath.is_file():
        glossary = _load_glossary(gpath)
        for g in glossary:
            if g.id in seen:
                raise MeariError(f"{g.id}: id already used in {seen[g.id]}", str(gpath))
            seen[g.id] = gpath
    rpath = Path(ranks) if ranks is not None else RANKS_FILE
    rank_entries, notes = load_ranks(rpath)
    glossary += [r for r in rank_entries if r.id not in seen]
    return Phrasebook(modules, phrases, glossary, str(rpath) if rank_entries else None, notes)


@lru_cache(maxsize=4)
def _cached(directory: str, ranks: str, stamp: tuple) -> Phrasebook:
    return load_phrasebook(directory, ranks)


def phrasebook(directory: str | Path | None = None) -> Phrasebook:
    """Cached :func:`load_phrasebook` (re-read when a file's mtime or size changes)."""
    d = Path(directory) if directory is not None else default_dir()
    if not d.is_dir():
        raise MeariError("phrasebook directory not found", str(d))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.glob("*.yaml")))
    rs = RANKS_FILE.stat() if RANKS_FILE.is_file() else None
    return _cached(str(d), str(RANKS_FILE), stamp + ((rs.st_mtime_ns, rs.st_size) if rs else (),))
