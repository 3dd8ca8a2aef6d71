"""nk.orthography: South Korean spelling in a text meant for North Koreans.

Runs the language engine's converter (``meari.lang.convert.to_nk``) once on
the whole text and turns each Edit into one finding, with the converter's
replacement as the fix and its rule id in the why. When the message says it
was drafted in South Korean (``drafted_in: sk``), every command converts it
anyway, so the findings say so.
"""

from __future__ import annotations

from meari.review import Check, Finding

ID = "nk.orthography"


def _run(ctx) -> list[Finding]:  # noqa: ANN001
    msg = ctx.message
    if msg.language != "nk":
        return []
    from meari.lang.convert import to_nk

    conv = to_nk(ctx.doc.text)
    auto = " (commands convert this text automatically: it is drafted_in: sk)" if msg.needs_conversion else ""
    out = []
    text = ctx.doc.text
    for e in conv.edits:
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
