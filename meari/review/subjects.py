"""The recall tier: a message that touches a protected subject gets a warning with the family's id.

The error tier and the possible-violation tier recognise wordings; this tier recognises *subjects*
(protective emblems, truce and white flag, families and harm, surrender and futility, questioning
and consequences, identifiable prisoners, promise topics) in a relation that makes a violation
possible, from ``meari/data/review/subjects.yaml``. It never raises an error, and it stays silent
where an earlier tier of the same id already reported on those sentences. Each finding's ``why``
says what the legal reviewer must confirm.

Relations are decided per sentence over a window of sentences around the subject (so a threat
spread over three lines is seen), on lemmas and concepts, never on substrings; no joined sentence
is built, which keeps the tier linear in the length of the message.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from meari.review import Finding
from meari.review.data import load
from meari.review.patterns import Occurrence, Pattern, Requirement, _reader_clause, matcher, neg_end


@dataclass(frozen=True)
class Relation:
    reqs: tuple[Requirement, ...]
    window: int
    safeguard: bool = False  # a sentence whose final clause is negated does not supply it
    unless: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class SubjectRule:
    id: str
    why: str
    subject: tuple[Requirement, ...]
    none: tuple[Requirement, ...]
    relations: tuple[Relation, ...]
    strong: tuple[Relation, ...]
    clear: tuple[tuple[Pattern, int], ...]  # (frame, how many sentences away it may stand)
    not_reader: bool = False
    clear_window: int = 0
    subject_safeguard: bool = False
    not_sponsor: bool = False

    @property
    def reach(self) -> int:
        return max([r.window for r in (*self.relations, *self.strong)] or [0])


def _relations(specs: list[dict] | None) -> tuple[Relation, ...]:
    return tuple(Relation(tuple(Requirement.parse(x) for x in r["any"]), int(r.get("window", 0)),
                          bool(r.get("safeguard", False)), tuple(Requirement.parse(x) for x in r.get("unless", [])))
                 for r in specs or [])


@lru_cache(maxsize=1)
def rules() -> dict[str, SubjectRule]:
    """Rule id -> its recall-tier rule, from ``subjects.yaml``."""
    out = {}
    for rid, spec in (load("subjects").get("subjects") or {}).items():
        out[rid] = SubjectRule(
            rid, spec["why"],
            tuple(Requirement.parse(x) for x in spec["subject"]),
            tuple(Requirement.parse(x) for x in spec.get("none", [])),
            _relations(spec.get("relations")), _relations(spec.get("strong")),
            tuple((Pattern.from_dict(p), int(p.get("window", spec.get("clear_window", 0))))
                  for p in spec.get("clear", [])),
            bool(spec.get("not_reader", False)), int(spec.get("clear_window", 0)),
            bool(spec.get("subject_safeguard", False)), bool(spec.get("not_sponsor", False)),
        )
    return out


def sentences_touched(ctx, findings: list[Finding]) -> set[int]:  # noqa: ANN001
    """Indexes of the sentences the findings overlap (bisect on sentence starts: linear overall)."""
    sents = ctx.doc.sentences
    starts = [s.start for s in sents]
    out: set[int] = set()
    for f in findings:
        if f.field != "text" and f.start < 0:
            continue
        k = max(0, bisect.bisect_right(starts, f.start) - 1)
        while k < len(sents) and sents[k].start < f.end:
            if f.start < sents[k].end:
                out.add(k)
            k += 1
    return out


_ADDRESS_HEADS = frozenset("여러분 동무 동무들 동지 동지들 형제 형제들 귀하".split())


def _address(sent, last: int) -> bool:  # noqa: ANN001
    """Is the subject word part of a form of address (대한민국 국민 여러분, 평화유지군 동지들)? An address names
    who is spoken to; it is not what the message says about them."""
    toks = sent.tokens
    k = last + 1
    while (k < len(toks) and k - last <= 2 and toks[k].tag in ("NNG", "NNP", "XSN")
           and toks[k].key not in _ADDRESS_HEADS):
        k += 1
    if not (k < len(toks) and toks[k].key in _ADDRESS_HEADS):
        return False
    k += 1
    while k < len(toks) and toks[k].tag == "XSN":  # 동무들
        k += 1
    # a form of address is followed by a comma, an exclamation, a vocative particle or nothing
    # (중대장 동무의 지시다 names someone: not an address)
    return k >= len(toks) or toks[k].tag in ("SP", "SF", "JKV", "SS", "SE")


def _reader_act(sent, span: tuple[int, int]) -> bool:  # noqa: ANN001
    """Is the subject word in an order to the reader or said of other people (멈추고 나오십시오, 백기를 든 병사)?"""
    return _reader_clause(sent.tokens, Occurrence("", span[0], span[1]))


_QUESTION_EF = ("까", "까요", "냐", "니", "나요", "가요", "는가", "ㄴ가", "는지요", "ㄹ까", "을까", "습니까", "ㅂ니까",
                "래요", "죠")


def _neg_end(sent) -> bool:  # noqa: ANN001
    v = sent.cache.get("neg_end")
    if v is None:
        v = sent.cache["neg_end"] = neg_end(sent)
    return v


def _question(sent) -> bool:  # noqa: ANN001
    """Does the sentence end as a question (…나요? …습니까? …는가?)? (memoised on the sentence)"""
    v = sent.cache.get("question")
    if v is None:
        v = sent.cache["question"] = _is_question(sent)
    return v


def _is_question(sent) -> bool:  # noqa: ANN001
    toks = sent.tokens
    for t in reversed(toks):
        if t.tag == "SF":
            if t.key == "?":
                return True
            continue
        if t.tag == "EF":
            return t.key.endswith(_QUESTION_EF) and t.key not in ("죠",)
        if t.tag not in ("SS", "SE", "SP", "SW", "SO"):
            return False
    return False


def _in_sponsor(ctx, sent, span: tuple[int, int]) -> bool:  # noqa: ANN001
    """Is the subject word part of the message's own sponsor (a sponsor may name itself)?"""
    sponsor = (getattr(ctx.message, "sponsor", "") or "").replace(" ", "")
    if not sponsor:
        return False
    toks = sent.tokens
    word = ctx.doc.text[toks[span[0]].start:toks[span[1]].end].replace(" ", "")
    return bool(word) and word in sponsor


