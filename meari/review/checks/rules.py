"""IHL and truthfulness checks built from ``meari/data/review/rules.yaml``.

Each rule there becomes one :class:`Check`; a rule with ``categories``
(truth.unapproved-promise) fires per promise category unless the message's
``guarantees`` approve that category.
"""

from __future__ import annotations

import re
from functools import lru_cache

from meari.review import Check, Finding, subjects
from meari.review.data import load
from meari.review.document import Sentence
from meari.review.memo import Key
from meari.review.memo import shared as shared_memo
from meari.review.patterns import _BASE, Occurrence, Pattern, Requirement, matcher

_NONE = object()  # "not memoised yet" (None is a memoised "no hit")
PSEUDO = frozenset(("@FAVOUR", "@NAME", "@NEG_END"))  # computed in code, not in the occurrence index


def _family(rule_id: str) -> str:
    return rule_id.split(".", 1)[0]


def _approved(ctx, approve: list[str]) -> bool:  # noqa: ANN001
    """Does any guarantee in the message mention one of the category's approval words?"""
    gs = getattr(ctx.message, "guarantees", None) or []
    for g in gs:
        low = g.lower()
        for w in approve:
            w = str(w).lower()
            if re.fullmatch(r"[a-z ]+", w):
                if re.search(rf"\b{re.escape(w)}", low):
                    return True
            elif w in low:
                return True
    return False


def _joined(ctx, i: int) -> Sentence:  # noqa: ANN001
    """Sentence i joined with sentence i-1 (memoised on the document), for threats split over two sentences."""
    return _span(ctx, i - 1, i)


def _span(ctx, a: int, b: int) -> Sentence:  # noqa: ANN001
    """Sentences a..b joined into one (memoised on the document): threats and promises spread over sentences."""
    memo = ctx.joined
    key = (a, b)
    j = memo.get(key)
    if j is None:
        parts = ctx.doc.sentences[a:b + 1]
        first, last = parts[0], parts[-1]
        text = ctx.doc.text[first.start:last.end]
        toks = [t for p in parts for t in p.tokens]
        # a run of sentences that came back (same text, same analysis) reuses what was derived for it
        # its signature is its parts' and the text between them (the parts' tokens relative to each part)
        sig = None
        if first.sig is not None:
            gaps = tuple(ctx.doc.text[p.end:q.start] for p, q in zip(parts, parts[1:], strict=False))
            sig = Key(("run", tuple(p.sig for p in parts), gaps))
        j = Sentence(first.start, last.end, text, toks, b, cache=shared_memo(sig), sig=sig)
        if "occ" not in j.cache:
            # The joined sentence's concept occurrences are those of its parts (shifted): merging them
            # costs nothing, re-matching every concept would double the review's work. Merged per concept
            # on first use: most concepts are never asked for in a joined run.
            idx = matcher().index
            j.cache["occ"] = _JoinedOccurrences([idx.occurrences(p) for p in parts], [len(p.tokens) for p in parts])
        memo[key] = j
    return j


class _JoinedOccurrences(dict):
    """Concept -> occurrences of a joined run of sentences, each concept merged (shifted) when first read."""

    __slots__ = ("_parts", "_lengths")

    def __init__(self, parts: list[dict], lengths: list[int]) -> None:
        # the recall tier's own concepts are never asked of a joined run: leave them out (speed)
        skip = matcher().index.recall_only
        super().__init__(dict.fromkeys(k for p in parts for k in p if k not in skip))
        self._parts = parts
        self._lengths = lengths

    def __getitem__(self, concept: str) -> list[Occurrence]:
        v = dict.__getitem__(self, concept)
        if v is None:
            v = []
            shift = 0
            for p, n in zip(self._parts, self._lengths, strict=True):
                v.extend(Occurrence(o.concept, o.first + shift, o.last + shift) for o in p.get(concept, ()))
                shift += n
            dict.__setitem__(self, concept, v)
        return v

    def get(self, concept: str, default=None):  # noqa: ANN001, ANN201
        return self[concept] if dict.__contains__(self, concept) else default

    def items(self):  # noqa: ANN201
        return ((k, self[k]) for k in self.keys())

    def values(self):  # noqa: ANN201
        return (self[k] for k in self.keys())


def _covered(ctx, findings: list[Finding]) -> set[int]:  # noqa: ANN001
    """Indexes of the sentences a list of findings touches."""
    out = set()
    for f in findings:
        for k, s in enumerate(ctx.doc.sentences):
            if s.start < f.end and f.start < s.end:
                out.add(k)
    return out


