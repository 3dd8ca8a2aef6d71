"""Quotation marks: the North prints 《 》 (and 〈 〉 inside), the South “ ” (‘ ’).

Straight double quotes are converted only when they pair up within the line,
so a stray inch mark is never turned into a bracket.
"""

from __future__ import annotations

from meari.lang.rules.base import Context

_TO_NK = {"“": "《", "”": "》"}
_TO_SK = {"《": "“", "》": "”", "〈": "‘", "〉": "’"}


class QuotesToNK:
    id = "nk.quotes"
    explanation = "Print quotations in 《 》 as the North does."

    def apply(self, ctx: Context) -> None:
        if not any(q in ctx.line for q in ('"', "“", "”")):
            return
        straight = [i for i, m in enumerate(ctx.morphs) if m.jamo == '"']
        pair_ok = len(straight) % 2 == 0
        for i, m in enumerate(ctx.morphs):
            j = m.jamo
            if j in _TO_NK:
                ctx.replace(i, _TO_NK[j], self.id, f"{j} → {_TO_NK[j]}: North Korean quotation mark")
            elif j == '"' and pair_ok:
                new = "《" if straight.index(i) % 2 == 0 else "》"
                ctx.replace(i, new, self.id, f'" → {new}: North Korean quotation mark')


class QuotesToSK:
    id = "sk.quotes"
    explanation = "Print quotations in “ ” as the South does."

    def apply(self, ctx: Context) -> None:
        if not any(q in ctx.line for q in _TO_SK):
            return
        for i, m in enumerate(ctx.morphs):
            new = _TO_SK.get(m.jamo)
            if new:
                ctx.replace(i, new, self.id, f"{m.jamo} → {new}: South Korean quotation mark")
