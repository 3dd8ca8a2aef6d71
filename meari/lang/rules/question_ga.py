"""Question/intention endings: North -ㄹ가/-ㄹ고, South -ㄹ까/-ㄹ꼬 (할까 → 할가).

Applies only to ending morphemes whose lemma is one of these endings (ㄹ까,
ㄹ까요, 을까…), so 까 in other words (까마귀, 까지) is never touched.
"""

from __future__ import annotations

from meari.lang import hangul as H
from meari.lang.rules.base import Context

ENDING_TAGS = frozenset({"EF", "EC"})
_L = "\u11af"  # final ㄹ
_KK, _G = "\u1101", "\u1100"  # initial ㄲ, ㄱ


def _show(jamo: str) -> str:
    """Readable form of an ending (a leading final ᆯ is shown as ㄹ)."""
    return H.from_jamo(jamo).replace(_L, "ㄹ")


class QuestionGaToNK:
    id = "nk.question-ga"
    explanation = "Write the endings -ㄹ가/-ㄹ고 where the South writes -ㄹ까/-ㄹ꼬 (할까 → 할가)."

    def apply(self, ctx: Context) -> None:
        if "까" not in ctx.line and "꼬" not in ctx.line:
            return
        for i, m in enumerate(ctx.morphs):
            if m.tag not in ENDING_TAGS or i in ctx.replaced:
                continue
            lem = m.lemma
            if lem.startswith(("ㄹ까", "ㄹ꼬", "을까", "을꼬")) and (_L + _KK) in m.jamo:
                new = m.jamo.replace(_L + _KK, _L + _G, 1)
                ctx.replace(i, new, self.id, f"-{_show(m.jamo)} → -{_show(new)}: North Korean ending")


class QuestionKkaToSK:
    id = "sk.question-kka"
    explanation = "Write the endings -ㄹ까/-ㄹ꼬 where the North writes -ㄹ가/-ㄹ고 (할가 → 할까)."

    def apply(self, ctx: Context) -> None:
        if "가" not in ctx.line and "고" not in ctx.line:
            return
        for i, m in enumerate(ctx.morphs):
            if m.tag not in ENDING_TAGS or i in ctx.replaced:
                continue
            lem = m.lemma
            if lem.startswith(("ㄹ가", "ㄹ고", "을가", "을고")) and (_L + _G) in m.jamo:
                if lem.startswith(("ㄹ고", "을고")) and not m.nk_mark:
                    continue  # -ㄹ고 is also an ordinary ending in both standards
                new = m.jamo.replace(_L + _G, _L + _KK, 1)
                ctx.replace(i, new, self.id, f"-{_show(m.jamo)} → -{_show(new)}: South Korean ending")
