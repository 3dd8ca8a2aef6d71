"""The conversion pipeline: ``to_nk`` (sk2nk) and ``to_sk`` (nk2sk).

Per line: analyse once (HanDic for South Korean input, NK-HanDic for North
Korean input), let every rule propose changes on the shared ``Context``, then
turn proposals into ``Edit`` records and apply them. Lines are independent, so
N lines in give N lines out and blank lines stay blank.

Input handling (defined behaviour, tested):
* text is normalised to NFC first (decomposed jamo become syllables);
* C0/C1 control characters other than tab, CR, LF are an error naming line
  and column (MeCab would silently drop or split on them);
* CR before LF is kept;
* lines longer than ``CHUNK`` characters are converted in chunks cut after a
  sentence end where there is one, else at whitespace (spacing across such a
  cut is not joined); nothing is truncated.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator

from meari import __version__
from meari.errors import MeariError
from meari.lang import rules as R
from meari.lang.analyse import analyse_words
from meari.lang.guard import names
from meari.lang.hangul import from_jamo
from meari.lang.lexicon import lexicon_version, load_lexicon
from meari.lang.rules.base import Context
from meari.lang.types import Conversion, Edit

__all__ = ["Conversion", "Edit", "convert_line", "convert_lines", "signature", "to_nk", "to_sk"]

CHUNK = 4000
_SENTENCE_END = re.compile(r"[.!?。…]\s")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DIRECTIONS = {"sk2nk": ("sk", R.SK2NK), "nk2sk": ("nk", R.NK2SK)}


def check_line(line: str, lineno: int, where: str = "<text>") -> None:
    """Reject control characters with the line and column."""
    m = _CONTROL.search(line)
    if m:
        raise MeariError(
            f"control character U+{ord(m.group()):04X} at line {lineno}, column {m.start() + 1}", where
        )


def _chunks(line: str) -> Iterator[tuple[int, str]]:
    if len(line) <= CHUNK:
        yield 0, line
        return
    pos = 0
    n = len(line)
    while pos < n:
        end = min(n, pos + CHUNK)
        if end < n:
            # prefer a sentence end, so rules that look at the next word keep their context
            ends = [m.end() - 1 for m in _SENTENCE_END.finditer(line, pos + CHUNK // 2, end)]
            cut = ends[-1] if ends else line.rfind(" ", pos + CHUNK // 2, end)
            if cut > pos:
                end = cut + 1
        yield pos, line[pos:end]
        pos = end


def _line_edits(ctx: Context) -> list[tuple[int, int, str, str, str]]:
    """Turn the proposals in ``ctx`` into (start, end, after, rule, why), sorted, non-overlapping."""
    ms = ctx.morphs
    line = ctx.line
    out: list[tuple[int, int, str, str, str]] = []
    if ctx.replaced:
        idx = sorted(ctx.replaced)
        k = 0
        while k < len(idx):
            i = idx[k]
            lo = hi = i
            s, e = ms[i].start, ms[i].end
            # grow over morphemes sharing a syllable, and over adjacent replaced ones
            while True:
                grown = False
                if lo > 0 and ms[lo - 1].word == ms[lo].word and ms[lo - 1].end > s:
                    lo -= 1
                    s = min(s, ms[lo].start)
                    grown = True
                if hi + 1 < len(ms) and ms[hi + 1].word == ms[hi].word and (
                    ms[hi + 1].start < e or (hi + 1 in ctx.replaced and ms[hi + 1].start <= e)
                ):
                    hi += 1
                    e = max(e, ms[hi].end)
                    grown = True
                if not grown:
                    break
            jam = "".join(ctx.replaced[j][0] if j in ctx.replaced else ms[j].jamo for j in range(lo, hi + 1))
            ids: list[str] = []
            whys: list[str] = []
            for j in range(lo, hi + 1):
                if j in ctx.replaced:
                    _, rid, why = ctx.replaced[j]
                    if rid not in ids:
                        ids.append(rid)
                        whys.append(why)
            after = from_jamo(jam)
            if after != line[s:e]:
                out.append((s, e, after, "+".join(ids), "; ".join(whys)))
            while k < len(idx) and idx[k] <= hi:
                k += 1
    for w, (rid, why) in ctx.joins.items():
        gs, ge = ctx.words[w - 1][1], ctx.words[w][0]
        out.append((gs, ge, "", rid, why))
    for i, (rid, why) in ctx.splits.items():
        p = ms[i].start
        out.append((p, p, " ", rid, why))
    for p, (rid, why) in ctx.char_splits.items():
        out.append((p, p, " ", rid, why))
    out.sort(key=lambda t: (t[0], t[1]))
    clean: list[tuple[int, int, str, str, str]] = []
    last_end = -1
    for ed in out:
        if ed[0] < last_end or (clean and ed[0] == ed[1] == clean[-1][0] == clean[-1][1]):
            continue  # overlaps an earlier edit: the earlier (higher-priority) one stands
        clean.append(ed)
        last_end = max(last_end, ed[1])
    return clean


def convert_line(line: str, direction: str = "sk2nk") -> tuple[str, list[tuple[int, int, str, str, str]]]:
    """Convert one line (no newline). Returns (new line, edits with offsets into ``line``)."""
    dialect, rules = DIRECTIONS[direction]
    lex = load_lexicon()
    all_edits: list[tuple[int, int, str, str, str]] = []
    for off, chunk in _chunks(line):
        morphs, spans = analyse_words(chunk, dialect)
        if not morphs:
            continue
        ctx = Context(chunk, morphs, spans, lex)
        ctx.protected |= names(ctx)
        for rule in rules:
            rule.apply(ctx)
        for s, e, after, rid, why in _line_edits(ctx):
            all_edits.append((s + off, e + off, after, rid, why))
    if not all_edits:
        return line, []
    parts = []
    pos = 0
    for s, e, after, _, _ in all_edits:
        parts.append(line[pos:s])
        parts.append(after)
        pos = e
    parts.append(line[pos:])
    return "".join(parts), all_edits


def convert_lines(lines: Iterable[str], direction: str, where: str = "<text>") -> Iterator[tuple[str, list[Edit]]]:
    """Stream lines (each without its newline; a trailing CR is kept). Edits use per-line offsets."""
    for lineno, raw in enumerate(lines, 1):
        line = unicodedata.normalize("NFC", raw)
        cr = line.endswith("\r")
        if cr:
            line = line[:-1]
        check_line(line, lineno, where)
        new, eds = convert_line(line, direction)
        edits = [Edit(s, e, line[s:e], a, rid, why, lineno, s + 1) for s, e, a, rid, why in eds]
        yield (new + "\r" if cr else new), edits


def signature(direction: str, text: str, rules_applied: Iterable[str]) -> str:
    """Provenance: meari version, direction, lexicon version, rules applied, input hash."""
    h = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    ids = ",".join(sorted(set(rules_applied))) or "none"
    return f"meari:{__version__}|{direction}|lex:{lexicon_version()}|rules:{ids}|in:{h}"


def _convert(text: str, direction: str) -> Conversion:
    if not isinstance(text, str):
        raise MeariError(f"expected text (str), got {type(text).__name__}")
    text = unicodedata.normalize("NFC", text)
    out_lines: list[str] = []
    edits: list[Edit] = []
    offset = 0
    lines = text.split("\n")
    for (new, eds), raw in zip(convert_lines(lines, direction), lines, strict=True):
        out_lines.append(new)
        for ed in eds:
            edits.append(Edit(ed.start + offset, ed.end + offset, ed.before, ed.after, ed.rule_id, ed.why,
                              ed.line, ed.col))
        offset += len(raw) + 1
    result = "\n".join(out_lines)
    return Conversion(result, edits, direction, signature(direction, text, (r for e in edits
                                                                             for r in e.rule_id.split("+"))))


def to_nk(text: str) -> Conversion:
    """Convert South Korean standard text to North Korean standard (Munhwaŏ)."""
    return _convert(text, "sk2nk")


def to_sk(text: str) -> Conversion:
    """Convert North Korean standard text to South Korean standard (Pyojuneo)."""
    return _convert(text, "nk2sk")