def _approved_words(ctx, sent: Sentence, first: int, last: int, categories: dict) -> bool:  # noqa: ANN001
    """Is the thing promised approved: a guarantee names one of the matched nouns, or approves a category
    (payment, asylum …) one of whose Korean approval words is in the sentence (100달러를 드립니다)?"""
    gs = [g.lower() for g in (getattr(ctx.message, "guarantees", None) or [])]
    if not gs:
        return False
    nouns = [t.key for t in sent.tokens[first:last + 1] if t.tag in ("NNG", "NNP") and len(t.key) >= 2]
    if any(n.lower() in g for n in nouns for g in gs):
        return True
    for spec in categories.values():
        approve = spec.get("approve", [])
        if _approved(ctx, approve) and any(not str(w).isascii() and str(w) in sent.text for w in approve):
            return True
    return False


# The topic concepts of each promise category, for the recall tier's approval check.
_CATEGORY_TOPICS = {
    "asylum": ("SOUTH_KOREA", "ASYLUM", "SOUTH_DIRECTION"), "benefits": ("BENEFIT",),
    "amnesty": ("AMNESTY", "AMNESTY_ANY", "PROSECUTE"), "payment": ("PAYMENT", "REWARD"),
    "release": ("RELEASE",), "no-return": ("REPATRIATE", "RELEASE"), "family-contact": ("CONTACT", "MEET", "VISIT"),
    "gift": ("GIFT_NOUN", "PAYMENT"), "labour": ("LABOUR",),
}


def _threat(sent: Sentence) -> bool:
    """A condition of not doing something (…하지 않으면, 대답 안 하면) in the sentence: what follows is a threat
    (judged by ihl.coercion, ihl.civilians or ihl.no-quarter by its object), never a promise."""
    m = matcher()
    if "THREAT_COND" not in m.index.occurrences(sent):
        return False
    return bool(m.satisfy(sent, _HARM_ASSERTED))


_HARM_ASSERTED = Requirement("HARM_ANY", "+")
_DISCLAIMERS = (Requirement("NO_PROMISE", ""), Requirement("PROMISE_STRONG", "-"))
_APPLY, _PROMISED = Requirement("APPLY", ""), Requirement("PROMISE_STRONG", "+")


def _disclaims(sent: Sentence) -> bool:
    """Does the sentence disclaim a promise rather than make one? A question (항복하면 북으로 송환됩니까?), a
    disclaimer (한국행을 약속할 수 없다, 그것은 우리 것이 아니다) or the reader's right to state a wish (한국으로
    가고 싶다는 뜻을 밝힐 수 있다) names a promise topic truthfully: a false error there would block a lawful
    product, so the error tier stays silent (the recall tier still weighs the sentence)."""
    from meari.review.subjects import _question  # the recall tier's question test, shared

    if _question(sent):
        return True
    m = matcher()
    if any(m.satisfy(sent, r) for r in _DISCLAIMERS):
        return True
    # the reader's right to state a wish, unless the sentence also guarantees the outcome (귀순 의사를 밝히는
    #장병에게는 … 보장합니다 is a promise)
    return bool(m.satisfy(sent, _APPLY)) and not m.satisfy(sent, _PROMISED)


