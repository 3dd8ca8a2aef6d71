"""-어/-었 after stems in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ is written -여/-였 in the North.

(되었다 → 되였다, 개었다 → 개였다, 쉬어 → 쉬여; copula 이었다 → 이였다.) Contracted
돼/됐 are left alone: the North writes them too. HanDic gives the
fused 語基3 form (되어) as one morpheme, so the rule looks at that form and at
the stem from the lemma (짓다 → 지어 has stem 짓, which ends in ㅅ: no change).
"""

from __future__ import annotations

from meari.lang import hangul as H
from meari.lang.rules.base import Context

VERBISH = frozenset({"VV", "VA", "VX", "XSV", "XSA", "VCP", "VCN", "EP"})  # EP: honorific 시어 -> 시여
STEM_VOWELS = frozenset("ㅣㅐㅔㅚㅟㅢ")


def _stem(lemma: str) -> str:
    stem = lemma.rstrip("0123456789")
    return stem[:-1] if stem.endswith("다") else stem


def _stem_ok(lemma: str, surface: str) -> bool:
    """The stem ends in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ and stands intact before the ending syllable.

    ``surface[:-1] == stem`` separates 되어/되여 (stem 되 + 어) from the
    contraction 먹여 (stem 먹이 + 어 -> 여), which both standards write alike.
    """
    stem = _stem(lemma)
    if not stem or surface[:-1] != stem:
        return False
    last = stem[-1]
    return H.is_syllable(last) and H.final(last) == "" and H.vowel(last) in STEM_VOWELS


class _VowelRule:
    """Shared body: compound verbs from the lexicon table, then the fused 語基3 form.

    Subclasses set the table, the syllable written and the one replaced.
    """

    id = ""
    table = ""  # Lexicon attribute: lemma -> index of the syllable to swap
    old, new = "어", "여"
    why = ""

    def _extra(self, ctx: Context, i: int, m) -> None:  # noqa: ANN001, B027 - hook for 돼 -> 되여
        """Nothing by default."""

    def apply(self, ctx: Context) -> None:
        inner = getattr(ctx.lex, self.table)
        old_j, new_j = H.to_jamo(self.old), H.to_jamo(self.new)
        for i, m in enumerate(ctx.morphs):
            if m.tag not in VERBISH or i in ctx.replaced:
                continue
            k = inner.get(m.lemma_plain) if m.tag in ("VV", "VA") else None
            if k is not None and m.surface[: k + 1] == m.lemma_plain[: k + 1]:
                new = m.surface[:k] + self.new + m.surface[k + 1:]
                ctx.replace(i, H.to_jamo(new), self.id, f"{m.surface} → {new}: {self.why} (NK-HanDic spelling)")
                continue
            if m.base != "語基3":
                continue
            j = m.jamo
            if j.endswith(old_j) and len(j) > 2 and _stem_ok(m.lemma, m.surface):
                new = H.from_jamo(j[:-2] + new_j)
                ctx.replace(i, j[:-2] + new_j, self.id, f"{m.surface} → {new}: {self.why}")
            else:
                self._extra(ctx, i, m)


class VowelYeoToNK(_VowelRule):
    id = "nk.vowel-yeo"
    explanation = "Write -여/-였 after stems ending in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ (되었다 → 되였다, 돼 → 되여)."
    table = "verb_yeo_sk2nk"
    old, new = "어", "여"
    why = "-여 after a stem in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ"

    # 돼/됐 are left as written: the North's spelling rules (조선말규범집 2010, 맞춤법 제11항,
    # 준말) allow the contracted forms and North Korean print uses them (돼요, 됐다), so
    # expanding them to 되여/되였 is a change, not a correction.


class VowelEoToSK(_VowelRule):
    id = "sk.vowel-eo"
    explanation = "Write -어/-었 after stems ending in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ (되였다 → 되었다)."
    table = "verb_yeo_nk2sk"
    old, new = "여", "어"
    why = "South Korean spelling writes -어 here"

    def _extra(self, ctx: Context, i: int, m) -> None:  # noqa: ANN001
        # North Korean verbs in -이다 whose South Korean form has no 이 (개이다/개다,
        # 피이다/피다): their fused 개여 is written 개어 in the South. Only for an NK-HanDic
        # North-specific entry or a verb HanDic lacks: 보이다/보다 are two South verbs (보여 stays).
        lem = m.lemma_plain
        if m.base != "語基3" or m.tag != "VV" or len(lem) < 3 or not lem.endswith("이다"):
            return
        stem = lem[:-2]
        verbs = ctx.lex.sk_verbs
        if m.surface == stem + "여" and stem + "다" in verbs and (m.nk_mark or lem not in verbs):
            ctx.replace(i, H.to_jamo(stem + "어"), self.id,
                        f"{m.surface} → {stem}어: the South writes {stem}다 (North {lem}) and -어 after it")
