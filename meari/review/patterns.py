"""Concepts and lemma-sequence patterns with negation, tense and reported speech.

Concepts (``concepts.yaml``) are sets of lemma sequences. Rules
(``rules.yaml``) combine concepts per sentence with a polarity suffix:
``X`` present, ``X+`` asserted (not negated, not past, not reported),
``X-`` negated (not past, not reported), ``X~`` not negated. Why per
sentence: Korean puts the verb and its negation at the end of the clause, and
appeal sentences are short; a sentence is the smallest unit that holds both
the target (포로, 마을) and the act (죽이다, 불태우다).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from meari.review.data import load
from meari.review.document import Sentence, Token

# Words after an act that negate it (죽이지 않는다, 자비는 없다, 사격을 멈춥니다, 공격은 금지된다).
NEGATORS = frozenset(
    "않다 못하다 말다 없다 아니다 금지 금지되다 금하다 멈추다 중지 중지하다 "
    "중단 중단하다 그만두다 그치다 삼가다".split()
)
# Verbs that may follow the act before its negation (살려 보내지 않다, 고문을 받지 않다, 해 주지 않다).
AUX_SKIP = frozenset(
    "두다 주다 드리다 보내다 버리다 놓다 내다 받다 당하다 시키다 되다 하다 가다 오다 대다 있다 지다".split()
)
# Endings that link an act to an auxiliary, not ends of a clause.
LINKING = frozenset("지 게 어 아 여 야 어야 아야 여야 고 도록".split())
NEG_ADVERBS = frozenset(("안", "못"))
COORDINATORS = frozenset("이나 나 와 과 랑 이랑 하고 및 또는 혹은".split())
VERB_COORDINATORS = frozenset("거나 든지 든가 며 으며 고".split())
END_NEGATORS = frozenset("않다 못하다 말다 없다 아니다".split())
SKIP_ADVERBS = frozenset(
    "절대 절대로 결코 전혀 더 더는 다시 결단코 함부로 결코는 일체 영구히 영원히 아직 아직도".split())
PAST = frozenset(("ㅆ", "었", "았", "였", "었었", "았었", "더", "던"))
QUESTION_ENDINGS = tuple("ㅂ니까 습니까 ㄹ까 을까 ㄹ까요 을까요 냐 나요 가요 는가 ㄴ가 는지요".split())
QUOTATIVE_SUFFIXES = tuple(
    "다고 라고 자고 냐고 다는 라는 자는 냐는 다며 라며 다면서 라면서 던데 던데요 다던 라던".split())
SURNAMES = frozenset(
    "김 이 리 박 최 정 강 조 윤 장 림 임 한 오 서 신 권 황 안 송 전 홍 류 유 고 문 량 양 "
    "손 배 백 허 남 심 로 노 하 곽 "
    "성 차 주 우 구 민 라 나 진 지 엄 채 원 천 방 공 현 함 변 염 려 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 "
    "금 옥 육 인 맹 제 모 탁 국 어 은 편 용 계 태 봉 경".split()
)
RANKS = frozenset(
    "전사 하전사 상등병 초급병사 중급병사 상급병사 하사 중사 상사 특무상사 "
    "소위 중위 상위 대위 소좌 중좌 상좌 대좌 "
    "소장 중장 상장 대장 동무 동지 씨 이병 일병 상병 병장".split()
)


# Leaders named in appeals are not prisoners: their names are not exposure.
PUBLIC_FIGURES = frozenset("김정은 김정일 김일성 김여정 최룡해 푸틴 박정천 리병철".split())


@dataclass(frozen=True, slots=True)
class Occurrence:
    concept: str
    first: int  # token indexes in the sentence (inclusive)
    last: int


class ConceptIndex:
    """All concepts compiled into one first-lemma index, matched in one pass per sentence."""

    def __init__(self, concepts: dict, unions: frozenset[str] = frozenset()) -> None:
        """``unions``: concepts whose ``include`` is resolved after matching, as the union of the included
        concepts' occurrences (the recall tier's broad concepts), instead of copying their entries: the
        same matches, without matching every included word once per broad concept (speed)."""
        self.notes: dict[str, str] = {}
        self.unions: list[tuple[str, tuple[str, ...]]] = []  # (concept, included), in dependency order
        # concepts only the recall tier uses (never asked of a joined run); the threat test of the promise
        # tiers (rules._threat) and the news veto read THREAT_COND, HARM_ANY and NEWS on joined runs too
        self.recall_only = frozenset(unions) - {"THREAT_COND", "HARM_ANY", "NEWS"}
        # first part -> list of (rest parts, concept); a part is (lemma, tag prefix or "")
        self.index: dict[str, list[tuple[tuple[tuple[str, str], ...], str, str]]] = {}
        # Sino-Korean nouns matched by a character of their hanja (殺: 사살, 말살, 척살 …): other writers'
        # Sino-Korean violence words need not be listed one by one. (chars, excepted lemmas, concept)
        self.by_hanja: list[tuple[frozenset[str], frozenset[str], str]] = []
        # (surface string, concept): distinctive names matched on the text where the analyser splits them
        self.surface: list[tuple[str, str]] = []
        for name, spec in concepts.items():
            self.notes[name] = spec.get("note", "")
            # `include: [KILL, HARM]`: a broad concept (warning tier) also holds other concepts' entries,
            # and those concepts' includes in turn (the recall tier's concepts build on the others)
            parts = [spec] if name in unions else _included(concepts, name)
            self.surface.extend((str(x), name) for p in parts for x in p.get("surface", []))
            hanja = "".join("".join(p.get("hanja", [])) for p in parts)
            if hanja:
                excepted = frozenset(x for p in parts for x in p.get("hanja_except", []))
                self.by_hanja.append((frozenset(hanja), excepted, name))
            entries = [str(e) for p in parts for e in p.get("lemmas", [])]
            for p in parts:  # `pairs: {first, then}`: every "first then" sequence (위치 말하다, 좌표 불다 …)
                pr = p.get("pairs")
                if pr:
                    entries += [f"{a} {b}" for a in pr["first"] for b in pr["then"]]
            for entry in dict.fromkeys(entries):
                for variant in dict.fromkeys(_variants(str(entry))):
                    seq = tuple(_part(p) for p in variant.split())
                    lemma, tag = seq[0]
                    rest = tuple((frozenset((lm,)), tg) for lm, tg in seq[1:])
                    self.index.setdefault(lemma, []).append((rest, name, tag))
        # Two-part entries of one concept with the same first part and tags (지휘관 말하다, 지휘관 대다 …) are
        # tried as one entry whose second part is any of their lemmas: the same matches, tried once.
        for lemma, cands in self.index.items():
            merged: dict[tuple, set[str]] = {}
            keep = []
            for rest, name, tag in cands:
                if len(rest) == 1:
                    merged.setdefault((name, tag, rest[0][1]), set()).update(rest[0][0])
                else:
                    keep.append((rest, name, tag))
            self.index[lemma] = keep + [(((frozenset(lms), tg2),), name, tag)
                                        for (name, tag, tg2), lms in merged.items()]
        done: set[str] = set()

        def order(c: str) -> None:
            if c in done or c not in unions:
                return
            done.add(c)
            inc = tuple(concepts[c].get("include", []))
            for i in inc:
                order(i)
            self.unions.append((c, inc))

        for c in concepts:
            order(c)

    def occurrences(self, sent: Sentence) -> dict[str, list[Occurrence]]:
        cached = sent.cache.get("occ")
        if cached is not None:
            return cached
        toks = sent.tokens
        found: dict[str, list[Occurrence]] = {}
        for i, t in enumerate(toks):
            if self.by_hanja and t.tag == "NNG":
                hj = t.morph.hanja
                if hj and hj != "*":
                    for chars, excepted, concept in self.by_hanja:
                        if t.key not in excepted and not chars.isdisjoint(hj):
                            occs = found.setdefault(concept, [])
                            if not any(o.first == i for o in occs):
                                occs.append(Occurrence(concept, i, i))
            cands = self.index.get(t.key)
            if not cands:
                continue
            for rest, concept, tag in cands:
                if tag and not t.tag.startswith(tag):
                    continue
                last = _match_rest(toks, i, rest)
                if last >= 0:
                    found.setdefault(concept, []).append(Occurrence(concept, i, last))
        for word, concept in self.surface:
            start = sent.text.find(word)
            while start >= 0:
                a, b = sent.start + start, sent.start + start + len(word)
                idx = [i for i, t in enumerate(toks) if t.start < b and a < t.end]
                occs = found.setdefault(concept, [])
                if idx and not any(o.first <= idx[0] and idx[-1] <= o.last for o in occs):
                    occs.append(Occurrence(concept, idx[0], idx[-1]))
                start = sent.text.find(word, start + len(word))
        for concept, inc in self.unions:
            merged = found.get(concept, [])
            seen = {(o.first, o.last) for o in merged}
            for i in inc:
                for o in found.get(i, ()):
                    if (o.first, o.last) not in seen:
                        seen.add((o.first, o.last))
                        merged.append(Occurrence(concept, o.first, o.last))
            if merged:
                found[concept] = merged
        for k in _neg_conditions(toks):  # 안 불면, 대답하지 않으면: a condition of not doing, whatever the verb
            occs = found.setdefault("THREAT_COND", [])
            if not any(o.last == k for o in occs):
                occs.append(Occurrence("THREAT_COND", max(0, k - 2), k))
        for concept, occs in found.items():
            if len(occs) > 1:  # keep the longest: 포로 잡다 (negatable as a whole) hides the bare 포로 inside it
                found[concept] = [o for o in occs if not any(
                    p is not o and p.first <= o.first and o.last <= p.last and (p.last - p.first) > (o.last - o.first)
                    for p in occs)]
        sent.cache["occ"] = found
        return found


def _included(concepts: dict, name: str) -> list[dict]:
    """A concept's spec followed by the specs it includes, recursively (each once)."""
    out: list[dict] = []
    seen: set[str] = set()
    todo = [name]
    while todo:
        c = todo.pop(0)
        if c in seen:
            continue
        seen.add(c)
        spec = concepts[c]
        out.append(spec)
        todo.extend(spec.get("include", []))
    return out


