"""read.*: sentence length, hard and hanja-heavy vocabulary, hanja, Latin and other scripts, numbers and units.

Also ``print.missing-glyph``: characters the leaflet fonts cannot print (emoji, hanja, dingbats), an
error, so a message the leaflet would refuse is refused at review time (meari.glyphs decides).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from meari.review import Check, Finding
from meari.review.data import load

# Runs of letters that are not Hangul or hanja (Latin, Cyrillic, Greek, ...), with digits/hyphens/apostrophes
# inside them (AK-74, Kellogg's); each run is named by the script of its letters.
_FOREIGN_RUN = re.compile(r"[^\W\d_\u3130-\u318f\uac00-\ud7a3\u1100-\u11ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
                          r"(?:[\w'’-]*[^\W\d_])?")
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


def script_of(ch: str) -> str:
    """The Unicode script of a letter, from its character name (LATIN, CYRILLIC, GREEK, ARABIC, ...)."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "UNKNOWN"
    first = name.split(" ", 1)[0]
    return "LATIN" if first in ("LATIN", "FULLWIDTH") else first


def foreign_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, script) of every run of non-Hangul, non-hanja letters; a run of mixed scripts is 'MIXED'."""
    out = []
    for m in _FOREIGN_RUN.finditer(text):
        scripts = {script_of(c) for c in m.group() if c.isalpha()}
        out.append((m.start(), m.end(), scripts.pop() if len(scripts) == 1 else "MIXED"))
    return out


_SCRIPT_NAMES = {"LATIN": "Latin", "CYRILLIC": "Cyrillic", "GREEK": "Greek", "MIXED": "mixed-script"}


def _latin_and_units(ctx, want: str) -> list[Finding]:  # noqa: ANN001
    text = ctx.doc.text
    units = {u.lower() for u in _cfg()["numbers"]["latin_units"]}
    out = []
    numbered: set[int] = set()
    for s in ctx.doc.sentences:
        toks = s.tokens
        for i, t in enumerate(toks):
            if t.tag != "SL":
                continue
            prev_num = i > 0 and toks[i - 1].tag == "SN" and toks[i - 1].end == t.start
            if prev_num and t.key.lower() in units:
                numbered.add(t.start)
                if want == "numbers":
                    out.append(ctx.finding("read.numbers", "info", toks[i - 1].start, t.end,
                                           "a number with a Latin unit must be decoded: " + _cfg()["numbers"]["note"],
                                           "write the unit in Hangul (메터, 키로메터)"))
    if want != "numbers":
        for start, end, script in foreign_runs(text):
            item_letter = script == "LATIN" and end - start == 1 and start > 0 and text[start - 1].isdigit()
            if start in numbered or item_letter:
                continue  # 500m is read.numbers; 3a, 2b: item letters
            if (want == "latin") != (script == "LATIN"):
                continue
            word = text[start:end]
            if script == "LATIN":
                out.append(ctx.finding("read.latin", "warning", start, end,
                                       f"Latin letters '{word}': many North Korean soldiers "
                                       "cannot read them, and they mark the text as foreign",
                                       "write it in Hangul (UN -> 유엔)"))
            else:
                name = _SCRIPT_NAMES.get(script, script.title())
                out.append(ctx.finding("read.foreign-script", "warning", start, end,
                                       f"{name} letters '{word}': a North Korean soldier reads Korean; "
                                       "letters of another script mark the text as foreign and may not be read at all",
                                       "write it in Hangul, or put the other language in the leaflet's language boxes"))
    if want == "numbers":
        for rx in (_TIME, _COORD):
            for m in rx.finditer(text):
                out.append(ctx.finding("read.numbers", "info", m.start(), m.end(),
                                       "clock times and coordinates must be decoded: " + _cfg()["numbers"]["note"],
                                       "say it in words (오후 두시) or with a landmark"))
    return out


def _latin(ctx) -> list[Finding]:  # noqa: ANN001
    return _latin_and_units(ctx, "latin")


def _foreign(ctx) -> list[Finding]:  # noqa: ANN001
    return _latin_and_units(ctx, "foreign")


def _numbers(ctx) -> list[Finding]:  # noqa: ANN001
    return _latin_and_units(ctx, "numbers")


def _glyphs(ctx) -> list[Finding]:  # noqa: ANN001
    """Characters no leaflet font has: the leaflet would refuse the text, so the review does first."""
    from meari.glyphs import missing_glyphs

    text = ctx.doc.text
    missing = missing_glyphs(text)
    out = []
    for ch in missing:
        i = text.index(ch)
        try:
            name = unicodedata.name(ch).lower()
        except ValueError:
            name = "unnamed character"
        n = text.count(ch)
        more = f" ({n} times)" if n > 1 else ""
        out.append(ctx.finding("print.missing-glyph", "error", i, i + len(ch),
                               f"character {ch!r} (U+{ord(ch):04X} {name}){more} is in no leaflet font "
                               "(Noto Sans KR, DejaVu Sans for Latin and Cyrillic): the leaflet cannot print it "
                               "and a voice cannot say it",
                               "remove it or write it in words"))
    return out


CHECKS = [
    Check("read.sentence-length", "warning", "Sentence too long to take in at a glance.", _length, "read"),
    Check("read.hard-word", "info", "Legal or bureaucratic word with a plainer equivalent.", _hard_words, "read"),
    Check("read.hanja-heavy", "info", "Sentence made mostly of Sino-Korean nouns.", _hanja_heavy, "read"),
    Check("read.hanja-script", "warning", "Chinese characters, which most North Korean soldiers cannot read.",
          _hanja_script, "read"),
    Check("read.latin", "warning", "Latin-script words a North Korean soldier may not read.", _latin, "read"),
    Check("read.foreign-script", "warning", "Cyrillic, Greek or other non-Korean letters (named by script).",
          _foreign, "read"),
    Check("print.missing-glyph", "error", "Characters the leaflet fonts cannot print (emoji, hanja, symbols).",
          _glyphs, "print"),
    Check("read.numbers", "info", "Numbers with Latin units, clock times or coordinates that must be decoded.",
          _numbers, "read"),
]