def run(ctx, rule: SubjectRule, prior: list[Finding], approved=None) -> list[Finding]:  # noqa: ANN001
    """Recall-tier warnings for one rule id, where the earlier tiers (``prior``) did not already report.

    ``approved(sentence, first, last) -> bool`` drops a promise topic the message's guarantees approve.
    """
    m = matcher()
    sents = ctx.doc.sentences
    n = len(sents)
    reach = rule.reach
    decided = sentences_touched(ctx, prior)
    out: list[Finding] = []
    skip_until = -1

    def supplies(key: tuple, rel: Relation, sk, other: bool) -> bool:  # noqa: ANN001
        """Does sentence ``sk`` supply relation ``rel`` (``other``: it is not the subject sentence)? Depends on
        the sentence alone, so memoised on it (the shared memo keeps it across reviews)."""
        v = sk.cache.get(key)
        if v is None:
            v = sk.cache[key] = _supplies(m, rule, rel, sk, other)
        return v

    def holds(rels: tuple[Relation, ...], tier: str, j: int, i: int) -> bool:
        rel = rels[j]
        for k in range(max(0, i - rel.window), min(n, i + rel.window + 1)):
            if supplies(("rel", rule.id, tier, j, k != i), rel, sents[k], k != i):
                return True
        return False

    for i, s in enumerate(sents):
        if i <= skip_until:
            continue
        local = s.cache.get(("subject", rule.id))
        if local is None:
            local = s.cache[("subject", rule.id)] = _subject_here(m, rule, s)
        if not local:
            continue
        hit = None
        for spans in local:
            if rule.not_sponsor:
                spans = [sp for sp in spans if not _in_sponsor(ctx, s, sp)]
            if spans:
                hit = spans[0]
                break
        if hit is None:
            continue
        if _vetoed(m, rule, s):
            continue
        if not any(holds(rule.strong, "strong", j, i) for j in range(len(rule.strong))):
            if not any(holds(rule.relations, "rel", j, i) for j in range(len(rule.relations))):
                continue
            # a clear frame in the subject sentence (or next to it: 부상자는 먼저 치료를 받습니다. 적십자 표시가 …)
            if any(m.match(sents[k], p) for p, cw in rule.clear for k in range(max(0, i - cw), min(n, i + cw + 1))):
                continue
        if any(k in decided for k in range(max(0, i - reach), min(n, i + reach + 1))):
            continue  # an error or warning of this id already speaks about these sentences
        if approved is not None and approved(s, hit[0], hit[1]):
            continue
        out.append(ctx.sentence_finding(rule.id, "warning", s, hit[0], hit[1], rule.why,
                                        "confirm with the legal reviewer, or reword"))
        skip_until = i + reach
    return out


def _supplies(m, rule: SubjectRule, rel: Relation, sk, other: bool) -> bool:  # noqa: ANN001
    """Does sentence ``sk`` supply the relation: one of its requirements holds there, the sentence is no
    question, no safeguard or ``unless`` (and, for a neighbour, none of the rule's vetoes) speaks against it?"""
    occ = m.index.occurrences(sk)
    # cheap prefilter: a concept that does not occur in the sentence cannot satisfy anything
    if not any(r.concept in occ or r.concept[0] == "@" for r in rel.reqs):
        return False
    if _question(sk):
        return False  # a question asserts nothing (이 전단은 유엔이 보낸 건가요?)
    if not any((r.concept in occ or r.concept[0] == "@") and m.satisfy(sk, r) for r in rel.reqs):
        return False
    if rel.safeguard and _neg_end(sk):
        return False
    if any((r.concept in occ or r.concept[0] == "@") and m.satisfy(sk, r) for r in rel.unless) or (
            other and any((r.concept in occ or r.concept[0] == "@") and m.satisfy(sk, r) for r in rule.none)):
        return False
    return True


def _subject_here(m, rule: SubjectRule, s) -> list[list[tuple[int, int]]]:  # noqa: ANN001
    """Per subject requirement, in order, its spans in ``s`` that are neither a form of address nor (for a
    ``not_reader`` rule) an order to the reader; empty when none has any (memoised by the caller).
    The sponsor test is left to the caller: it depends on the message."""
    present = m.index.occurrences(s)
    if not any(c in present or c.startswith("@") for c in {r.concept for r in rule.subject}):
        return []
    out = [[sp for sp in m.satisfy(s, r) if not _address(s, sp[1])
            and not (rule.not_reader and r.concept != "@OUR_ACT" and _reader_act(s, sp))]
           for r in rule.subject]
    return out if any(out) else []


def _vetoed(m, rule: SubjectRule, s) -> bool:  # noqa: ANN001
    """The subject sentence itself vetoes the rule (a ``none`` requirement, or a denial for a
    ``subject_safeguard`` rule: 휴전은 선포되지 않았다); memoised on the sentence."""
    key = ("vetoed", rule.id)
    v = s.cache.get(key)
    if v is None:
        present = m.index.occurrences(s)
        v = any((r.concept in present or r.concept[0] == "@") and m.satisfy(s, r) for r in rule.none) or (
            rule.subject_safeguard and _neg_end(s))
        s.cache[key] = v
    return v