def _neg_conditions(toks: list[Token]) -> list[int]:
    """Indexes of conditional endings (면/으면) on a negated verb: 안 V면, V지 않으면 / 못하면 / 말면."""
    out = []
    for k, t in enumerate(toks):
        if t.tag != "EC" or t.key not in ("면", "으면") or k == 0:
            continue
        prev = toks[k - 1]
        if prev.key in ("않다", "못하다", "말다") and prev.tag.startswith("V"):
            out.append(k)
        elif k >= 2 and prev.tag.startswith(("VV", "XSV")) and (
                (toks[k - 2].tag == "MAG" and toks[k - 2].key in ("안", "못"))
                or (k >= 3 and toks[k - 3].tag == "MAG" and toks[k - 3].key in ("안", "못"))):
            out.append(k)
    return out


_LIGHT_VERBS = ("하다", "되다", "시키다", "받다", "당하다")


def _variants(entry: str) -> list[str]:
    """An entry plus its analysed shapes.

    The analyser splits 말하다 into 말 + 하다 (XSV), 최고사령부 into 최고 + 사령부;
    running each entry through it once gives the lemma sequence the text will show.
    """
    out = [entry]
    if "/" not in entry:
        seq = analysed_lemmas(entry)
        # never lose a part (것 처럼 -> 것), nor the verb of a verb entry (손보다 -> 손 would match every hand)
        lost_verb = entry.endswith("다") and seq and len(seq.replace(" ", "")) < len(entry.replace(" ", "")) - 1
        if seq and seq != entry and len(seq.split()) >= len(entry.split()) and not lost_verb:
            out.append(seq)
    words = entry.split()
    last = words[-1]
    for lv in _LIGHT_VERBS:
        if last.endswith(lv) and len(last) > len(lv) and "/" not in last:
            out.append(" ".join([*words[:-1], last[: -len(lv)], lv]))
    return out


