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
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import MeCab

from meari.errors import MeariError
from meari.lang.hangul import jamo_len, to_jamo

Dialect = Literal["sk", "nk"]

# Our own node format: surface TAB feature CSV. (%f[N] cannot be used: MeCab
# fails the whole parse when an entry lacks field N, and HanDic entries have 11
# fields while NK-HanDic's North-specific ones have 13.)
_FIELDS = "%m\t%H\n"
_UNK = "%m\t%H\n"
_EOS = "EOS\n"
_SPACE = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One morpheme. ``start``/``end`` are character offsets in the analysed line.

    A morpheme that shares a syllable with its neighbour (past ᆻ in 되었다)
    gets the whole syllable's span; ``jamo`` is its own jamo surface.
    """

    jamo: str
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
    def surface(self) -> str:
        from meari.lang.hangul import from_jamo

        return from_jamo(self.jamo)

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

            args += f' --node-format="{esc(_FIELDS)}" --unk-format="{esc(_UNK)}" --eos-format="{esc(_EOS)}"'
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


def analyse_raw(jamo_line: str, dialect: Dialect) -> list[tuple[str, list[str]]]:
    """Run MeCab on a jamo line; return (jamo surface, 13 feature fields) per morpheme."""
    out = tagger(dialect).parse(jamo_line)
    rows = []
    for ln in out.split("\n"):
        if not ln or ln == "EOS":
            continue
        surf, _, feat = ln.partition("\t")
        rows.append((surf, split_features(feat)))
    return rows


def analyse(line: str, dialect: Dialect = "sk") -> list[Morpheme]:
    """Analyse one line (no newlines) into morphemes with character spans.

    Spans are found by aligning each morpheme's jamo surface to the decomposed
    line in order; MeCab returns exact substrings, so this never guesses.
    """
    spans = words(line)
    if not spans:
        return []
    jwords = [to_jamo(line[s:e]) for s, e in spans]
    rows = analyse_raw(" ".join(jwords), dialect)
    result: list[Morpheme] = []
    wi = 0
    jpos = 0  # jamo position inside the current word
    for surf, f in rows:
        while wi < len(jwords):
            k = jwords[wi].find(surf, jpos)
            if k >= 0:
                break
            wi += 1
            jpos = 0
        else:  # pragma: no cover - MeCab returned text not in the input
            break
        s, _ = spans[wi]
        cs, ce = _char_span(line, s, k, k + len(surf))
        result.append(
            Morpheme(
                jamo=surf, pos=f[0], base=f[3], lemma=f[5], hanja=f[7], gloss=f[8],
                tag=f[10], nk_mark=f[11] == "&북한어", nk_gloss=f[12],
                start=cs, end=ce, word=wi,
            )
        )
        jpos = k + len(surf)
    return result


def _char_span(line: str, word_start: int, jstart: int, jend: int) -> tuple[int, int]:
    """Map a jamo range inside the word beginning at ``word_start`` to whole characters."""
    j = 0
    i = word_start
    cs = ce = None
    n = len(line)
    while i < n:
        ln = jamo_len(line[i])
        if cs is None and j + ln > jstart:
            cs = i
        if j + ln >= jend:
            ce = i + 1
            break
        j += ln
        i += 1
    return (cs if cs is not None else word_start), (ce if ce is not None else n)