def _possible_check(rid: str, spec: dict, fix: str, categories: dict | None = None):  # noqa: ANN202
    """The second tier of a rule: weaker evidence of the same violation, reported as a warning.

    Tried on each sentence and on runs of up to ``window`` sentences ending there (a threat spread
    over two or three sentences), never where the rule's error already fired (the high-precision
    tier wins), and at most once per sentence. A truth warning is dropped when a guarantee names
    the thing promised.
    """
    pats = [Pattern.from_dict(p) for p in spec["patterns"]]
    # `back_veto`: the pattern's vetoes also look at the sentence before (쏘지 않겠습니다. 약속합니다.)
    back = {id(p) for p, d in zip(pats, spec["patterns"], strict=True) if d.get("back_veto")}
    window = int(spec.get("window", 1))
    # each pattern with the concepts it names (pseudo-concepts by their base: @OFFER needs OFFER_VERB)
    keyed = [(p, frozenset(_BASE.get(r.concept, r.concept) for r in (*p.all, *p.any))) for p in pats]
    why = spec["why"]
    wfix = spec.get("fix", fix)

    skip = matcher().index.recall_only  # never in a joined run's occurrences (_JoinedOccurrences)
    required = {p: frozenset(p.required) for p in pats}

    def live_for(sent: Sentence) -> list[Pattern]:
        """The patterns sentence ``sent`` adds evidence to (memoised on it)."""
        key = ("live", rid)
        v = sent.cache.get(key)
        if v is None:
            here = matcher().index.occurrences(sent)
            v = sent.cache[key] = [p for p, k in keyed if not k.isdisjoint(here) or (k & PSEUDO)]
        return v

    def hits_in(cand: Sentence, live: list[Pattern]) -> list[tuple[Pattern, tuple[int, int]]]:
        """The live patterns that match ``cand``, in order, before any back veto (memoised on ``cand``: what
        they are depends only on it, since its last sentence decides ``live``)."""
        key = ("possible", rid)
        v = cand.cache.get(key)
        if v is None:
            m = matcher()
            present = m.index.occurrences(cand)
            v = []
            for p in live:
                if any(c not in present for c in p.required):
                    continue  # the cheap prefilter, inline: most runs have none of a pattern's concepts
                hit = m.match(cand, p)
                if hit:
                    v.append((p, hit))
            cand.cache[key] = v
        return v

    def run(ctx, errors: list[Finding]) -> list[Finding]:  # noqa: ANN001
        m = matcher()
        sents = ctx.doc.sentences
        blocked = _covered(ctx, errors)
        out = []
        for i in range(len(sents)):
            # A run ending at sentence i is worth trying only for patterns that sentence i adds to:
            # otherwise the run ending at i-1 had the same evidence and was tried already.
            live = live_for(sents[i])
            if not live:
                continue
            for w in range(1, window + 1):
                a = i - w + 1
                if a < 0 or any(k in blocked for k in range(a, i + 1)):
                    break
                if w > 1:
                    # build the run only if some live pattern's required concepts all occur in its parts
                    union = set().union(*(m.index.occurrences(sents[k]) for k in range(a, i + 1))) - skip
                    if not any(required[p] <= union for p in live):
                        continue
                cand = sents[i] if w == 1 else _span(ctx, a, i)
                hit = None
                for p, hit in hits_in(cand, live):
                    if id(p) in back and a > 0:
                        before = _span(ctx, a - 1, i)
                        if any(m.satisfy(before, r) for r in p.none):
                            hit = None
                    if hit:
                        break
                else:
                    hit = None
                if hit and rid.startswith("truth.") and (
                        _threat(cand) or _approved_words(ctx, cand, hit[0], hit[1], categories or {})):
                    hit = None
                if hit:
                    detail = f" ({p.note})" if p.note else ""
                    out.append(ctx.sentence_finding(rid, "warning", cand, hit[0], hit[1], why + detail, wfix))
                    blocked.update(range(a, i + 1))
                    break
        return out

    return run