def analysed_lemmas(entry: str) -> str:
    """The lemma keys the analyser gives for an entry, endings and particles dropped ("최고사령부" -> "최고 사령부")."""
    from meari.lang.analyse import analyse
    from meari.review.document import _key

    morphs = analyse(entry, "nk")
    if any(m.tag in ("VCP", "VCN") for m in morphs):  # 죽이다 alone reads as 죽 + 이다: not a real shape
        return ""
    keys = [_key(m) for m in morphs if not m.tag.startswith(("E", "J"))]
    return " ".join(k for k in keys if k)


def _part(p: str) -> tuple[str, str]:
    if "/" in p:
        lemma, tag = p.split("/", 1)
        return lemma, tag
    return p, ""


# Nouns after a modifier that pass the act on to a following 없다 (공격할 이유가 없다, 쏜 적이 없다).
_NEG_HEADS = frozenset("일 적 이유 리유 까닭 생각 계획 필요 의도 여유 시간 틈".split())  # 리유: NK spelling
_NEG_TARGET_HEADS = frozenset("대상 목표 표적".split())  # an act's target noun passes it on to 아니다/없다
_INNER_ADVERBS = NEG_ADVERBS | SKIP_ADVERBS | {"따위", "같은"}  # 포로 따위는 안 잡는다


def _match_rest(toks: list[Token], i: int, rest: tuple[tuple[frozenset[str], str], ...]) -> int:
    """Match the remaining parts (each a set of alternative lemmas) against the following content tokens
    (particles and endings skipped)."""
    k = i
    n = len(toks)
    for lemmas, tag in rest:
        k += 1
        skipped = 0
        while k < n and toks[k].key not in lemmas and skipped < 3 and (
                toks[k].function or (toks[k].tag in ("MAG", "NNB") and toks[k].key in _INNER_ADVERBS)):
            k += 1  # particles, endings and a negating/intensifying adverb (포로는 안 받는다, 다시는 절대 안 보낸다)
            skipped += 1
        if k >= n or toks[k].key not in lemmas or (tag and not toks[k].tag.startswith(tag)):
            return -1
    return k


