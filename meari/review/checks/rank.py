"""nk.rank: a rank word whose grade differs between the KPA and the ROK Army (소장, 대령, 대위 ...).

The converter changes a rank only where the grade maps one to one (meari.lang.ranks);
every other rank word is left as written, and this check shows the writer every
reading from ``meari/data/ranks.yaml`` so that a person, not a guess, decides.
Runs for texts meant for North Koreans (language nk) and on the text as written.
"""

from __future__ import annotations

from functools import lru_cache

from meari.lang import ranks
from meari.review import Check, Finding

ID = "nk.rank"


@lru_cache(maxsize=8192)
def _rows_for(word: str) -> tuple[ranks.Rank, ...]:
    """``ranks.rows_for`` memoised: it scans the whole rank table, and it is asked once per noun of the text."""
    return tuple(ranks.rows_for(word))

_MILITARY = frozenset({"군대", "부대", "장군", "사단", "여단", "연대", "대대", "중대", "소대", "병사", "장교", "군관",
                       "계급", "군사칭호", "사령관", "지휘관", "지휘", "사단장", "여단장", "연대장", "대대장", "중대장",
                       "포로", "군인", "전선", "국군", "인민군"})


def _run(ctx) -> list[Finding]:  # noqa: ANN001
    if ctx.message.language != "nk":
        return []
    out = []
    for sent in ctx.doc.sentences:
        military = any(t.morph.surface in _MILITARY or t.morph.surface.endswith(("군", "부대")) for t in sent.tokens)
        for tok in sent.tokens:
            m = tok.morph
            if not m.tag.startswith("NN"):
                continue
            rows = _rows_for(m.surface)
            if not rows:
                continue
            if not any(r.army == "rok" for r in rows):
                continue  # a KPA-only title (전사, 상좌): the writer already uses the North's word
            # The analyser often prefers the everyday homograph (소장 所長, 대령 待令), so the
            # hanja clear a word only in a sentence without military words.
            hanja = m.hanja if m.hanja not in ("", "*") else ""
            if hanja and not any(r.hanja == hanja for r in rows if r.hanja) and not military:
                continue
            grades = {(r.army, r.grade) for r in rows if r.army in ("kpa", "rok")}
            kpa = {g for a, g in grades if a == "kpa"}
            rok = {g for a, g in grades if a == "rok"}
            sk2nk = ranks.mapping(m.surface, "sk2nk")
            if kpa and rok and kpa == rok and (sk2nk is None or sk2nk.target is None):
                continue  # same grade on both sides (대장, 중위 OF-1): nothing to decide
            if sk2nk is not None and sk2nk.target is not None:
                continue  # the converter maps it one to one (소령 → 소좌)
            same = [r.ko for row in rows if row.army == "rok" for r in ranks.same_grade(row, "kpa")]
            extra = f"; KPA titles of the ROK grade: {'/'.join(dict.fromkeys(same))}" if same else ""
            out.append(ctx.finding(
                ID, "warning", tok.start, tok.end,
                f"if '{m.surface}' is a rank, it reads differently by army: {ranks.readings(m.surface)}{extra}",
                "write the KPA title of the grade meant (see meari/data/ranks.yaml)",
            ))
    return out


CHECKS = [Check(ID, "warning", "A rank word whose grade differs between the KPA and the ROK Army.", _run, "nk")]
