"""nk.orthography: South Korean spelling in a text meant for North Koreans.

Runs the language engine's converter (``meari.lang.convert.to_nk``) on the
text, one line at a time through a memo of lines already converted (the
converter treats lines independently, so the edits are the same), and turns
each Edit into one finding, with the converter's
replacement as the fix and its rule id in the why. When the message says it
was drafted in South Korean (``drafted_in: sk``), every command converts it
anyway, so the findings say so.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from meari.errors import MeariError
from meari.lang.convert import Edit, convert_lines, to_nk
from meari.review import Check, Finding, memo

ID = "nk.orthography"


@lru_cache(maxsize=4096)
def _line_edits(line: str) -> tuple[Edit, ...]:
    """The converter's edits for one line (offsets into the line). The converter treats lines independently
    (``meari.lang.convert``), so a line seen before needs no second conversion: most of a draft's lines are
    unchanged between two reviews of it, and a campaign's variants share most lines."""
    ((_, eds),) = convert_lines([line], "sk2nk")
    return tuple(eds)


def _edits(text: str) -> list[Edit]:
    """``to_nk(text).edits``, converted line by line through the memo (offsets into the whole text)."""
    if not memo.enabled():
        return to_nk(text).edits
    text = unicodedata.normalize("NFC", text)  # as to_nk does: offsets refer to the NFC text
    out: list[Edit] = []
    offset = 0
    try:
        for lineno, line in enumerate(text.split("\n"), 1):
            for e in _line_edits(line):
                out.append(Edit(e.start + offset, e.end + offset, e.before, e.after, e.rule_id, e.why, lineno,
                                e.col))
            offset += len(line) + 1
    except MeariError:
        return to_nk(text).edits  # a bad line: let the converter raise its own error (with the line number)
    return out


def _run(ctx) -> list[Finding]:  # noqa: ANN001
    msg = ctx.message
    if msg.language != "nk":
        return []
    edits = _edits(ctx.doc.text)
    auto = " (commands convert this text automatically: it is drafted_in: sk)" if msg.needs_conversion else ""
    out = []
    text = ctx.doc.text
    for e in edits:
        # Show whole words: a spacing edit changes only a space, which reads as nothing.
        s, t = e.start, e.end
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        while t < len(text) and not text[t].isspace():
            t += 1
        if text[e.start:e.end].isspace():
            t2 = t + 1 if t < len(text) and text[t] == " " and t == e.start else t
            while t2 < len(text) and not text[t2].isspace():
                t2 += 1
            t = max(t, t2)
            if s == e.start:
                s2 = s - 1
                while s2 > 0 and not text[s2 - 1].isspace():
                    s2 -= 1
                s = max(0, s2)
        before = text[s:t]
        after = text[s:e.start] + e.after + text[e.end:t]
        f = ctx.finding(ID, "warning", s, t, f"South Korean spelling: {e.why} [{e.rule_id}]{auto}",
                        f"write '{after}'" if after != before else f"write '{e.after}'")
        out.append(f)
    return out


CHECKS = [Check(ID, "warning", "South Korean spelling in a text meant for North Koreans (the converter's edits).",
                _run, "nk")]
