"""Sai-siot (사이시옷): the North does not write it (나뭇잎 -> 나무잎, 바닷가 -> 바다가).

Whether a compound takes sai-siot is lexical, not phonological, so both
directions use word pairs NK-HanDic itself records (nk form = sk form minus one
ㅅ final), never a guess from the sound.
"""

from __future__ import annotations

from meari.lang.rules.base import Context
from meari.lang.rules.vocab import _apply_run, _match_nouns


class SaiSiotToNK:
    id = "nk.sai-siot"
    explanation = "Drop the sai-siot the South writes in compounds (나뭇잎 → 나무잎); pairs from NK-HanDic."

    def apply(self, ctx: Context) -> None:
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.sk2nk, lambda p: p.family == "sai-siot"):
            why = f"{surf} → {pair.target}: North Korean spelling has no sai-siot"
            _apply_run(ctx, i, j, pair.target, self.id, why)


class SaiSiotToSK:
    id = "sk.sai-siot"
    explanation = "Restore the South's sai-siot in compounds (나무잎 → 나뭇잎); pairs from NK-HanDic."

    def apply(self, ctx: Context) -> None:
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.nk2sk, lambda p: p.family == "sai-siot"):
            why = f"{surf} → {pair.target}: South Korean spelling writes sai-siot"
            _apply_run(ctx, i, j, pair.target, self.id, why)