def negated(toks: list[Token], occ: Occurrence) -> bool:
    """Is the act at ``occ`` negated (죽이지 않다, 안 죽이다, 자비는 없다, 사격을 멈추다)?"""
    i = occ.first
    j = i - 1
    while j >= 0 and toks[j].tag == "MAG" and toks[j].key in SKIP_ADVERBS:
        j -= 1
    if j >= 0 and toks[j].tag == "MAG" and toks[j].key in NEG_ADVERBS:
        return True
    for t in toks[occ.first + 1:occ.last]:  # 포로는 안 받다: the adverb sits inside a multi-word act
        if t.tag == "MAG" and t.key in NEG_ADVERBS:
            return True
    k = occ.last + 1
    n = len(toks)
    while k < n:
        t = toks[k]
        key, tag = t.key, t.tag
        if key in NEGATORS and not tag.startswith("J"):
            return True
        if tag.startswith("J") or tag in ("XSV", "XSA", "XSN", "ETN", "EP", "VCP", "NNB", "ETM"):
            k += 1
            continue
        if key in _NEG_TARGET_HEADS and tag.startswith("NN"):
            k += 1  # 공격 대상이 아니다, 사격 목표가 아니다
            continue
        if key in _NEG_HEADS and toks[k - 1].tag == "ETM":
            k += 1  # 공격하는 일은 없다, 쏜 적이 없다, 공격할 이유가 없다
            continue
        if tag.startswith("NN") and (toks[k - 1].tag == "JC" or toks[k - 1].key in COORDINATORS
                                     or (toks[k - 1].key == "도" and k + 1 < n and toks[k + 1].key == "도")):
            k += 1  # 고문이나 협박을 당하지 않다, 재판도 처벌도 없다: the negation covers both nouns
            continue
        if tag == "EC" and key in LINKING:
            k += 1
            continue
        if tag == "EC" and key in ("어서", "아서", "여서", "서") and k + 2 < n and toks[k + 1].key == "는" \
                and toks[k + 2].key in NEG_ADVERBS:
            return True  # 공격해서는 안 된다: a prohibition
        if tag == "SP" and key == "," and k > 0 and toks[k - 1].key == "도":
            k += 1  # 때리지도, 굶기지도 않다
            continue
        if tag in ("VV", "VA") and k > 0 and toks[k - 1].tag == "SP" and k > 1 and toks[k - 2].key == "도":
            k += 1
            continue
        if tag in ("VV", "VA") and toks[k - 1].key == "도" and toks[k - 1].tag.startswith("J") and k > 1 \
                and toks[k - 2].tag in ("EC", "ETN"):
            k += 1  # 재우지도 먹이지도 않다: the negation covers both verbs
            continue
        if tag == "EC" and key in VERB_COORDINATORS and k + 1 < n and toks[k + 1].tag in ("VV", "VA", "NNG"):
            k += 2  # 때리거나 굶기지 않다: the negation covers both verbs
            continue
        if tag == "MAG" and key in NEG_ADVERBS and k + 1 < n and toks[k + 1].key in _LIGHT_VERBS:
            return True  # 장담 못 하다, 공격 안 하다: the adverb negates the noun's light verb
        if tag == "MAG" and (key in SKIP_ADVERBS or key in NEG_ADVERBS):
            k += 1
            continue
        if key in AUX_SKIP and tag.startswith("V"):
            k += 1
            continue
        break
    return False


def clause_info(toks: list[Token], occ: Occurrence) -> tuple[bool, bool]:
    """(past, reported) for the clause that ``occ`` belongs to.

    Scans forward to the end of the clause: a past-tense ending (ㅆ) or a past
    relative form marks a past act (러시아군은 마을을 파괴했다 reports, not
    threatens); a quotative ending (-다고, -라는) marks reported speech.
    """
    k = occ.last + 1
    n = len(toks)
    past = False
    while k < n:
        t = toks[k]
        if t.tag == "EP" and t.key in PAST:
            past = True
        elif t.tag in ("EC", "EF", "ETM"):
            if t.key.endswith(QUOTATIVE_SUFFIXES):
                return past, True
            if t.tag == "ETM" and t.key in ("ㄴ", "은", "던") and k > 0 and toks[k - 1].tag in ("VV", "XSV"):
                return True, False
            if t.tag == "EF" and t.key.endswith(QUESTION_ENDINGS):
                return past, True  # 포로가 되면 때립니까?: a question (FAQ leaflets) asserts nothing
            if t.tag == "EF" and _quoted_after(toks, k):
                return past, True  # 「후퇴하는 자는 쏴라」라는 명령: a quoted order, reported
            if t.tag == "EF" or (t.tag == "EC" and t.key not in LINKING):
                return past, False
        elif t.tag == "SF":
            return past, False
        k += 1
    return past, False


def _quoted_after(toks: list[Token], k: int) -> bool:
    """Is the clause ending at ``k`` followed (past closing quotes) by a quotative (라는, 라고, 고 했다)?"""
    j = k + 1
    while j < len(toks) and toks[j].tag in ("SS", "SF", "SE"):
        j += 1
    if j >= len(toks) or j == k + 1 and toks[k + 1:k + 2] and toks[k + 1].tag != "SS":
        return False
    t = toks[j]
    quotative = t.key.startswith(("라는", "라고", "이라는", "이라고", "고")) and t.tag.startswith(("J", "E"))
    return t.tag == "JKQ" or quotative


