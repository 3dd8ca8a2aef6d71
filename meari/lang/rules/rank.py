"""Military ranks (``nk.rank`` / ``sk.rank``), by NATO grade from ``meari/data/ranks.yaml``.

A rank word is rewritten only when :func:`meari.lang.ranks.mapping` says the grade
maps one to one and the word is not already a title of the other army (대령 stays:
the KPA has 상좌 and 대좌 at that grade; 소장 stays: it is the KPA's own one-star
title). The hanja decide the homograph (소장 少將, not 所長). Words left alone are
shown with every reading by the review check ``nk.rank``.
"""

from __future__ import annotations

import unicodedata

from meari.lang import ranks
from meari.lang.guard import whole_run
from meari.lang.rules.base import Context
from meari.lang.rules.vocab import _apply_run

NOUNS = frozenset({"NNG", "NNP", "NNB"})


def rank_spans(ctx: Context, direction: str) -> list[tuple[int, int, str, ranks.Mapping]]:
    """Runs of noun morphemes (one word) that spell a rank of the source side with its hanja."""
    key = ("ranks", direction)
    if key in ctx.cache:
        return ctx.cache[key]
    if not ranks.pattern(direction).search(ctx.line):
        ctx.cache[key] = []
        return []
    table = ranks.all_words(direction)
    ms = ctx.morphs
    out = []
    i = 0
    while i < len(ms):
        if ms[i].tag not in NOUNS:
            i += 1
            continue
        best = None
        surf, hj = "", ""
        for k in range(i, min(len(ms), i + 3)):
            if ms[k].word != ms[i].word or ms[k].tag not in NOUNS:
                break
            surf += ms[k].surface
            h = ms[k].hanja
            hj += unicodedata.normalize("NFC", h) if h not in ("", "*") else "?" * len(ms[k].surface)
            m = table.get(surf)
            if m is not None and (m.source.hanja == "" or "?" in hj or hj == m.source.hanja):
                best = (i, k + 1, surf, m)
        if best:
            out.append(best)
            i = best[1]
        else:
            i += 1
    ctx.cache[key] = out
    return out


class _RankRule:
    id = ""
    explanation = ""
    direction = ""

    def apply(self, ctx: Context) -> None:
        for i, j, surf, m in rank_spans(ctx, self.direction):
            if m.target is None or not whole_run(ctx, i, j, curated=True):
                continue
            _apply_run(ctx, i, j, m.target.ko, self.id, f"{surf} → {m.target.ko}: {m.why}")
        # claim the ambiguous ones too, so no later rule (initial sound, vocab) rewrites a rank word
        for i, j, _surf, m in rank_spans(ctx, self.direction):
            if m.target is None:
                for k in range(i, j):
                    ctx.protected.add(k)


class RankToNK(_RankRule):
    id = "nk.rank"
    explanation = "ROK rank → KPA rank of the same NATO grade, only where one to one (소령 → 소좌, 병장 → 상급병사)."
    direction = "sk2nk"


class RankToSK(_RankRule):
    id = "sk.rank"
    explanation = "KPA rank → ROK rank of the same NATO grade, only where one to one (소좌 → 소령, 상좌 → 대령)."
    direction = "nk2sk"
