"""Initial-sound law (두음 법칙): applied in the South, not in the North.

North: Sino-Korean words keep their original initial ㄹ/ㄴ (로동, 리익, 녀성,
력사, 량) and 렬/률 after vowels (비률, 분렬). South: word-initial ㄹ/ㄴ before
ㅣ ㅑ ㅕ ㅛ ㅠ ㅖ become ㅇ, word-initial ㄹ becomes ㄴ, and 렬/률 after a vowel or
ㄴ become 열/율.

The hanja decide, never the sound: a syllable changes only when HanDic gives
the morpheme's hanja and that hanja is read with the original initial
elsewhere in the dictionaries (``Lexicon.readings``). Native words and
loanwords carry no hanja and are never touched. Proper nouns (surnames 이/리,
place names) are left alone: the North writes 리, but a name's spelling is
the bearer's, and context rarely decides.
"""

from __future__ import annotations

import re

from meari.lang import hangul as H
from meari.lang.guard import whole_run
from meari.lang.hangul import to_jamo
from meari.lang.lexicon import apply_initial_law, gloss_pair, original_candidates, original_reading
from meari.lang.rules.base import Context

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SKIP_TAGS = frozenset({"NNP", "NNB", "SN", "SL", "SH", "SW", "SF", "SP", "SS", "SE", "SO", "NF", "NV", "NA"})
# Word-initial syllables the South's law may have produced (ㅇ+ㅣㅑㅕㅛㅠㅖ, ㄴ+other vowels).
_LAWFUL = frozenset(
    chr(c) for c in range(0xAC00, 0xD7A4)
    if (H.initial(chr(c)) == "ㅇ" and H.vowel(chr(c)) in "ㅣㅑㅕㅛㅠㅖ")
    or (H.initial(chr(c)) == "ㄴ" and H.vowel(chr(c)) not in "ㅣㅑㅕㅛㅠㅖ")
)
_JAMO_R, _JAMO_N = "\u1105", "\u1102"  # initial ㄹ, ㄴ as conjoining jamo
TO_SK_TAGS = frozenset({"NNG", "NNP", "MAG", "XR"})
PUNCT = frozenset({"SF", "SP", "SS", "SE", "SO", "SW"})
_YUL = {"열": "렬", "율": "률"}
_YUL_BACK = {"렬": "열", "률": "율"}


def _hanja(m) -> str:  # noqa: ANN001
    import unicodedata

    return unicodedata.normalize("NFC", m.hanja) if m.hanja not in ("*", "") else ""


class InitialSoundToNK:
    id = "nk.initial-sound"
    explanation = "Keep the original initial ㄹ/ㄴ of Sino-Korean words (노동 → 로동, 여성 → 녀성), by hanja."

    def apply(self, ctx: Context) -> None:
        readings = ctx.lex.readings
        nk_hanja = ctx.lex.nk_hanja
        for i, m in enumerate(ctx.morphs):
            if m.hanja in ("", "*") or m.tag in SKIP_TAGS or i in ctx.replaced or i in ctx.protected:
                continue
            surf = m.surface
            if len(surf) < 2:
                continue  # 양 (量 or 羊?), 이 (利 or 李?): the analyser cannot tell one syllable apart
            lawful = surf[0] in _LAWFUL  # cheap filter first: most hanja words start otherwise
            yul = "열" in surf[1:] or "율" in surf[1:]
            if not (lawful or yul):
                continue
            hj = _hanja(m)
            if not hj or not _CJK.match(hj[0]) or surf in ctx.lex.proper or not whole_run(ctx, i, i + 1):
                continue
            hj = _compound_hanja(ctx, i, hj)
            if hj is None:
                continue  # the compound the morpheme belongs to has hanja that disagree: leave it
            new = surf
            notes = []
            # 1. word-initial syllable
            orig = original_reading(surf[0], hj[0], readings) if lawful else None
            if lawful and not orig:
                # a weakly attested reading, confirmed by NK-HanDic listing the word with these hanja (락타 駱駝)
                counts = readings.get(hj[0], {})
                for c in original_candidates(surf[0]):
                    # and the reading is not a stray one (琉 류 4 of 52: 유리창 stays; 駱 락 2 of 14)
                    if (hj in nk_hanja.get(c + surf[1:], ()) and c + surf[1:] in ctx.lex.nk_only
                            and counts.get(c, 0) >= 0.15 * counts.get(surf[0], 0)):
                        orig = c
                        break
            if orig:
                new = orig + surf[1:]
                notes.append(f"{hj[0]} is read {orig}")
            # 2. 열/율 inside the word after a vowel or ㄴ (비율 → 비률)
            if yul and len(hj) == len(surf):
                chars = list(new)
                for k in range(1, len(surf)):
                    orig = _YUL.get(surf[k])
                    if orig and _CJK.match(hj[k]) and orig in readings.get(hj[k], ()):
                        if H.final(surf[k - 1]) in ("", "ㄴ"):
                            chars[k] = orig
                            notes.append(f"{hj[k]} is read {orig}")
                new = "".join(chars)
            if new == surf:
                continue
            confirmed = new in nk_hanja and hj in nk_hanja[new]
            why = (f"{surf}({hj}) → {new}: the North keeps the original reading ({'; '.join(notes)})"
                   + ("; NK-HanDic lists it" if confirmed else ""))
            ctx.replace(i, to_jamo(new), self.id, why)