def has_name(sent: Sentence) -> list[int]:
    """Token indexes of person names: surname + given name (김 철수), or a name before a rank (철민 하전사)."""
    toks = sent.tokens
    out = []
    for i, t in enumerate(toks):
        if t.tag != "NNP":
            continue
        if t.key in SURNAMES and i + 1 < len(toks):
            nx = toks[i + 1]
            if (t.key + nx.key) in PUBLIC_FIGURES:
                continue
            if nx.tag in ("NNP", "NNG") and nx.start == t.end and len(nx.key) in (1, 2) and nx.morph.hanja in ("", "*"):
                out.append(i)
                continue
        # Name followed by a rank: 철민 하전사, 김철수 전사
        j = i + 1
        while j < len(toks) and toks[j].tag == "NNP":
            j += 1
        if t.morph.hanja not in ("", "*"):
            continue  # 조선, 평양: place names carry hanja in the dictionary; given names mostly do not
        if j < len(toks) and toks[j].key in RANKS and toks[j].tag.startswith("NN") and len(t.key) <= 3:
            if t.start > 0 and j - i <= 2:
                out.append(i)
    return out


def neg_end(sent: Sentence) -> bool:
    """Is the sentence's final clause negated (…하지 않습니다, …하지 마십시오, 없습니다)?"""
    toks = sent.tokens
    k = len(toks) - 1
    while k >= 0 and toks[k].tag in ("SF", "SP", "SS", "SE", "SW", "SO"):
        k -= 1
    while k >= 0:
        t = toks[k]
        if t.tag == "SF":
            return False  # the sentence before (in a joined run) is not this one's final clause
        if t.key in END_NEGATORS and not t.tag.startswith("J"):
            return True
        if t.tag == "EC" and t.key not in LINKING:
            return False
        if t.tag.startswith(("NN", "NP")) and t.key not in ("것", "수", "리"):
            return False
        k -= 1
    return False


# Particles that mark the thing given (object or subject of a giving verb); a dative or genitive does not.
_GIFT_PARTICLES = frozenset("을 를 이 가 도 은 는 ㄹ ㄴ".split())
_GIFT_SKIP_TAGS = ("SN", "NR", "XSN", "MM", "MAG", "SP", "SW")


def gifts(sent: Sentence, index: ConceptIndex, verbs: str = "GIFT_VERB", strict: bool = False) -> list[Occurrence]:
    """Things given (object noun .. giving verb) that are not on the GC_ITEM list: the open-ended promise test.

    Topic lists (money, South Korea, release) miss what a writer invents (아이폰, 비행기표, 자동차);
    so a giving verb (GIFT_VERB: 주다, 드리다, 지급, 제공, colloquial 나오다) whose object is anything
    other than what the Conventions already require (GC_ITEM: food, clothing, care, letters, pay …)
    or an abstraction (help, a chance, information) counts as a gift. Auxiliary 주다 (보내 주다) is not
    a giving verb: the act before it is judged by the topic lists.

    The warning tier (``@OFFER``) calls this with the broader OFFER_VERB set (also 받다, 부담, 보장 …)
    and ``strict``: one object noun off the lists is enough (새 휴대전화와 생활비), where the error tier
    lets a single listed noun clear the whole object.
    """
    memo_key = "gift" if verbs == "GIFT_VERB" and not strict else f"gift:{verbs}:{strict}"
    cached = sent.cache.get(memo_key)
    if cached is not None:
        return cached
    occ = index.occurrences(sent)
    verb_occs = occ.get(verbs, ())
    out: list[Occurrence] = []
    if verb_occs:
        ok_concepts = ("GC_ITEM", "NOT_GIFT", "NOT_OFFER") if strict else ("GC_ITEM", "NOT_GIFT")
        ok = {(o.first, o.last) for c in ok_concepts for o in occ.get(c, ())}
        ok_idx = {i for a, b in ok for i in range(a, b + 1)}
        toks = sent.tokens
        for v in verb_occs:
            if toks[v.first].tag == "VX":
                continue
            nxt = toks[v.last + 1] if v.last + 1 < len(toks) else None
            if nxt is not None and nxt.tag == "EC" and nxt.key in ("면", "으면"):
                continue  # 지휘관이 나오면, 돈을 주면: a condition, not an offer
            k = v.first - 1
            particles: list[str] = []
            while k >= 0 and (toks[k].tag.startswith("J") or toks[k].tag.startswith(_GIFT_SKIP_TAGS)
                              or (toks[k].tag == "NNB" and toks[k].key in ("원", "개", "장", "대", "채"))):
                if toks[k].tag.startswith("J"):
                    particles.append(toks[k].key)
                k -= 1
            head_tags = _OBJECT_TAGS if strict else ("NN",)
            if k < 0 or not toks[k].tag.startswith(head_tags) or any(p not in _GIFT_PARTICLES for p in particles):
                continue
            head = k
            nouns = []
            heads = []  # the last noun of each coordinated compound (식사 in 하루 세 끼 식사)
            new_conjunct = True
            while k >= 0:  # the compound (아이 폰, 생활 지원금) and nouns coordinated with 와/과/이나
                t = toks[k]
                if t.tag.startswith(head_tags) or t.tag in ("SN", "NR") or (t.tag == "MM"):
                    nouns.append(k)
                    if new_conjunct and t.tag.startswith(head_tags) and t.tag != "NNB":
                        heads.append(k)
                        new_conjunct = False
                    elif heads and heads[-1] == k + 1 and toks[k + 1].key in _GENERIC_HEADS:
                        heads[-1] = k  # 의료 지원, 정착 지원: the noun before a generic head says what it is
                    k -= 1
                elif t.tag == "JC" or t.key in COORDINATORS or t.tag == "SP":
                    new_conjunct = True
                    k -= 1
                elif strict and t.tag == "XSN":  # 한 달 치 생활비
                    k -= 1
                else:
                    break
            if strict:
                if not heads:  # 5000 달러, 만 원씩: a counted unit is the thing given
                    heads = [i for i in nouns if toks[i].tag.startswith("NN") and toks[i].key not in ("것", "수")]
                if all(i in ok_idx for i in heads):
                    continue
            elif any(i in ok_idx for i in nouns):
                continue
            out.append(Occurrence("@GIFT", head, v.last))
    sent.cache[memo_key] = out
    return out


