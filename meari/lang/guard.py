"""Guards that make a wrong change impossible by construction, not by a list of words.

A rule that rewrites a morpheme (vocabulary, loanword, sai-siot, initial sound, rank)
asks these first:

* :func:`whole_run`: the morphemes form a whole word or a whole element of a
  compound. A piece the analyser cut out of a longer word (고요+해지기, 요+압, 엘+리자,
  사라+지리) is left alone: the neighbour inside the same word must be grammar (a
  particle, an ending, a suffix, punctuation) or, for Sino-Korean compounds, another
  noun with hanja (노동+당원).
* :func:`south_reads_grammar`: North->South with a harvested pair only: when the
  South's analyser reads the same letters as a word plus a particle (내가 = 내+가,
  바다가 = 바다+가), the two analyses disagree and the word is left alone.
* :func:`names`: foreign personal and place names that look like Sino-Korean
  words (이반, 나사로, 루이, 로마): never changed by a spelling rule; only the loanword
  table (``meari/data/loanwords.yaml``) may respell a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from meari.lang.analyse import analyse

_GRAMMAR_PREFIX = ("J", "E", "XS", "VC", "S")  # particles, endings, suffixes, copula, symbols
_NOUNS = frozenset({"NNG", "NNP", "NNB", "NR", "NP"})


def _has_hanja(m) -> bool:  # noqa: ANN001
    return m.hanja not in ("", "*") and not m.hanja.startswith(("그", "이", "저"))


def whole_run(ctx, i: int, j: int, curated: bool = False) -> bool:  # noqa: ANN001
    """Is morphemes ``i..j-1`` a whole word, or a whole element of a compound?"""
    ms = ctx.morphs
    w = ms[i].word
    # An analysis with a subject particle followed by another particle (루+이+는 for 루이는)
    # is a misreading of a word the analyser does not know: trust nothing in that word.
    for k in range(i, len(ms) - 1):
        if ms[k].word != w:
            break
        if ms[k].tag == "JKS" and ms[k + 1].word == w and ms[k + 1].tag.startswith("J"):
            return False
    run_hanja = all(_has_hanja(ms[k]) for k in range(i, j))
    if i > 0 and ms[i - 1].word == w:
        p = ms[i - 1]
        if p.tag == "XPN" or p.tag.startswith("S"):
            pass
        elif p.tag in _NOUNS and _has_hanja(p) and len(p.surface) >= 2 and (curated or run_hanja):
            pass  # 대형+탱크, 조선+로동당: an element after a Sino-Korean noun
        elif p.tag == "NNP" and len(p.surface) >= 2 and run_hanja and len(ms[i].surface) >= 2:
            pass  # 로씨야+련방, 평양+랭면: a Sino-Korean element after a proper noun
        else:
            return False
    if j < len(ms) and ms[j].word == w:
        n = ms[j]
        if n.tag.startswith(_GRAMMAR_PREFIX):
            pass
        elif n.tag in _NOUNS and _has_hanja(n) and (curated or run_hanja):
            pass  # 탱크+부대, 노동+당원
        else:
            return False
    return True


@lru_cache(maxsize=4096)
def _sk_cuts(word: str) -> tuple[tuple[int, str], ...]:
    """(start, tag) of each morpheme HanDic finds in ``word``."""
    return tuple((m.start, m.tag) for m in analyse(word, "sk"))


def south_reads_grammar(ctx, i: int, j: int) -> bool:  # noqa: ANN001
    """Does HanDic read the span as a word plus a particle/ending (내가 = 내+가)?"""
    ms = ctx.morphs
    ws, we = ctx.words[ms[i].word]
    word = ctx.line[ws:we]
    s, e = ms[i].start - ws, ms[j - 1].end - ws
    cuts = _sk_cuts(word)
    for n, (start, tag) in enumerate(cuts):
        if s < start < e and tag.startswith(("J", "E", "VC")):
            # a reading only if the span ends in grammar: 내+가, 바다+가 (not 나무+가+지로, a
            # misparse of a word HanDic does not know)
            rest = [t for st, t in cuts[n:] if st < e]
            return all(t.startswith(("J", "E", "VC")) for t in rest)
    return False


@lru_cache(maxsize=4)
def _names_re(table: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))


def names(ctx) -> set[int]:  # noqa: ANN001
    """Indexes of morphemes inside a listed foreign name (whole words only)."""
    table = ctx.lex.names
    if not table or not _names_re(table).search(ctx.line):
        return set()
    out: set[int] = set()
    ms = ctx.morphs
    for w, (ws, we) in enumerate(ctx.words):
        word = ctx.line[ws:we]
        for k in range(len(word), 0, -1):
            if word[:k] in table:
                end = ws + k
                out.update(x for x, m in enumerate(ms) if m.word == w and m.start < end)
                break
    return out
