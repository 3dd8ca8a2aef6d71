"""Word spacing: the North writes dependent nouns and auxiliary verbs together.

North (조선말 띄여쓰기 규범): 할수 있다, 하는것, 갈데, 가고있다, 먹어보다,
도와주다. South (한글 맞춤법 제42, 47항): 할 수 있다, 하는 것, 가고 있다;
auxiliaries may be joined in the South but the principle is to space them, so
nk2sk spaces them.

Deliberately narrow: a dependent noun (NNB) only right after an adnominal
ending (ETM), and only the auxiliaries listed below after the connective they
take. Negative auxiliaries after -지 (않다, 못하다, 말다) and -야 하다 are left
as written: their North Korean spacing is not uniform in print.
"""

from __future__ import annotations

from meari.lang.hangul import from_jamo, to_jamo
from meari.lang.rules.base import Context

# auxiliary lemma (without homograph number) -> connective endings it follows;
# "語基3" means the fused -아/-어 form HanDic gives as one morpheme (도와, 먹어).
# (-어지다 is written together in both standards, so 지다 is not here.)
AUX = {
    "있다": {"고", "語基3", "아", "어"},
    "싶다": {"고"},
    "계시다": {"고"},
    "보다": {"語基3", "아", "어"},
    "주다": {"語基3", "아", "어"},
    "드리다": {"語基3", "아", "어"},
    "버리다": {"語基3", "아", "어"},
    "두다": {"語基3", "아", "어"},
    "놓다": {"語基3", "아", "어"},
    "내다": {"語基3", "아", "어"},
    "가다": {"語基3", "아", "어"},
    "오다": {"語基3", "아", "어"},
    "말다": {"고"},  # -고 말다 (죽고말았다): 띄여쓰기규정 보조적으로 쓰인 용언은 붙여 쓴다
}
# -ㄹ가/-ㄹ까 봐 (처형될가봐): the auxiliary 보다 after the question ending
_AUX_AFTER_EF = {"보다": tuple(to_jamo(x) for x in ("\u11af까", "\u11af가", "을까", "을가"))}
# Splitting (North -> South) must not break single South Korean words that
# NK-HanDic analyses as verb + auxiliary (가져오다, 돌아가다, 알아내다): a pair is
# split only when the joined lemma is not a HanDic verb.
SPLIT_AUX = {k: v for k, v in AUX.items() if k not in ("내다", "가다", "오다")}  # 이겨내다, 기어들어가다: one word
# Dependent nouns split only in a safe context: 데 before a particle (갈 데가,
# not the ending -는데) or before 대하여 (강화할 데 대하여); 지 before a number or a
# length of time (떠난 지 1년).
_NEEDS_PARTICLE = {"데"}
_TIME_AFTER_JI = {"오래", "며칠", "몇", "한참", "얼마"}
_CHOSEONG = range(0x1100, 0x1113)


def _aux_follows(prev, aux, table: dict = AUX) -> bool:  # noqa: ANN001
    lem = aux.lemma.rstrip("0123456789")
    if prev.tag in ("EF", "EC") and prev.jamo in _AUX_AFTER_EF.get(lem, ()):
        return True
    ok = table.get(lem)
    if not ok:
        return False
    if prev.tag == "EC":
        return prev.lemma.rstrip("0123456789") in ok
    # a fused -아/-어 form must show its ending: 재미나 (= 재미나다's stem) may be 재미+나 (noun + particle)
    if (prev.base == "語基3" and prev.surface == prev.lemma_plain[:-1] and len(prev.surface) >= 2
            and prev.surface[-1] in "나가와야도"):
        return False
    return prev.base == "語基3" and prev.tag in ("VV", "VA", "XSV", "XSA") and "語基3" in ok


def _joined_lemma(ctx: Context, p: int, aux) -> str:  # noqa: ANN001
    """가져 + 오다 -> 가져오다: the compound a South Korean dictionary would list
    (using the converted form when an earlier rule rewrote the verb: 기여 -> 기어)."""
    prev = ctx.replaced[p][0] if p in ctx.replaced else ctx.morphs[p].jamo
    return from_jamo(prev) + aux.lemma_plain


def _time_follows(ms, i: int) -> bool:  # noqa: ANN001
    nxt = i + 1
    while nxt < len(ms) and ms[nxt].word == ms[i].word:
        nxt += 1
    return nxt < len(ms) and (ms[nxt].tag == "SN" or ms[nxt].lemma_plain in _TIME_AFTER_JI)


