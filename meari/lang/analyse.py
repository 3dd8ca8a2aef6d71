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

# Our own node format: the whitespace MeCab skipped before the morpheme (%pS), the
# surface and the raw feature string (%H), separated by U+001F. MeCab's own field
# formatting (%f[N]) costs more than splitting the feature string once per distinct
# morpheme line in Python (the lines are memoised), and %f[N] fails the whole parse
# when an entry lacks field N (HanDic entries have 11 fields, NK-HanDic's
# North-specific ones 13). The skipped whitespace gives each morpheme's offset
# without searching the input for its surface.
_SEP = "\x1f"
_FORMAT = f"%pS{_SEP}%m{_SEP}%H\n"
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
    # Lemma without the homograph number (노동자01 -> 노동자): a field, not a property,
    # because the rules ask for it tens of times per sentence and it never changes.
    lemma_plain: str


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

            fmt = esc(_FORMAT)
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
# ending, a common noun, with or without the space before it) comes back again and
# again, so it is split and recomposed once.
_LINES: dict[bool, dict[str, tuple]] = {False: {}, True: {}}


def _mecab_fields(feat: str) -> list[str]:
    """The fields of a feature string exactly as MeCab's %f[N] prints them.

    A port of MeCab's ``tokenizeCSV`` (leading blanks skipped, "…" unquoted with ""
    as a quote) plus its writer's rule that an unset field ``*`` prints as nothing:
    the rules were written against that output, so it must not shift by a space.
    """
    if '"' not in feat:  # the common case: split, and skip the blanks a field starts with
        out = [x.lstrip(" \t") for x in (feat[:-1] if feat.endswith(",") else feat).split(",")] if feat else []
        out = ["" if x == "*" else x for x in out]
        return out + [""] * (13 - len(out)) if len(out) < 13 else out
    out = []
    i, n = 0, len(feat)
    while i < n:
        while i < n and feat[i] in " \t":
            i += 1
        if i < n and feat[i] == '"':
            i += 1
            buf = []
            while i < n:
                c = feat[i]
                if c == '"':
                    i += 1
                    if i >= n or feat[i] != '"':
                        break
                buf.append(feat[i])
                i += 1
            field = "".join(buf)
            k = feat.find(",", i)
            i = n if k < 0 else k
        else:
            k = feat.find(",", i)
            k = n if k < 0 else k
            field = feat[i:k]
            i = k
        out.append("" if field == "*" else field)
        i += 1
    if len(out) < 13:
        out += [""] * (13 - len(out))
    return out


def _fields_of(ln: str, nk: bool) -> tuple:
    """(gap length, jamo surface, the 10 Morpheme fields after it, length in characters, starts mid-syllable)."""
    gap, rest = ln.split(_SEP, 1)
    surf, feat = rest.rsplit(_SEP, 1)
    f = _mecab_fields(feat)
    if nk:
        j = feat.find(_NK_MARK)
        mark = j >= 0
        nkg = feat[j + len(_NK_MARK):].strip('"') if mark else "*"
    else:
        mark, nkg = False, "*"
    surface = unicodedata.normalize("NFC", surf)
    # a morpheme starting with a vowel or final jamo (ᆻ, ᆯ까요) belongs to the previous character
    mid = bool(surf) and 0x1161 <= ord(surf[0]) < 0x1200
    return (len(gap), surf, surface, f[0], f[3], f[5], f[7], f[8], f[10], mark, nkg, len(surface), mid,
            f[5].rstrip("0123456789"))


def analyse(line: str, dialect: Dialect = "sk") -> list[Morpheme]:
    """Analyse one line (no newlines) into morphemes with character spans."""
    return analyse_words(line, dialect)[0]


def analyse_words(line: str, dialect: Dialect = "sk") -> tuple[list[Morpheme], list[tuple[int, int]]]:
    """Morphemes of one line with character spans, and the spans of its words as MeCab split them.

    MeCab reports the whitespace it skipped before each morpheme, and its surfaces
    are exact substrings of the decomposed line in order, so offsets follow from
    lengths alone: every character but a leading vowel/final jamo (ᆻ, ᆯ까요)
    starts a new character, and whitespace holds no jamo. Skipped whitespace means
    a new word. (A line holding the separator U+001F itself, which convert_line
    rejects as a control character, falls back to searching for each surface.)
    """
    if not line.strip():
        return [], []
    if _SEP in line:
        morphs = _analyse_searching(line, dialect)
        return morphs, word_spans(morphs)
    out = tagger(dialect).parse(to_jamo(line))
    result: list[Morpheme] = []
    spans: list[tuple[int, int]] = []
    append = result.append
    chars = 0  # characters fully or partly before the current morpheme
    word = -1
    ws = 0  # start of the current word
    nk = dialect == "nk"
    memo = _LINES[nk]
    if len(memo) > 200_000:
        memo.clear()
    for ln in out.split("\n"):
        fields = memo.get(ln)
        if fields is None:
            if not ln or ln == "EOS":
                continue
            fields = memo[ln] = _fields_of(ln, nk)
        gap, surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg, n, mid, plain = fields
        if gap or word < 0:
            if word >= 0:
                spans.append((ws, chars))
            word += 1
            chars += gap
            ws = chars - mid
        if mid:
            start = chars - 1
            chars += n - 1
        else:
            start = chars
            chars += n
        append(Morpheme(surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg, start, chars, word, plain))
    if word >= 0:
        spans.append((ws, chars))
    return result, spans


def _analyse_searching(line: str, dialect: Dialect) -> list[Morpheme]:
    """The slow path for a line holding U+001F: find each surface in the decomposed line."""
    jline = to_jamo(line)
    result: list[Morpheme] = []
    pos = 0  # jamo position after the previous morpheme
    chars = 0
    word = -1
    nk = dialect == "nk"
    for ln in tagger(dialect).parse(jline).split("\n"):
        if not ln or ln == "EOS" or ln.count(_SEP) < 2:
            continue
        _, surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg, n, mid, plain = _fields_of(ln, nk)
        k = jline.find(surf, pos) if surf else -1
        if k < 0:
            continue
        gap = jline[pos:k]
        if word < 0 or gap:
            word += 1
        before = chars + len(gap)
        start = before - 1 if mid else before
        chars = before + n - (1 if mid else 0)
        result.append(Morpheme(surf, surface, pos_, base, lemma, hanja, gloss, tag, mark, nkg, start, chars, word,
                               plain))
        pos = k + len(surf)
    return result
