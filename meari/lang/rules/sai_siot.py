"""Sai-siot (사이시옷): the North does not write it (나뭇잎 -> 나무잎, 바닷가 -> 바다가).

Whether a compound takes sai-siot is lexical, not phonological, so both
directions use word pairs NK-HanDic itself records (nk form = sk form minus one
ㅅ final), never a guess from the sound.
"""

from __future__ import annotations

from meari.lang import hangul as H
from meari.lang.guard import south_reads_grammar, whole_run
from meari.lang.lexicon import gloss_pair
from meari.lang.rules.base import Context
from meari.lang.rules.vocab import _apply_run, _match_nouns, safe_run

_NOUN = frozenset({"NNG"})


def _without_siot(word: str) -> list[str]:
    """Forms of ``word`` with one non-final syllable's ㅅ final removed."""
    out = []
    for k in range(len(word) - 1):
        if H.is_syllable(word[k]) and H.final(word[k]) == "ㅅ":
            out.append(word[:k] + H.with_final(word[k], "") + word[k + 1:])
    return out


def _with_siot(word: str) -> list[str]:
    out = []
    for k in range(len(word) - 1):
        if H.is_syllable(word[k]) and H.final(word[k]) == "":
            out.append(word[:k] + H.with_final(word[k], "ㅅ") + word[k + 1:])
    return out


class SaiSiotToNK:
    id = "nk.sai-siot"
    explanation = "Drop the sai-siot the South writes in compounds (나뭇잎 → 나무잎); forms from NK-HanDic."

    def apply(self, ctx: Context) -> None:
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.sk2nk, lambda p: p.family == "sai-siot"):
            if not safe_run(ctx, i, j, pair, False):
                continue
            why = f"{surf} → {pair.target}: North Korean spelling has no sai-siot"
            _apply_run(ctx, i, j, pair.target, self.id, why)
        # Compounds without a glossed pair: the form without ㅅ must be a
        # North-specific NK-HanDic entry (고깃국 → 고기국).
        nk_only = ctx.lex.nk_only
        for i, m in enumerate(ctx.morphs):
            if m.tag not in _NOUN or _SIOT_FINAL not in m.jamo or i in ctx.replaced:
                continue
            cands = [c for c in _without_siot(m.surface) if c in nk_only]
            if len(cands) == 1 and whole_run(ctx, i, i + 1):
                _apply_run(ctx, i, i + 1, cands[0], self.id,
                           f"{m.surface} → {cands[0]}: North Korean spelling has no sai-siot (NK-HanDic form)")


class SaiSiotToSK:
    id = "sk.sai-siot"
    explanation = "Restore the South's sai-siot in compounds (나무잎 → 나뭇잎); forms from NK-HanDic and HanDic."

    def apply(self, ctx: Context) -> None:
        for i, j, surf, pair in _match_nouns(ctx, ctx.lex.nk2sk, lambda p: p.family == "sai-siot"):
            if not safe_run(ctx, i, j, pair, True):
                continue
            why = f"{surf} → {pair.target}: South Korean spelling writes sai-siot"
            _apply_run(ctx, i, j, pair.target, self.id, why)
        lex = ctx.lex
        for i, m in enumerate(ctx.morphs):
            if m.tag not in _NOUN or i in ctx.replaced or not m.nk_mark or len(m.surface) < 2:
                continue
            pair = gloss_pair(m.surface, m.nk_gloss, "sai-siot")
            if pair is not None:
                target, note = pair.target, pair.note
            else:
                # A North-specific form that is not a South word, and exactly one
                # ㅅ-insertion gives a HanDic word (고기국 → 고깃국).
                if m.surface in lex.sk_nouns:
                    continue
                cands = [c for c in _with_siot(m.surface) if c in lex.sk_nouns]
                if len(cands) != 1:
                    continue
                target, note = cands[0], "HanDic form"
            if not whole_run(ctx, i, i + 1) or south_reads_grammar(ctx, i, i + 1):
                continue  # 내가 is also 내+가 to the South's analyser: leave it
            _apply_run(ctx, i, i + 1, target, self.id,
                       f"{m.surface} → {target}: South Korean spelling writes sai-siot ({note})")


_SIOT_FINAL = "\u11ba"  # final ㅅ as a conjoining jamo: a C-speed pre-check on the morpheme