# Dependent nouns joined South->North. Those that are also full nouns (수 number,
# 줄 rope, 적 enemy, 바람 wind) only in the construction that makes them
# dependent: lemma -> the lemma that must follow ("" = none needed).
_JOIN_NNB = {
    "것": "", "거": "", "게": "", "데": "", "바": "", "뿐": "", "듯": "", "만큼": "", "대로": "",
    "채": "", "척": "", "체": "", "리": "", "터": "", "김": "", "둥": "", "지": "", "분": "",
    "수": "있다|없다", "줄": "알다|모르다", "적": "있다|없다", "바람": "에",
    "자": "", "듯이": "", "식": "", "중": "",
}

# 조선말규범집 (2010) 띄여쓰기규정: 단위명사는 앞의 수사나 수 관형사에 붙여 쓴다 (한명, 세시간);
# 불완전명사 (때문, 중, 자, 듯이, 식) and 명사 뒤의 후, 중, 씨 are written onto the word before.
UNITS = frozenset({"명", "개", "시간", "번", "살", "달", "가지", "대", "발", "척", "마리", "벌", "자루", "병", "잔",
                   "그릇", "분", "초", "주일", "주", "시", "년", "일", "개월", "차례", "사람", "장", "통", "권", "채",
                   "킬로메터", "킬로미터", "메터", "미터", "톤", "리", "걸음", "끼", "알", "쪽"})
# native numerals (열아홉 살); Sino-Korean ones in letters (사 개) are rare and often part of a word (사개)
NATIVE_NR = frozenset({"하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "스물", "서른", "마흔",
                       "쉰", "예순", "일흔", "여든", "아흔"})
NUMERAL_MM = frozenset({"한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "스무", "몇", "서", "너",
                        "석", "넉", "수십", "수백", "여러"})
_AFTER_NOUN = {"때문": "NNB", "중": "NNB", "후": "NNG", "씨": "NNB", "양": "NNB", "쪽": "NNB"}
_NOUNISH = frozenset({"NNG", "NNP", "NP", "NNB", "XSN", "NR"})
_SIK_MM = frozenset({"이런", "그런", "저런", "어떤", "이", "그", "저"})  # 이런식으로
# verbs of the manner of moving that make one word with the verb of motion (걸어나오다), unlike
# 따라 내려오다 (follow ... down), which stays two words
MANNER = frozenset({"걸어", "뛰어", "뛰여", "기어", "기여", "달려", "날아", "헤엄쳐", "굴러"})  # surfaces
# 合成動詞: -어 + a verb of motion is one North Korean word (걸어나오다, 뛰여가다)
MOTION = frozenset({"나오다", "나가다", "들어가다", "들어오다", "내려가다", "내려오다", "올라가다", "올라오다",
                    "돌아가다", "돌아오다", "건너가다", "건너오다", "다가가다", "다가오다", "넘어가다", "넘어오다"})


def _dependent_in_context(ms, i: int) -> bool:  # noqa: ANN001
    """Is morpheme ``i`` (tagged NNB) really a dependent noun here?"""
    need = _JOIN_NNB.get(ms[i].lemma_plain)
    if need is None:
        return False
    if not need:
        return True
    wanted = set(need.split("|"))
    k = i + 1
    while k < len(ms) and ms[k].word == ms[i].word:  # particles inside the word: 수도, 바람에
        if ms[k].lemma_plain in wanted:
            return True
        k += 1
    if k >= len(ms):
        return False
    nxt = ms[k]  # next word: 할 수 있다, 할 줄 안다 (HanDic sometimes reads 안다 as a name)
    if nxt.lemma_plain in wanted:
        return True
    return ms[i].lemma_plain == "줄" and nxt.surface.startswith(("안", "알", "모르", "몰"))


class SpacingToNK:
    id = "nk.spacing"
    explanation = "Write dependent nouns and auxiliary verbs together with the word before (할 수 → 할수)."

    def apply(self, ctx: Context) -> None:
        ms = ctx.morphs
        for w, f in enumerate(ctx.first_of_word()):
            if w == 0 or f <= 0:
                continue
            m, prev = ms[f], ms[f - 1]
            if prev.word != w - 1:
                continue
            if (m.tag == "NNB" and (prev.tag == "ETM" or (prev.tag == "MM" and m.lemma_plain == "것"))
                    and _dependent_in_context(ms, f)):
                ctx.join(w, self.id, f"dependent noun {m.surface} is written together with the word before")
            elif m.tag == "VX" and _aux_follows(prev, m):
                ctx.join(w, self.id, f"auxiliary verb {m.lemma.rstrip('0123456789')} is written together")
            elif _unit_after_number(ms, f, prev):
                ctx.join(w, self.id, f"the unit noun {m.surface} is written onto the number before (한명, 세시간)")
            elif m.lemma_plain == "식" and m.tag == "NNB" and prev.tag == "MM" and prev.surface in _SIK_MM:
                ctx.join(w, self.id, "식 is written onto the word before (이런식으로)")
            elif (_AFTER_NOUN.get(m.lemma_plain) == m.tag[:3] and prev.tag in _NOUNISH and _whole(ms, f)
                  and (m.lemma_plain not in ("씨", "양") or prev.tag == "NNP")):
                ctx.join(w, self.id, f"{m.surface} is written onto the noun before (그것때문에, 전투중에, 김철수씨)")
            elif (m.tag == "VV" and m.lemma_plain in MOTION and prev.base == "語基3" and prev.tag == "VV"
                  and prev.surface in MANNER):
                ctx.join(w, self.id, f"compound verb: {prev.surface} + {m.lemma_plain} is one word (걸어나오다)")
            elif (m.tag == "NNG" and m.lemma in _PLACE_LEMMAS and prev.tag in _NOUN_BEFORE
                  and (f + 1 >= len(ms) or ms[f + 1].word != w or ms[f + 1].tag.startswith("J"))):
                ctx.join(w, self.id, f"the place noun {m.surface} is written together with the noun before")
                if m.lemma == "위01":
                    ctx.replace(f, to_jamo("우"), "nk.vocab", "위 → 우: the North writes 우 for 'above'")


