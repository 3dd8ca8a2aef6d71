"""Morphological analysis with MeCab + HanDic (South) or NK-HanDic (North).

One analyser per dialect, created once per process. ``analyse`` returns plain
``Morpheme`` records with character spans into the input line, so rules and
review checks can point at the exact text. Jamo handling is delegated to
:mod:`meari.lang.hangul`.

Feature layout of both dictionaries (CSV after the surface):
 0 POS (Noun, Verb, Ending…), 1-2 sub-POS, 3 conjugation base (語基1/2/3),
 4 connection, 5 lemma (with homograph number), 6 surface form, 7 hanja,
 8 gloss / loanword origin, 9 level, 10 Sejong tag (NNG, VV, EF…),
 11 '&북한어' for North-specific entries (NK-HanDic only), 12 gloss naming
 the South Korean equivalent (NK-HanDic only).
"""

from __future__ import annotations

import csv
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import MeCab

from meari.errors import MeariError
from meari.lang.hangul import to_jamo

Dialect = Literal["sk", "nk"]

# Our own node format: surface TAB feature CSV. (%f[N] cannot be used: MeCab
# fails the whole parse when an entry lacks field N, and HanDic entries have 11
# fields while NK-HanDic's North-specific ones have 13.)
# So we ask MeCab (C) for the fields every entry has, already unquoted, and for
# NK-HanDic append the raw feature string, read only when it holds '&북한어'.
_FIELDS = {
    "sk": "%m\t%f[0]\t%f[3]\t%f[5]\t%f[7]\t%f[8]\t%f[10]\n",
    "nk": "%m\t%f[0]\t%f[3]\t%f[5]\t%f[7]\t%f[8]\t%f[10]\t%H\n",
}
_NK_MARK = ",&북한어,"
_EOS = "EOS\n"
_SPACE = re.compile(r"\S+")


@dataclass(slots=True)  # not frozen: frozen __init__ costs 5x, and this is the hot path
class Morpheme:
    """One morpheme. ``start``/``end`` are character offsets in the analysed line.

    A morpheme that shares a syllable with its neighbour (past ᆻ in 되었다)
    gets the whole syllable's span; ``jamo`` is its own jamo surface and
    ``surface`` that jamo recomposed (a bare final such as ᆻ stays a jamo).
    """

    jamo: str
    surface: str
    pos: str
    base: str
    lemma: str
    hanja: str
    gloss: str
    tag: str
    nk_mark: bool
    nk_gloss: str
    start: int
    end: int
    word: int  # index of the whitespace-separated word (eojeol)

    @property
    def lemma_plain(self) -> str:
        """Lemma without the homograph number (노동자01 -> 노동자)."""
        return self.lemma.rstrip("0123456789")


def dicdir(dialect: Dialect) -> str:
    """Directory of the installed MeCab dictionary for a dialect."""
    # Locate the package without importing it: handic/__init__ pulls in
    # jamotools, which we do not need (jamo handling lives in meari.lang.hangul).
    import importlib.util

    name = "handic" if dialect == "sk" else "nkhandic"
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise MeariError(f"the {name} dictionary package is not installed (run `make test` to set up .venv)")
    return os.path.join(list(spec.submodule_search_locations)[0], "dicdir")


@lru_cache(maxsize=2)
def dictionary_version(dialect: Dialect) -> str:
    path = os.path.join(dicdir(dialect), "version")
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return "unknown"


_local = threading.local()


def tagger(dialect: Dialect, raw: bool = False) -> MeCab.Tagger:
    """A per-thread MeCab tagger (``raw`` = default output format, for benchmarks)."""
    key = f"{dialect}{'-raw' if raw else ''}"
    t = getattr(_local, key, None)
    if t is None:
        d = dicdir(dialect)
        args = f'-r /dev/null -d "{d}"'
        if not raw:
            # MeCab's argument parser eats one level of backslashes.
            def esc(f: str) -> str:
                return f.replace("\t", r"\\t").replace("\n", r"\\n")

            fmt = esc(_FIELDS[dialect])
            args += f' --node-format="{fmt}" --unk-format="{fmt}" --eos-format="{esc(_EOS)}"'
        try:
            t = MeCab.Tagger(args)
            t.parse("")
        except RuntimeError as e:  # pragma: no cover - only with a broken install
            raise MeariError(f"cannot load the {dialect} MeCab dictionary at {d}: {e}") from None
        setattr(_local, key, t)
    return t


