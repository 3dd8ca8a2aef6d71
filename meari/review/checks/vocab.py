"""vocab.outsider: South Korean or foreign words, with the North Korean word as the fix.

Matched on lemma sequences from ``meari/data/review/vocab.yaml`` (longest
entry first), so 북한군에게 and 헬리콥터로 are caught and 'UN' never fires
inside another word. Runs for texts meant for North Koreans (language nk).
"""

from __future__ import annotations

from functools import lru_cache

from meari.review import Check, Finding
from meari.review.data import load

ID = "vocab.outsider"


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[tuple[str, ...], dict]]]:
    idx: dict[str, list[tuple[tuple[str, ...], dict]]] = {}
    for e in load("vocab")["entries"]:
        parts = tuple(str(e["sk"]).split())
        idx.setdefault(parts[0], []).append((parts[1:], e))
    for v in idx.values():
        v.sort(key=lambda x: -len(x[0]))
    return idx


def _run(ctx) -> list[Finding]:  # noqa: ANN001
    if ctx.message.language != "nk":
        return []
    idx = _index()
    out = []
    for sent in ctx.doc.sentences:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            cands = idx.get(toks[i].key)
            hit = None
            if cands and not toks[i].function:
                for rest, e in cands:
                    if all(i + 1 + k < len(toks) and toks[i + 1 + k].key == r for k, r in enumerate(rest)):
                        hit = (rest, e)
                        break
            if hit is None:
                i += 1
                continue
            rest, e = hit
            last = i + len(rest)
            out.append(ctx.finding(
                ID, "warning", toks[i].start, toks[last].end,
                f"'{e['sk'].replace(' ', '')}' marks the writer as an outsider to a North Korean reader: {e['note']}",
                f"write '{e['nk']}'",
            ))
            i = last + 1
    return out


CHECKS = [Check(ID, "warning", "Words a North Korean soldier reads as South Korean or foreign.", _run, "vocab")]