# Telling, showing or letting hear (알려 드리다, 들려 드리다, 보여 주다): a service of information, not a benefit.
_COMMUNICATIVE = frozenset(
    "알리다 들리다 들려주다 보이다 보여주다 소개하다 설명하다 전하다 읽다 말하다 안내하다 가르치다".split())
_REQUEST_ENDINGS = frozenset("세요 십시오 시오 어라 아라 라 어요 아요 여라".split())


def favours(sent: Sentence) -> list[Occurrence]:
    """Benefactive auxiliaries (구해 주다, 이어 주다, 통화시켜 줄게, 가게 해 드리다): something done for the reader.

    Any verb followed by auxiliary 주다/드리다 (tagged VX) counts, so a writer's new favour needs no list;
    what the favour is about is judged by the rule's vetoes (quarter, care, letters are not promises).
    """
    cached = sent.cache.get("favour")
    if cached is not None:
        return cached
    toks = sent.tokens
    out = []
    for k, t in enumerate(toks):
        if t.tag == "VX" and t.key in ("주다", "드리다") and k > 0:
            j = k - 1
            if toks[j].tag == "EC":
                j -= 1
            after = toks[k + 1:k + 3]
            if any(a.tag == "EP" and a.key in ("시", "으시") for a in after) or any(
                    a.tag == "EF" and a.key in _REQUEST_ENDINGS for a in after):
                continue  # 기대해 주세요, 알려 주십시오: a request to the reader, not a favour to him
            if j >= 0 and toks[j].tag in ("VV", "XSV", "VX", "VA") and toks[j].key not in _COMMUNICATIVE:
                out.append(Occurrence("@FAVOUR", j, k))
    sent.cache["favour"] = out
    return out


_OBJECT_TAGS = ("NN", "XR", "SL")  # the warning tier also takes roots (유심) and Latin words (iPhone) as things given
_GENERIC_HEADS = frozenset("지원 혜택 서비스 보조 지원금 비용".split())
_SUBJECT_PARTICLES = frozenset("이 가 은 는 도 께서 ㄴ".split())  # ㄴ: 우린, 난


def third_subjects(sent: Sentence, index: ConceptIndex) -> list[Occurrence]:
    """A third party as the subject or topic (러시아군은, 지휘관들이, 보위부가): the act is theirs, not the sender's.

    A truthful warning about what the Russian command or the Bowibu will do is not a threat by the
    sponsor; a third party only mentioned as an object or in a modifier (러시아 편에 선 너희를) is not this.
    """
    cached = sent.cache.get("third")
    if cached is not None:
        return cached
    toks = sent.tokens
    out = []
    for o in index.occurrences(sent).get("THIRD_PARTY", ()):
        k = o.last + 1
        while k < len(toks) and toks[k].tag == "XSN":  # 지휘관들은
            k += 1
        if k < len(toks) and toks[k].tag in ("JKS", "JX") and toks[k].key in _SUBJECT_PARTICLES:
            out.append(Occurrence("@THIRD_SUBJ", o.first, k))
    sent.cache["third"] = out
    return out


@dataclass(frozen=True, slots=True)
class Requirement:
    concept: str
    mode: str  # "", "+", "-", "~", "*" (not negated, not past; reported speech allowed), "^" (not past)

    @classmethod
    def parse(cls, s: str) -> Requirement:
        s = str(s)
        if s and s[-1] in "+-~*^":
            return cls(s[:-1], s[-1])
        return cls(s, "")


# The concept a pseudo-concept cannot do without (for the prefilter): no giving verb, no gift.
_BASE = {"@GIFT": "GIFT_VERB", "@OFFER": "OFFER_VERB", "@THIRD_SUBJ": "THIRD_PARTY"}


_UNSET = object()