def _whole(ms, i: int) -> bool:  # noqa: ANN001
    """Morpheme ``i`` ends its word or is followed by grammar only (not 지+파 for 지파), or by 후/중/전."""
    return i + 1 >= len(ms) or ms[i + 1].word != ms[i].word or ms[i + 1].tag.startswith(
        ("J", "E", "VC", "S", "XS")) or ms[i + 1].surface in ("후", "중", "전", "동안")


def _one_sk_word(word: str) -> bool:
    """HanDic reads ``word`` as one morpheme (한번 'once' is one South Korean word)."""
    from meari.lang.guard import _sk_cuts

    return len(_sk_cuts(word)) == 1 or word in _ONE_WORD_SK

# HanDic dictionary words the analyser still cuts (한번 'once', 한때, 한참)
_ONE_WORD_SK = frozenset({"한번", "한때", "한참", "한동안", "한마디", "한쪽", "한편"})


def _number_before(ms, i: int) -> bool:  # noqa: ANN001
    p = ms[i - 1]
    return (p.tag == "MM" and p.surface in NUMERAL_MM) or (p.tag == "NR" and p.surface in NATIVE_NR)


def _compound_numeral(ms, i: int) -> bool:  # noqa: ANN001
    """스물+세+명: the numeral before the unit is itself a compound (no dictionary word to keep)."""
    return i >= 2 and ms[i - 2].word == ms[i].word and ms[i - 2].tag == "NR"


def _unit_after_number(ms, f: int, prev) -> bool:  # noqa: ANN001
    m = ms[f]
    if m.surface not in UNITS or not m.tag.startswith("NN") or not _whole(ms, f):
        return False
    return (prev.tag == "MM" and prev.surface in NUMERAL_MM) or (prev.tag == "NR" and prev.surface in NATIVE_NR)


# Nouns of place the North writes onto the noun before (대기속, 책상우, 평양시안);
# the South spaces them unless the whole is a dictionary word (마음속, 물속, 문밖).
_PLACE_NOUNS = frozenset({"안", "속", "밖", "위", "우", "앞", "뒤", "밑", "옆", "아래", "곁", "가운데", "사이"})
_NOUN_BEFORE = frozenset({"NNG", "NNP", "XSN"})
# South->North: HanDic's homograph numbers pick the place sense (위01 'above', not 위 stomach).
# Only 안, 속, 밖, 위 (우): North Korean print spaces 아래, 옆, 앞, 뒤, 밑 after a noun
# often enough (나무잎 아래에, 차길 옆에) that joining them is a change, not a correction.
_PLACE_LEMMAS = frozenset({"안01", "속01", "밖", "밖01", "위01"})


_SPLIT_TAGS = frozenset({"NNB", "NNG", "VV", "VX"})
_NUM_FIRST = frozenset(w[0] for w in NUMERAL_MM)


def _split_number_noun(ctx: Context, f: int, rule: str) -> None:
    """세명 read by NK-HanDic as one noun: when HanDic reads it as numeral + unit (세+명), space it."""
    from meari.lang.guard import _sk_cuts

    m = ctx.morphs[f]
    for k in range(1, len(m.surface)):
        head, tail = m.surface[:k], m.surface[k:]
        if head in NUMERAL_MM and tail in UNITS and m.hanja in ("", "*"):
            cuts = _sk_cuts(m.surface)
            if len(cuts) == 2 and cuts[0] == (0, "MM") and cuts[1][0] == k and cuts[1][1].startswith("NN"):
                ctx.char_splits[m.start + k] = (rule, f"the unit noun {tail} is spaced from the number ({head} {tail})")
            return