def words(line: str) -> list[tuple[int, int]]:
    """Character spans of the whitespace-separated words (eojeols) of a line."""
    return [m.span() for m in _SPACE.finditer(line)]


def word_spans(morphs: list[Morpheme]) -> list[tuple[int, int]]:
    """Character spans of the words as MeCab split them (``Morpheme.word`` indexes this)."""
    spans: list[tuple[int, int]] = []
    for m in morphs:
        if m.word == len(spans):
            spans.append((m.start, m.end))
        else:
            spans[-1] = (spans[-1][0], m.end)
    return spans


_PAD = ["*"] * 13


def split_features(feat: str) -> list[str]:
    """Split a MeCab feature string into 13 fields (quoted fields are rare: use csv only then)."""
    if '"' in feat:
        fields = next(csv.reader([feat]))
    else:
        fields = feat.split(",")
    if len(fields) < 13:
        fields += _PAD[len(fields):]
    return fields


# One output line of MeCab -> its parsed fields. The same morpheme line (a particle, an
# ending, a common noun) comes back again and again, so it is split and recomposed once.
_LINES: dict[bool, dict[str, tuple]] = {False: {}, True: {}}


def _fields_of(ln: str, nk: bool) -> tuple:
    if nk:
        surf, pos_, base, lemma, hanja, gloss, tag, feat = ln.split("\t", 7)
        j = feat.find(_NK_MARK)
        mark = j >= 0
        nkg = feat[j + len(_NK_MARK):].strip('"') if mark else "*"
    else:
        surf, pos_, base, lemma, hanja, gloss, tag = ln.split("\t", 6)
        mark, nkg = False, "*"
    return surf, unicodedata.normalize("NFC", surf), pos_, base, lemma, hanja, gloss, tag, mark, nkg


def analyse(line: str, dialect: Dialect = "sk") -> list[Morpheme]:
    """Analyse one line (no newlines) into morphemes with character spans.

    MeCab returns exact substrings of the decomposed line, in order, so each
    morpheme is found with ``str.find`` from the end of the previous one. Its
    character span follows from the recomposed surface's length: every
    character but a leading vowel/final jamo (ᆻ, ᆯ까요) starts a new character.
    """
    if not line.strip():
        return []
    jline = to_jamo(line)
    out = tagger(dialect).parse(jline)
    result: list[Morpheme] = []
    pos = 0  # jamo position after the previous morpheme
    chars = 0  # characters fully or partly before ``pos``
    word = -1
    nk = dialect == "nk"
    memo = _LINES[nk]
    if len(memo) > 200_000:
        memo.clear()
    for ln in out.split("\n"):
        if not ln or ln == "EOS":
            continue
        fields = memo.get(ln)
        if fields is None:
            fields = memo[ln] = _fields_of(ln, nk)
        surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg = fields
        k = jline.find(surf, pos)
        if k < 0:  # pragma: no cover - MeCab returned text not in the input
            continue
        gap = jline[pos:k]
        if word < 0 or gap:  # MeCab skips only whitespace, so a gap means a new word
            word += 1
        before = chars + len(gap)  # the gap is whitespace: no jamo in it
        if 0x1161 <= ord(surf[0]) < 0x1200:  # starts mid-syllable (ᆻ, ᆯ까요): belongs to the previous char
            start = before - 1
            chars = before + len(surface) - 1
        else:
            start = before
            chars = before + len(surface)
        result.append(Morpheme(surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg, start, chars, word))
        pos = k + len(surf)
    return result
