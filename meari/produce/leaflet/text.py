"""Korean-aware text handling for leaflets: script checks and line breaking.

North Korean spacing writes dependent nouns and auxiliaries together (할수 있다, 가고있다), so runs
without spaces get long. We break between words first; a run is split between syllables only
when it is longer than a line or when moving it whole would leave the line mostly empty (Korean
print allows breaks between any two syllables). Punctuation never starts a line and opening
brackets never end one (the kinsoku rules Korean typesetting shares with Chinese and Japanese).
Nothing is ever clipped: if a piece cannot fit, the caller gets ``None`` and reports the box.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Break opportunities: ordinary and ideographic spaces. NO-BREAK SPACE (U+00A0) joins, e.g. "ст.\u00a013".
_SPACES = re.compile(r"[ \t\u3000]+")
MIN_PIECE = 3  # syllables each side when a run is split only to fill a line (never an orphan syllable)
# Only long Hangul runs (NK spacing: 살아서돌아갈수있습니다) are split to fill a line; shorter words
# move whole, and Latin/Cyrillic words are never split unless longer than a whole line.
FILL_SPLIT_MIN = 8

# Closing punctuation that must not begin a line; opening that must not end one.
NO_START = set(".,!?;:)]}》」』〉〕”’…·、。，．！？％%‥~-–—")
NO_END = set("([{《「『〈〔“‘")


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def foreign_letters(text: str) -> list[str]:
    """Letters in ``text`` that are not Hangul (Latin, Cyrillic, hanja...): not allowed in a Korean box.

    Digits, punctuation and symbols (№, 《》) are allowed; they are part of Korean print.
    """
    bad: list[str] = []
    for ch in text:
        if is_hangul(ch):
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("L") and ch not in bad:
            bad.append(ch)
    return bad


def _letters(s: str) -> int:
    return sum(1 for ch in s if ch.isalnum())


def _all_hangul(s: str) -> bool:
    return all(is_hangul(ch) for ch in s if ch.isalpha())


def _break_ok(run: str, i: int) -> bool:
    """May a line break fall before ``run[i]`` (0 < i < len)?"""
    a, b = run[i - 1], run[i]
    if b in NO_START or a in NO_END:
        return False
    # Keep numbers and Latin words whole (e.g. "1949", "GC").
    if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
        return False
    return True


def _fitting_prefix(s: str, limit: float, measure: Callable[[str], float]) -> int:
    """The length of the longest prefix of ``s`` no wider than ``limit`` (widths grow with length).

    Doubling, then halving: a few measurements of about one line each, so splitting a long unspaced
    run stays linear in its length (measuring the whole rest for every line made a pasted book of
    300,000 syllables take minutes).
    """
    if not s or measure(s[:1]) > limit:
        return 0
    good, n = 1, 2
    while n < len(s) and measure(s[:n]) <= limit:
        good, n = n, 2 * n
    if n >= len(s):
        if measure(s) <= limit:
            return len(s)
        n = len(s)
    bad = n  # measure(s[:bad]) > limit, measure(s[:good]) <= limit
    while bad - good > 1:
        mid = (good + bad) // 2
        if measure(s[:mid]) <= limit:
            good = mid
        else:
            bad = mid
    return good


def _split_run(run: str, avail: float, width: float, measure: Callable[[str], float]) -> list[str] | None:
    """Split one unspaced run into pieces: the first fits ``avail``, the rest fit ``width``.

    Returns None if some syllable (with its bound punctuation) is wider than a whole line.
    """
    pieces: list[str] = []
    rest = run
    limit = avail
    while True:
        fit = _fitting_prefix(rest, limit, measure)
        if fit == len(rest):
            break
        # The last place a line may break within the prefix that fits.
        cut = next((i for i in range(min(fit, len(rest) - 1), 0, -1) if _break_ok(rest, i)), 0)
        if cut == 0:
            if limit < width:  # nothing fits in the remainder of this line: start a fresh one
                pieces.append("")
                limit = width
                continue
            return None
        pieces.append(rest[:cut])
        rest = rest[cut:]
        limit = width
    pieces.append(rest)
    return pieces


def break_lines(text: str, width: float, measure: Callable[[str], float], fill_ratio: float = 0.6,
                split_words: bool = True) -> list[str] | None:
    """Break ``text`` into lines no wider than ``width``; newlines in ``text`` start new paragraphs.

    ``measure`` gives the width of a string. Returns None if a single syllable cannot fit, or, with
    ``split_words=False``, if some word is wider than the line (the caller then tries a smaller
    size before accepting breaks inside words).
    """
    lines: list[str] = []
    space = measure(" ")
    for para in text.split("\n"):
        words = [w for w in _SPACES.split(para.strip()) if w]
        if not words:
            continue
        cur = ""
        cur_w = 0.0
        for w in words:
            ww = measure(w)
            if ww > width and not split_words:
                return None
            if not cur:
                if ww <= width:
                    cur, cur_w = w, ww
                    continue
                pieces = _split_run(w, width, width, measure)
                if pieces is None:
                    return None
                lines.extend(p for p in pieces[:-1] if p)
                cur = pieces[-1]
                cur_w = measure(cur)
                continue
            if cur_w + space + ww <= width:
                cur += " " + w
                cur_w += space + ww
                continue
            avail = width - cur_w - space
            # Moving the whole run would leave this line mostly empty, or it is longer than a line:
            # split it between syllables instead.
            pieces = None
            if ww > width:
                pieces = _split_run(w, avail, width, measure)
                if pieces is None:
                    return None
            elif split_words and cur_w < fill_ratio * width and _letters(w) >= FILL_SPLIT_MIN and _all_hangul(w):
                # Optional split to fill the line: only if both parts keep at least MIN_PIECE letters.
                pieces = _split_run(w, avail, width, measure)
                if pieces is not None and (len(pieces) != 2 or _letters(pieces[0]) < MIN_PIECE
                                           or _letters(pieces[1]) < MIN_PIECE):
                    pieces = None
            if pieces is not None:
                if pieces[0]:
                    lines.append(cur + " " + pieces[0])
                else:
                    lines.append(cur)
                lines.extend(p for p in pieces[1:-1] if p)
                cur = pieces[-1]
                cur_w = measure(cur)
            else:
                lines.append(cur)
                cur, cur_w = w, ww
        if cur:
            lines.append(cur)
    return lines