_NNG_SPLIT = UNITS | _PLACE_NOUNS | {"후"}


class SpacingToSK:
    id = "sk.spacing"
    explanation = "Space dependent nouns and auxiliary verbs from the word before (할수 → 할 수)."

    def apply(self, ctx: Context) -> None:
        ms = ctx.morphs
        for f in ctx.first_of_word():
            if f >= 0 and ms[f].tag == "NNG" and ms[f].surface[:1] in _NUM_FIRST:
                _split_number_noun(ctx, f, self.id)
        for i in range(1, len(ms)):
            m, prev = ms[i], ms[i - 1]
            if m.word != prev.word:
                if (m.surface == "우" and m.nk_mark and m.tag == "NNG" and prev.tag in _NOUN_BEFORE
                        and i + 1 < len(ms) and ms[i + 1].word == m.word and ms[i + 1].tag.startswith("J")):
                    ctx.replace(i, to_jamo("위"), "sk.vocab", "우 → 위: NK-HanDic: ‘위’의 북한어 (place noun)")
                continue
            if not m.jamo or ord(m.jamo[0]) not in _CHOSEONG:
                continue
            tag = m.tag  # cheap pre-filter: only these morphemes can start a split
            if tag not in _SPLIT_TAGS or (tag == "NNG" and m.surface not in _NNG_SPLIT) or (
                    tag == "VV" and m.lemma_plain not in MOTION):
                continue
            if m.tag == "NNB" and (prev.tag == "ETM" or (prev.tag == "MM" and m.lemma_plain == "것")):
                lem = m.lemma_plain
                if lem == "지" and not _time_follows(ms, i):
                    continue
                if lem in _NEEDS_PARTICLE and not (
                    i + 1 < len(ms) and (
                        (ms[i + 1].word == m.word and ms[i + 1].tag.startswith("J"))
                        or (ms[i + 1].word != m.word and ms[i + 1].lemma_plain == "대하다")  # -ㄹ데 대하여
                    )
                ):
                    continue
                ctx.split(i, self.id, f"dependent noun {m.surface} is spaced from the word before")
            elif m.tag.startswith("NN") and m.surface in UNITS and _number_before(ms, i) and _whole(ms, i) and (
                    _compound_numeral(ms, i) or not _one_sk_word(prev.surface + m.surface)):
                ctx.split(i, self.id, f"the unit noun {m.surface} is spaced from the number (한 명)")
            elif m.lemma_plain == "식" and m.tag == "NNB" and prev.tag == "MM" and prev.surface in _SIK_MM:
                ctx.split(i, self.id, "식 is spaced from the word before (이런 식으로)")
            elif (_AFTER_NOUN.get(m.lemma_plain) == m.tag[:3] and prev.tag in _NOUNISH and _whole(ms, i)
                  and (m.lemma_plain not in ("씨", "양") or (prev.tag == "NNP" and len(prev.surface) >= 2))
                  and ctx.line[ctx.words[m.word][0]:m.end] not in ctx.lex.sk_nouns
                  and prev.surface + m.surface not in ctx.lex.sk_nouns):
                ctx.split(i, self.id, f"{m.surface} is spaced from the word before (그것 때문에, 전투 중에)")
            elif (m.tag == "VV" and m.lemma_plain in MOTION and prev.base == "語基3" and prev.tag == "VV"
                  and _joined_lemma(ctx, i - 1, m) not in ctx.lex.sk_verbs):
                ctx.split(i, self.id, f"{prev.surface} {m.lemma_plain}: two words in the South's dictionary")
            elif (m.tag == "VX" and _aux_follows(prev, m, SPLIT_AUX)
                  and _joined_lemma(ctx, i - 1, m) not in ctx.lex.sk_verbs):
                ctx.split(i, self.id, f"auxiliary verb {m.lemma.rstrip('0123456789')} is spaced")
            elif m.tag == "NNG" and m.surface in _PLACE_NOUNS and prev.tag in _NOUN_BEFORE:
                head = ctx.line[ctx.words[m.word][0]:m.start]
                if m.surface == "우" and m.nk_mark and i not in ctx.replaced:
                    # the place noun 우 'above' (NK-HanDic: ‘위’의 북한어) in its construction; 우 alone
                    # is also a South Korean word (右), so the vocabulary rule leaves it
                    ctx.replace(i, to_jamo("위"), "sk.vocab", "우 → 위: NK-HanDic: ‘위’의 북한어 (place noun)")
                place = from_jamo(ctx.replaced[i][0]) if i in ctx.replaced else m.surface
                nouns = ctx.lex.sk_nouns
                if head + place not in nouns and prev.surface + place not in nouns:
                    ctx.split(i, self.id, f"the place noun {place} is spaced from the noun before")
