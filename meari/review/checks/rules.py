"""IHL and truthfulness checks built from ``meari/data/review/rules.yaml``.

Each rule there becomes one :class:`Check`; a rule with ``categories``
(truth.unapproved-promise) fires per promise category unless the message's
``guarantees`` approve that category.
"""

from __future__ import annotations

import re
from functools import lru_cache

from meari.review import Check, Finding
from meari.review.data import load
from meari.review.document import Sentence
from meari.review.patterns import Occurrence, Pattern, matcher


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
    memo = ctx.joined
    j = memo.get(i)
    if j is None:
        a, b = ctx.doc.sentences[i - 1], ctx.doc.sentences[i]
        j = Sentence(a.start, b.end, ctx.doc.text[a.start:b.end], a.tokens + b.tokens, i)
        # The joined sentence's concept occurrences are those of its halves (the second shifted):
        # merging them costs nothing, re-matching every concept would double the review's work.
        idx = matcher().index
        occ_a, occ_b, shift = idx.occurrences(a), idx.occurrences(b), len(a.tokens)
        merged = {c: list(v) for c, v in occ_a.items()}
        for c, v in occ_b.items():
            merged.setdefault(c, []).extend(Occurrence(o.concept, o.first + shift, o.last + shift) for o in v)
        j.cache["occ"] = merged
        memo[i] = j
    return j


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
                for name, note, _approve, pats in live:
                    for p in pats:
                        hit, where = m.match(sent, p), sent
                        if not hit and p.join and i > 0 and not prev_hit:
                            where = _joined(ctx, i)  # 바로 집에 보낸다. 약속한다.
                            hit = m.match(where, p)
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
                    for p in pats:
                        if cand is not sent and window <= 1 and not p.join:
                            continue  # only patterns marked `join` look across the sentence boundary
                        hit = m.match(cand, p)
                        if hit:
                            detail = f" ({p.note})" if p.note else ""
                            out.append(ctx.sentence_finding(rid, sev, cand, hit[0], hit[1], why + detail, fix))
                            prev_hit = True
                            break
                    if prev_hit:
                        break
            return out

    return Check(rid, sev, rule["summary"], run, _family(rid))


@lru_cache(maxsize=1)
def checks() -> list[Check]:
    return [_make_check(r) for r in load("rules")["rules"]]


def _attribution(ctx) -> list[Finding]:  # noqa: ANN001
    """Leaflets and broadcasts must name who they come from."""
    msg = ctx.message
    if msg.channel not in ("leaflet", "loudspeaker"):
        return []
    sponsor = (msg.sponsor or "").strip()
    if sponsor and sponsor.lower() not in {"-", "?", "none", "unknown", "n/a", "미상", "없음", "익명"}:
        return []
    first = ctx.doc.text.split("\n", 1)[0]
    return [
        Finding("truth.attribution", "error", 1, 1, first[:40],
                f"no sponsor named for a {msg.channel}: every product must say who it comes from "
                "(meari's truthfulness rule; unattributed appeals read as black propaganda)",
                "add `sponsor:` to the message file", 0, min(len(first), 40))
    ]


ATTRIBUTION = Check("truth.attribution", "error", "No sponsor named in a leaflet or broadcast.", _attribution, "truth")
