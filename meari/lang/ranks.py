"""Military ranks of the KPA, the ROK Army and Russia, by NATO grade (``meari/data/ranks.yaml``).

One word names different grades on the two sides (소장 is the KPA's one-star but the
ROK's two-star; the KPA has four field grades where the ROK has three), and South
Korean writers often use the North's own titles for North Korean officers already.
So a rank word is converted only when its grade holds exactly one rank on the other
side *and* the word is not itself a title of the other army; everything else is left
alone and the review (check ``nk.rank``) shows every reading from the table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from meari.errors import MeariError

PATH = Path(__file__).resolve().parent.parent / "data" / "ranks.yaml"
ARMIES = ("kpa", "rok", "ru")
# Groups converted North->South: generals keep their KPA titles in South Korean usage
# (press writes 북한군 상장), the KPA's NCO grades are uncertain by source, and 전사 is
# also an everyday word (戰士, 戰死).
_NK2SK_GROUPS = frozenset({"field", "company", "enlisted"})
_NK2SK_NEVER = frozenset({"전사"})


@dataclass(frozen=True, slots=True)
class Rank:
    """One row of the rank table."""

    army: str
    grade: str
    group: str
    ko: str
    hanja: str = ""
    native: str = ""
    en: str = ""
    note: str = ""
    extra: bool = False
    also: tuple[str, ...] = ()

    def describe(self) -> str:
        army = {"kpa": "KPA", "rok": "ROK", "ru": "Russia"}[self.army]
        bits = [f"{army} {self.ko}"]
        if self.hanja:
            bits.append(f"({self.hanja})")
        bits.append(f"{self.grade} {self.en}")
        if self.native and self.army == "ru":
            bits.append(f"= {self.native}")
        return " ".join(bits)


@lru_cache(maxsize=1)
def table() -> tuple[Rank, ...]:
    """All rows, validated (a bad file is an error naming it, never a traceback)."""
    try:
        data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise MeariError(f"cannot read the rank table: {e}", str(PATH)) from None
    rows = []
    for n, r in enumerate((data or {}).get("ranks") or [], 1):
        if not isinstance(r, dict) or r.get("army") not in ARMIES or not r.get("ko") or not r.get("grade"):
            raise MeariError(f"rank row {n} needs army (kpa|rok|ru), grade and ko", str(PATH))
        rows.append(Rank(r["army"], str(r["grade"]), str(r.get("group", "")), unicodedata.normalize("NFC", r["ko"]),
                         unicodedata.normalize("NFC", str(r.get("hanja", ""))), str(r.get("native", "")),
                         str(r.get("en", "")), str(r.get("note", "")), bool(r.get("extra", False)),
                         tuple(r.get("also", ()) or ())))
    return tuple(rows)


def _titles(army: str) -> dict[str, Rank]:
    out: dict[str, Rank] = {}
    for r in table():
        if r.army == army:
            out.setdefault(r.ko, r)
            for a in r.also:
                out.setdefault(a, r)
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, Rank]]:
    return {a: _titles(a) for a in ARMIES}


def rows_for(word: str) -> list[Rank]:
    """Every row (any army) whose title is ``word``: the readings a reader may give it."""
    return [r for r in table() if r.ko == word or word in r.also]


def same_grade(row: Rank, army: str) -> list[Rank]:
    return [r for r in table() if r.army == army and r.grade == row.grade]


@dataclass(frozen=True, slots=True)
class Mapping:
    source: Rank
    target: Rank | None  # None: not converted (ambiguous or already the other side's title)
    why: str


@lru_cache(maxsize=256)
def mapping(word: str, direction: str) -> Mapping | None:
    """How the converter treats rank word ``word`` in ``direction`` (None: not a rank of the source side)."""
    src_army, dst_army = ("rok", "kpa") if direction == "sk2nk" else ("kpa", "rok")
    src = _index()[src_army].get(word)
    if src is None:
        return None
    cands = same_grade(src, dst_army)
    other_title = _index()[dst_army].get(word)
    if other_title is not None:
        return Mapping(src, None, f"{word} is also a {dst_army.upper()} title ({other_title.grade}); "
                                  f"as a {src_army.upper()} rank it is {src.grade}")
    if len(cands) != 1:
        names = "/".join(c.ko for c in cands) or "none"
        return Mapping(src, None, f"{src.grade} holds {len(cands)} {dst_army.upper()} ranks ({names})")
    back = same_grade(cands[0], src_army)
    if len(back) != 1:
        # one to one both ways only: 상좌 → 대령 is the same grade, but 대령 would come back as
        # two KPA ranks, and South Korean writers keep the KPA's own title (상좌, 상위) for it
        return Mapping(src, None, f"{cands[0].grade} holds {len(back)} {src_army.upper()} ranks")
    if direction == "nk2sk" and (src.group not in _NK2SK_GROUPS or word in _NK2SK_NEVER):
        return Mapping(src, None, f"{src.group} titles of the KPA are kept in South Korean usage")
    tgt = cands[0]
    return Mapping(src, tgt, f"{src.describe()} = {tgt.describe()} (same NATO grade; meari/data/ranks.yaml)")


@lru_cache(maxsize=2)
def all_words(direction: str) -> dict[str, Mapping]:
    """Rank words of the source side of ``direction`` with their mapping."""
    army = "rok" if direction == "sk2nk" else "kpa"
    return {w: m for w in _index()[army] if (m := mapping(w, direction)) is not None}


@lru_cache(maxsize=2)
def pattern(direction: str) -> re.Pattern[str]:
    """One regex of every rank word of the source side (a cheap test before the morpheme scan)."""
    words = sorted(all_words(direction), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def readings(word: str) -> str:
    """One line listing what ``word`` means in each army (for review findings and the glossary)."""
    return "; ".join(r.describe() for r in rows_for(word))