def _compound_hanja(ctx: Context, i: int, hj: str) -> str | None:
    """The hanja of morpheme ``i`` as the longest HanDic noun it starts decides them.

    연대순 is one HanDic noun, 年代順, although the analyser cut it 연대(連帶)+순: the
    compound is the reading in context, so 연대 here is 年代 (→ 년대, not 련대). None when
    the compound's dictionary hanja disagree with one another about this morpheme.
    """
    ms = ctx.morphs
    table = ctx.lex.sk_noun_hanja
    surf = ms[i].surface
    best = hj
    acc = surf
    for k in range(i + 1, min(len(ms), i + 3)):
        if ms[k].word != ms[i].word or not ms[k].tag.startswith("NN"):
            break
        acc += ms[k].surface
        cands = table.get(acc)
        if not cands:  # NK-HanDic may list the compound in its North form (년대순 年代順)
            forms = [c + acc[1:] for c in original_candidates(acc[0])] + [acc]
            cands = {h for f in forms for h in ctx.lex.nk_hanja.get(f, ())} or None
        if cands:
            heads = {c[: len(surf)] for c in cands if len(c) == len(acc)}
            if len(heads) != 1:
                return None
            best = next(iter(heads))
    return best


def _compound_law(word: str, sk_nouns: frozenset[str]) -> str | None:
    """조선로동당 → 조선노동당: the law on the second element of a compound, when
    both elements (the second after the law) are South Korean dictionary nouns."""
    found = None
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        new_tail = apply_initial_law(tail[0]) + tail[1:]
        if new_tail != tail and head in sk_nouns and new_tail in sk_nouns:
            if found:
                return None  # two readings: leave it
            found = head + new_tail
    return found


class InitialSoundToSK:
    id = "sk.initial-sound"
    explanation = "Apply the South's initial-sound law to Sino-Korean words (로동 → 노동, 녀성 → 여성, 비률 → 비율)."

    def apply(self, ctx: Context) -> None:
        lex = ctx.lex
        ms = ctx.morphs
        for i, m in enumerate(ms):
            if i in ctx.replaced or m.tag not in TO_SK_TAGS:
                continue
            if _JAMO_R not in m.jamo and _JAMO_N not in m.jamo:
                continue  # no initial ㄹ/ㄴ anywhere: nothing the law could change (C-speed check)
            surf = m.surface
            if not surf or not H.is_syllable(surf[0]):
                continue
            pair = lex.nk2sk.get(surf) if len(surf) > 1 else None
            if pair is None and m.nk_mark:
                pair = gloss_pair(surf, m.nk_gloss, "initial-sound")
            if len(surf) < 2 and pair is None:
                continue  # one syllable without a gloss: 리 is a surname or 里; leave it
            if i in ctx.protected or not whole_run(ctx, i, i + 1, curated=pair is not None and pair.curated):
                continue  # a piece of a longer word or name (엘+리자)
            if pair is not None and pair.family == "initial-sound":
                ctx.replace(i, to_jamo(pair.target), self.id,
                            f"{surf} → {pair.target}: initial-sound law ({pair.note})")
                continue
            hj = _hanja(m)
            if not hj or not _CJK.match(hj[0]):
                continue
            if m.nk_mark and len(surf) >= 4:
                split = _compound_law(surf, lex.sk_nouns)
                if split:
                    ctx.replace(i, to_jamo(split), self.id,
                                f"{surf}({hj}) → {split}: South Korean initial-sound law on a compound's element")
                    continue
            new = surf
            # The law applies at the start of a word and of a compound's element
            # (평양랭면 → 평양냉면, 조선로동당 → 조선노동당), not after a suffix.
            if ctx.is_word_start(i) or ms[i - 1].tag in PUNCT or ms[i - 1].tag in ("NNG", "NNP"):
                new = apply_initial_law(surf[0]) + surf[1:]
            if len(hj) == len(surf):
                chars = list(new)
                for k in range(1, len(surf)):
                    back = _YUL_BACK.get(surf[k])
                    if back and H.final(surf[k - 1]) in ("", "ㄴ"):
                        chars[k] = back
                new = "".join(chars)
            if new == surf:
                continue
            # Only when the South Korean dictionary knows the result as a word
            # (proper nouns: the North's 로동신문 is the South's 노동신문 too).
            if m.tag.startswith("NN") and new not in lex.sk_nouns and m.tag != "NNP":
                continue
            ctx.replace(i, to_jamo(new), self.id, f"{surf}({hj}) → {new}: South Korean initial-sound law")