def _make_check(rule: dict) -> Check:
    rid = rule["id"]
    sev = rule.get("severity", "error")
    why = rule["why"]
    fix = rule.get("fix", "")
    cats = rule.get("categories")
    if cats:
        compiled = [
            (name, spec.get("note", ""), spec.get("approve", []), [Pattern.from_dict(p) for p in spec["patterns"]])
            for name, spec in cats.items()
        ]

        def run(ctx) -> list[Finding]:  # noqa: ANN001
            m = matcher()
            out = []
            live = [c for c in compiled if not _approved(ctx, c[2])]
            prev_hit = False
            for i, sent in enumerate(ctx.doc.sentences):
                hit_here = False
                if _threat(sent) or "NEWS" in m.index.occurrences(sent) or _disclaims(sent):
                    prev_hit = False
                    # conditional harm (…않으면 …하겠다) is a threat, never a promise; news reports promise nothing
                    continue
                for name, note, _approve, pats in live:
                    for p in pats:
                        hit, where = m.match(sent, p), sent
                        if not hit and p.join and i > 0 and not prev_hit:
                            where = _joined(ctx, i)  # 바로 집에 보낸다. 약속한다.
                            hit = m.match(where, p)
                        if hit and _approved_words(ctx, where, hit[0], hit[1], cats):
                            hit = None  # a guarantee names what is promised (…달러 지급, 북한 송환 없음)
                        if hit:
                            out.append(ctx.sentence_finding(rid, sev, where, hit[0], hit[1],
                                                            f"{name} promise not in guarantees: {note}", fix))
                            hit_here = True
                            break
                    if hit_here:
                        break  # one promise finding per sentence
                prev_hit = hit_here
            return out
    else:
        pats = [Pattern.from_dict(p) for p in rule["patterns"]]
        window = int(rule.get("window", 1))
        any_join = any(p.join for p in pats)

        def first_hit(m, cand: Sentence, join_only: bool):  # noqa: ANN001, ANN202
            """The first pattern that matches ``cand`` and its token range (memoised on it); ``join_only``: a
            joined run, where only patterns marked `join` look across the sentence boundary."""
            key = ("first", rid, join_only)
            v = cand.cache.get(key, _NONE)
            if v is _NONE:
                v = None
                for p in pats:
                    if join_only and not p.join:
                        continue
                    hit = m.match(cand, p)
                    if hit:
                        v = (p, hit)
                        break
                cand.cache[key] = v
            return v

        def run(ctx) -> list[Finding]:  # noqa: ANN001
            m = matcher()
            out = []
            sents = ctx.doc.sentences
            prev_hit = False
            for i, sent in enumerate(sents):
                cands = [sent]
                if (window > 1 or any_join) and i > 0 and not prev_hit:
                    cands.append(_joined(ctx, i))
                prev_hit = False
                for cand in cands:
                    found = first_hit(m, cand, cand is not sent and window <= 1)
                    if found:
                        p, hit = found
                        detail = f" ({p.note})" if p.note else ""
                        out.append(ctx.sentence_finding(rid, sev, cand, hit[0], hit[1], why + detail, fix))
                        prev_hit = True
                        break
            return out

    possible = rule.get("possible")
    if possible:
        first_tier, second_tier = run, _possible_check(rid, possible, fix, cats)

        def run(ctx) -> list[Finding]:  # noqa: ANN001, F811
            errors = first_tier(ctx)
            return errors + second_tier(ctx, errors)

    recall = subjects.rules().get(rid)
    if recall is not None:
        earlier = run

        def approved(ctx):  # noqa: ANN001, ANN202
            if not rid.startswith("truth."):
                return None
            ok = [c for c, spec in (cats or {}).items() if _approved(ctx, spec.get("approve", []))]
            topics = {c for cat in ok for c in _CATEGORY_TOPICS.get(cat, ())}

            def is_approved(sent, a, b) -> bool:  # noqa: ANN001
                if _approved_words(ctx, sent, a, b, cats or {}):
                    return True
                # a guarantee approves the category whose topic the sentence is about (amnesty law → 면제)
                return bool(topics) and not topics.isdisjoint(matcher().index.occurrences(sent))

            return is_approved

        def run(ctx) -> list[Finding]:  # noqa: ANN001, F811
            found = earlier(ctx)
            return found + subjects.run(ctx, recall, found, approved(ctx))

    return Check(rid, sev, rule["summary"], run, _family(rid))


@lru_cache(maxsize=1)
def checks() -> list[Check]:
    return [_make_check(r) for r in load("rules")["rules"]]


def _attribution(ctx) -> list[Finding]:  # noqa: ANN001
    """Leaflets and broadcasts must name who they come from, and no text may deny or hide its maker.

    A named sponsor is not enough: a text that says it comes from nobody (이 삐라는 어느 나라것도 아니다,
    발행처 없음, 우리가 누구인지는 중요하지 않다) or denies the sponsor (이 전단은 우크라이나가 만든 것이 아니다)
    is unattributed to its reader. That is decided by the recall tier (subjects.yaml `truth.attribution`),
    as a warning for the legal reviewer.
    """
    msg = ctx.message
    recall = subjects.rules().get("truth.attribution")
    denied = subjects.run(ctx, recall, []) if recall is not None else []
    if msg.channel not in ("leaflet", "loudspeaker"):
        return denied
    sponsor = (msg.sponsor or "").strip()
    if sponsor and sponsor.lower() not in {"-", "?", "none", "unknown", "n/a", "미상", "없음", "익명"}:
        return denied
    first = ctx.doc.text.split("\n", 1)[0]
    return [
        Finding("truth.attribution", "error", 1, 1, first[:40],
                f"no sponsor named for a {msg.channel}: every product must say who it comes from "
                "(meari's truthfulness rule; unattributed appeals read as black propaganda)",
                "add `sponsor:` to the message file", 0, min(len(first), 40))
    ]


ATTRIBUTION = Check("truth.attribution", "error", "No sponsor named in a leaflet or broadcast.", _attribution, "truth")
