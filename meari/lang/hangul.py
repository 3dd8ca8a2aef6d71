"""Hangul helpers: the one place jamo decomposition and recomposition happen.

MeCab with HanDic / NK-HanDic expects conjoining jamo (U+1100 block) and
returns morphemes in jamo (past tense as a bare final ᆻ, endings as ᆯ/ᆫ).
We decompose only Hangul syllables (not NFD, which would also split Latin
accents and CJK compatibility ideographs) and recompose whole strings with
NFC, never splicing a replacement next to a half syllable.
"""

from __future__ import annotations

import unicodedata

SBASE, LBASE, VBASE, TBASE = 0xAC00, 0x1100, 0x1161, 0x11A7
LCOUNT, VCOUNT, TCOUNT = 19, 21, 28
NCOUNT = VCOUNT * TCOUNT
SCOUNT = LCOUNT * NCOUNT

# Compatibility jamo (what people type) for each conjoining initial / final.
_L_COMPAT = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_V_COMPAT = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_T_COMPAT = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
             "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for s in range(SCOUNT):
        li, rest = divmod(s, NCOUNT)
        vi, ti = divmod(rest, TCOUNT)
        j = chr(LBASE + li) + chr(VBASE + vi)
        if ti:
            j += chr(TBASE + ti)
        table[SBASE + s] = j
    return table


_DECOMPOSE = _build_table()


def to_jamo(text: str) -> str:
    """Decompose Hangul syllables (only) into conjoining jamo."""
    return text.translate(_DECOMPOSE)


def jamo_len(ch: str) -> int:
    """Length in jamo of one character after :func:`to_jamo`."""
    o = ord(ch)
    if SBASE <= o < SBASE + SCOUNT:
        return 3 if (o - SBASE) % TCOUNT else 2
    return 1


def from_jamo(text: str) -> str:
    """Recompose a whole jamo string into syllables (NFC)."""
    return unicodedata.normalize("NFC", text)


def is_syllable(ch: str) -> bool:
    return SBASE <= ord(ch) < SBASE + SCOUNT


def split_syllable(ch: str) -> tuple[int, int, int]:
    """Return (initial, vowel, final) indices of a Hangul syllable (final 0 = none)."""
    s = ord(ch) - SBASE
    li, rest = divmod(s, NCOUNT)
    vi, ti = divmod(rest, TCOUNT)
    return li, vi, ti


def join_syllable(li: int, vi: int, ti: int = 0) -> str:
    return chr(SBASE + (li * VCOUNT + vi) * TCOUNT + ti)


def initial(ch: str) -> str:
    """Compatibility jamo of the initial consonant ('' if not a syllable)."""
    return _L_COMPAT[split_syllable(ch)[0]] if is_syllable(ch) else ""


def vowel(ch: str) -> str:
    return _V_COMPAT[split_syllable(ch)[1]] if is_syllable(ch) else ""


def final(ch: str) -> str:
    return _T_COMPAT[split_syllable(ch)[2]] if is_syllable(ch) else ""


def with_initial(ch: str, ini: str) -> str:
    """The syllable ``ch`` with its initial consonant replaced by compat jamo ``ini``."""
    _, vi, ti = split_syllable(ch)
    return join_syllable(_L_COMPAT.index(ini), vi, ti)


def with_final(ch: str, fin: str) -> str:
    li, vi, _ = split_syllable(ch)
    return join_syllable(li, vi, _T_COMPAT.index(fin))


def with_vowel(ch: str, vow: str) -> str:
    li, _, ti = split_syllable(ch)
    return join_syllable(li, _V_COMPAT.index(vow), ti)


def hangul_ratio(text: str) -> float:
    """Share of letters that are Hangul (syllables or jamo); used to reject non-Korean text."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    k = sum(1 for c in letters if is_syllable(c) or 0x1100 <= ord(c) <= 0x11FF or 0x3130 <= ord(c) <= 0x318F)
    return k / len(letters)