# eq=False: a pattern hashes by identity, so it is a cheap memo key (Matcher.match); none is compared by value
@dataclass(frozen=True, eq=False)
class Pattern:
    all: tuple[Requirement, ...]
    any: tuple[Requirement, ...]
    none: tuple[Requirement, ...]
    note: str = ""
    required: tuple[str, ...] = ()  # concepts of `all` (pseudo-concepts excluded), for the prefilter
    join: bool = False  # also tried on a sentence joined with the one before (threat or promise split in two)

    @classmethod
    def from_dict(cls, d: dict) -> Pattern:
        alls = tuple(Requirement.parse(x) for x in d.get("all", []))
        return cls(
            alls,
            tuple(Requirement.parse(x) for x in d.get("any", [])),
            tuple(Requirement.parse(x) for x in d.get("none", [])),
            d.get("note", ""),
            tuple(_BASE.get(r.concept, r.concept) for r in alls if _BASE.get(r.concept, r.concept)[0] != "@"),
            bool(d.get("join", False)),
        )


class Matcher:
    """Evaluates patterns on a sentence, memoising occurrence flags."""

    def __init__(self, index: ConceptIndex) -> None:
        self.index = index

    def _flags(self, sent: Sentence, occ: Occurrence) -> tuple[bool, bool, bool]:
        memo = sent.cache.setdefault("flags", {})
        key = (occ.first, occ.last)
        f = memo.get(key)
        if f is None:
            neg = negated(sent.tokens, occ)
            past, rep = clause_info(sent.tokens, occ)
            f = (neg, past, rep)
            memo[key] = f
        return f

    def satisfy(self, sent: Sentence, req: Requirement) -> list[tuple[int, int]]:
        """Token ranges where the requirement holds (empty = not met); memoised on the sentence, which the
        shared memo (:mod:`meari.review.memo`) keeps across reviews. The list is shared: do not modify it."""
        memo = sent.cache.get("sat")
        if memo is None:
            memo = sent.cache["sat"] = {}
        v = memo.get(req)
        if v is None:
            v = memo[req] = self._satisfy(sent, req)
        return v

    def _satisfy(self, sent: Sentence, req: Requirement) -> list[tuple[int, int]]:
        if req.concept == "@NAME":
            return [(i, i + 1) for i in has_name(sent)]
        if req.concept == "@NEG_END":
            return [(0, 0)] if neg_end(sent) else []
        if req.concept == "@GIFT":
            occs = gifts(sent, self.index)
        elif req.concept == "@OFFER":
            occs = gifts(sent, self.index, "OFFER_VERB", strict=True)
        elif req.concept == "@FAVOUR":
            occs = favours(sent)
        elif req.concept == "@THIRD_SUBJ":
            occs = third_subjects(sent, self.index)
        elif req.concept == "@OUR_ACT":
            occs = our_acts(sent, self.index)
        elif req.concept == "@THIRD_ACTOR":  # a third party as subject before the first emblem word
            occ = self.index.occurrences(sent)
            first = min((o.first for c in ("EMBLEM", "EMBLEM_ANY") for o in occ.get(c, ())), default=-1)
            occs = [o for o in third_subjects(sent, self.index) if o.last < first]
        else:
            occ = sent.cache.get("occ")  # inline the memo: this runs ~10^5 times per 100 messages
            occs = (occ if occ is not None else self.index.occurrences(sent)).get(req.concept, ())
        out = []
        for o in occs:
            if req.mode:
                neg, past, rep = self._flags(sent, o)
                if req.mode == "+" and (neg or past or rep):
                    continue
                if req.mode == "-" and (not neg or past or rep):
                    continue
                if req.mode == "~" and neg:
                    continue
                if req.mode == "*" and (neg or past):
                    continue
                if req.mode == "^" and past:
                    continue
            out.append((o.first, o.last))
        return out

    def match(self, sent: Sentence, pat: Pattern) -> tuple[int, int] | None:
        """Token range covering the matched requirements, or None; memoised on the sentence like ``satisfy``
        (a pattern is keyed by identity: patterns are built once per process)."""
        memo = sent.cache.get("match")
        if memo is None:
            memo = sent.cache["match"] = {}
        v = memo.get(pat, _UNSET)
        if v is _UNSET:
            v = memo[pat] = self._match(sent, pat)
        return v

    def _match(self, sent: Sentence, pat: Pattern) -> tuple[int, int] | None:
        present = sent.cache.get("occ")
        if present is None:
            present = self.index.occurrences(sent)
        for c in pat.required:  # cheap prefilter: every required concept must occur at all
            if c not in present:
                return None
        lo, hi = 1 << 30, -1
        for r in pat.all:
            hits = self.satisfy(sent, r)
            if not hits:
                return None
            if r.concept != "@NEG_END":
                lo = min(lo, hits[0][0])
                hi = max(hi, hits[0][1])
        if pat.any:
            found = False
            for r in pat.any:
                hits = self.satisfy(sent, r)
                if hits:
                    found = True
                    break
            if not found:
                return None
        for r in pat.none:
            if self.satisfy(sent, r):
                return None
        if hi < 0:
            return None
        return lo, hi


_OUR_ACT_CONCEPTS = ("SURRENDER_ACT", "WHITE_FLAG_ANY", "TRUCE_ANY")
_PERSON_HEADS = frozenset(
    "사람 사람들 병사 병사들 자 분 군인 군인들 여러분 놈 놈들 이 이들 너 너희 당신 전사 전사들 동무 동무들".split())
