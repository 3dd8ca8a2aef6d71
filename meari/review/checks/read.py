"""read.*: sentence length, hard and hanja-heavy vocabulary, hanja and Latin script, numbers and units."""

from __future__ import annotations

import re
from functools import lru_cache

from meari.review import Check, Finding
from meari.review.data import load

_HANJA = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
_COORD = re.compile(r"\d+(?:\.\d+)?\s*°|\b\d{1,3}\.\d{3,}\b")


def _syllables(s: str) -> int:
    return sum(1 for c in s if "\uac00" <= c <= "\ud7a3")


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load("read")


@lru_cache(maxsize=1)
def _hard() -> dict[str, list[tuple[tuple[str, ...], dict]]]:
    idx: dict[str, list[tuple[tuple[str, ...], dict]]] = {}
    for e in _cfg()["hard_words"]:
        parts = tuple(str(e["word"]).split())
        idx.setdefault(parts[0], []).append((parts[1:], e))
    return idx


def _length(ctx) -> list[Finding]:  # noqa: ANN001
    cfg = _cfg()["sentence"]
    limit = cfg["max_syllables"]
    out = []
    for s in ctx.doc.sentences:
        n = _syllables(s.text)
        if n > limit:
            out.append(ctx.finding("read.sentence-length", "warning", s.start, s.end,
                                   f"sentence of {n} syllables (limit {limit}): {cfg['note']}",
                                   "split it into short sentences, one idea each"))
    return out


def _hard_words(ctx) -> list[Finding]:  # noqa: ANN001
    idx = _hard()
    out = []
    for s in ctx.doc.sentences:
        toks = s.tokens
        for i, t in enumerate(toks):
            for rest, e in idx.get(t.key, ()):
                if all(i + 1 + k < len(toks) and toks[i + 1 + k].key == r for k, r in enumerate(rest)):
                    last = i + len(rest)
                    out.append(ctx.finding("read.hard-word", "info", t.start, toks[last].end,
                                           f"'{e['word'].replace(' ', '')}' is hard to decode ({e['note']})",
                                           f"say '{e['plain']}'"))
                    break
    return out


def _hanja_heavy(ctx) -> list[Finding]:  # noqa: ANN001
    cfg = _cfg()["hanja_heavy"]
    out = []
    for s in ctx.doc.sentences:
        nouns = [t for t in s.tokens if t.tag in ("NNG", "XR")]
        sino = [t for t in nouns if t.morph.hanja not in ("", "*")]
        if len(sino) >= cfg["min_sino_nouns"] and len(sino) / len(nouns) >= cfg["min_share"]:
            out.append(ctx.finding("read.hanja-heavy", "info", s.start, s.end,
                                   f"{len(sino)} of {len(nouns)} nouns are Sino-Korean: {cfg['note']}",
                                   "use native Korean words where they exist"))
    return out


def _hanja_script(ctx) -> list[Finding]:  # noqa: ANN001
    return [
        ctx.finding("read.hanja-script", "warning", m.start(), m.end(),
                    "Chinese characters: North Korean print has not used hanja since 1949, "
                    "so most soldiers cannot read them", "write the word in Hangul")
        for m in _HANJA.finditer(ctx.doc.text)
    ]


def _latin_and_units(ctx, want: str) -> list[Finding]:  # noqa: ANN001
    text = ctx.doc.text
    units = {u.lower() for u in _cfg()["numbers"]["latin_units"]}
    out = []
    for s in ctx.doc.sentences:
        toks = s.tokens
        for i, t in enumerate(toks):
            if t.tag != "SL":
                continue
            prev_num = i > 0 and toks[i - 1].tag == "SN" and toks[i - 1].end == t.start
            if prev_num and t.key.lower() in units:
                if want == "numbers":
                    out.append(ctx.finding("read.numbers", "info", toks[i - 1].start, t.end,
                                           "a number with a Latin unit must be decoded: " + _cfg()["numbers"]["note"],
                                           "write the unit in Hangul (메터, 키로메터)"))
            elif want == "latin" and (len(t.key) >= 2 or not prev_num):
                out.append(ctx.finding("read.latin", "warning", t.start, t.end,
                                       f"Latin letters '{text[t.start:t.end]}': many North Korean soldiers "
                                       "cannot read them, and they mark the text as foreign",
                                       "write it in Hangul (UN -> 유엔)"))
    if want == "numbers":
        for rx in (_TIME, _COORD):
            for m in rx.finditer(text):
                out.append(ctx.finding("read.numbers", "info", m.start(), m.end(),
                                       "clock times and coordinates must be decoded: " + _cfg()["numbers"]["note"],
                                       "say it in words (오후 두시) or with a landmark"))
    return out


def _latin(ctx) -> list[Finding]:  # noqa: ANN001
    return _latin_and_units(ctx, "latin")


def _numbers(ctx) -> list[Finding]:  # noqa: ANN001
    return _latin_and_units(ctx, "numbers")


CHECKS = [
    Check("read.sentence-length", "warning", "Sentence too long to take in at a glance.", _length, "read"),
    Check("read.hard-word", "info", "Legal or bureaucratic word with a plainer equivalent.", _hard_words, "read"),
    Check("read.hanja-heavy", "info", "Sentence made mostly of Sino-Korean nouns.", _hanja_heavy, "read"),
    Check("read.hanja-script", "warning", "Chinese characters, which most North Korean soldiers cannot read.",
          _hanja_script, "read"),
    Check("read.latin", "warning", "Latin-script words a North Korean soldier may not read.", _latin, "read"),
    Check("read.numbers", "info", "Numbers with Latin units, clock times or coordinates that must be decoded.",
          _numbers, "read"),
]