_OUR_GROUP = frozenset(
    "부대 군 군대 측 쪽 대표 대표단 협상단 교섭단 사절 사절단 지휘부 사령부 정부 나라 편 병력 "
    "대대 중대 소대 분대 여단 사단 연대".split())
_IMPERATIVE_EF = frozenset("라 어라 아라 여라 거라 십시오 시오 오 세요 어요 아요 자 읍시다 ㅂ시다".split())


def our_acts(sent: Sentence, index: ConceptIndex) -> list[Occurrence]:
    """The sponsor's own side surrendering, raising a white flag or offering a truce (recall tier, ihl.perfidy).

    Our act when the sender (우리, 저희, 아군; 우리 부대, 우리 측 대표단) is the subject or topic of the
    clause that holds it (우리 부대는 곧 항복할것이다), or when the act modifies the sender (백기를 든 우리
    협상단). Not ours: the act in an order or a wish to the reader (백기를 들고 나오십시오), or said of
    other people (백기를 든 병사는 쏘지 않는다), or with the reader as the clause's subject.
    """
    cached = sent.cache.get("our_act")
    if cached is not None:
        return cached
    occ = index.occurrences(sent)
    acts = [o for c in _OUR_ACT_CONCEPTS for o in occ.get(c, ())]
    out: list[Occurrence] = []
    senders = occ.get("SENDER", ())
    if acts and senders:
        toks = sent.tokens
        n = len(toks)
        subj_at = []  # token index of each sender subject/topic particle
        for s in senders:
            k = s.last + 1
            while k < n and (toks[k].key in _OUR_GROUP or toks[k].tag in ("XSN", "NNG") and k - s.last <= 3):
                k += 1
            if k < n and toks[k].tag in ("JX", "JKS") and toks[k].key in _SUBJECT_PARTICLES:
                subj_at.append(k)
        for a in acts:
            ours = False
            # 백기를 든 우리 협상단: the act modifies the sender
            k = a.last + 1
            while k < n and toks[k].tag in ("JKO", "VV", "VX", "XSV", "EP"):
                k += 1
            if k < n and toks[k].tag == "ETM" and any(s.first in (k + 1, k + 2) for s in senders):
                ours = True
            if a.last + 1 < n and (toks[a.last + 1].key in _PERSON_HEADS or toks[a.last + 1].key == "자"):
                continue  # 투항자도 해치지 않는다: people who surrender, not an act
            before = [p for p in subj_at if p < a.first]
            if not ours and not _reader_clause(toks, a):
                # the sender as subject before the act, or anywhere in the sentence with no other subject
                # (우리 진지 위로 백기가 오를 것이다, 하얀 깃발 휘날리며 우리가 간다)
                lo = before[-1] + 1 if before else 0
                other = any((toks[j].tag == "JKS" and toks[j - 1].key not in SENDER_KEYS | _OUR_GROUP)
                            or (toks[j].tag == "JX" and toks[j].key in ("은", "는", "ㄴ")
                                and toks[j - 1].key in _OTHER_SUBJECTS)
                            for j in range(max(1, lo), a.first))
                if not other and (before or subj_at or any(s.first < a.first for s in senders)
                                  or any(s.first > a.last for s in senders)):
                    ours = True
            if ours:
                out.append(Occurrence("@OUR_ACT", a.first, a.last))
    sent.cache["our_act"] = out
    return out


SENDER_KEYS = frozenset("우리 저희 아군 우리들".split())
# Subjects that make an act someone else's (the reader, the other side's soldiers)
_OTHER_SUBJECTS = frozenset("너 너희 너희들 너네 당신 당신들 여러분 동무 동무들 병사 병사들 전사 전사들 "
                            "군인 군인들 놈 놈들 "
                            "분대장 분대장들 소대장 중대장 지휘관 지휘관들 러시아 러시아군".split())


def _reader_clause(toks: list[Token], occ: Occurrence) -> bool:
    """Is the clause of ``occ`` an order to the reader, or does it modify other people (든 병사)?"""
    k = occ.last + 1
    n = len(toks)
    while k < n:
        t = toks[k]
        if t.tag == "ETM":
            j = k + 1
            while j < n and toks[j].tag in ("MM", "NNG") and toks[j].key not in _PERSON_HEADS and j - k <= 2:
                j += 1
            return j < n and toks[j].key in _PERSON_HEADS
        if t.tag == "EF":
            return t.key in _IMPERATIVE_EF
        if t.tag == "EC" and t.key in ("면", "으면"):
            return True  # 흰 천을 들지 않으면 …: a condition put to the reader
        if t.tag == "SF":
            return False
        k += 1
    return False


@lru_cache(maxsize=1)
def concept_index() -> ConceptIndex:
    from meari.review.data import load as _load

    concepts = dict(load("concepts"))
    extra = _load("subjects")["concepts"]  # the recall tier's broad concepts (docs/review.md)
    concepts.update(extra)
    return ConceptIndex(concepts, frozenset(extra))


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    return Matcher(concept_index())
