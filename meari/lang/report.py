"""HTML page of a conversion: the text with every edit marked, and a table of edits.

Pure string building (no file I/O): the command writes it. Everything from
the text is escaped.
"""

from __future__ import annotations

from html import escape

from meari.lang.rules import ALL
from meari.lang.types import Conversion

_CSS = """
body{font-family:'Noto Sans KR',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.7}
pre{white-space:pre-wrap;font-family:inherit;font-size:1.1em;background:#f7f7f7;padding:1em;border-radius:6px}
del{color:#a00;background:#fee}ins{color:#060;background:#efe;text-decoration:none}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
th{background:#eee}code{font-size:.9em}.sig{color:#666;font-size:.8em;word-break:break-all}
"""


def conversion_html(source: str, conv: Conversion, title: str = "meari conversion") -> str:
    """Render ``conv`` (made from ``source``) as a standalone HTML page."""
    parts: list[str] = []
    pos = 0
    for e in conv.edits:
        parts.append(escape(source[pos:e.start]))
        parts.append(
            f'<span title="{escape(e.rule_id)}: {escape(e.why)}">'
            f"<del>{escape(e.before) or '&#8203;'}</del><ins>{escape(e.after) or '&#8203;'}</ins></span>"
        )
        pos = e.end
    parts.append(escape(source[pos:]))
    rows = "\n".join(
        f"<tr><td>{e.line}:{e.col}</td><td><code>{escape(e.rule_id)}</code></td>"
        f"<td>{escape(e.before) or '(space)' if e.before.strip() or not e.before else '(space)'}</td>"
        f"<td>{escape(e.after) if e.after.strip() else '(removed)' if not e.after else '(space)'}</td>"
        f"<td>{escape(e.why)}</td></tr>"
        for e in conv.edits
    )
    used = sorted({r for e in conv.edits for r in e.rule_id.split("+")})
    rules = "\n".join(f"<li><code>{escape(r)}</code>: {escape(ALL[r].explanation)}</li>" for r in used if r in ALL)
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<p>Direction <b>{escape(conv.direction)}</b>; {len(conv.edits)} edit(s). Hover a change to see the rule.</p>
<h2>Text with changes</h2>
<pre>{''.join(parts)}</pre>
<h2>Result</h2>
<pre>{escape(conv.text)}</pre>
<h2>Edits</h2>
<table><tr><th>line:col</th><th>rule</th><th>before</th><th>after</th><th>why</th></tr>
{rows}
</table>
<h2>Rules applied</h2>
<ul>{rules}</ul>
<p class="sig">Signature: {escape(conv.signature)}</p>
</body></html>
"""


def explain_lines(where: str, new: str, edits) -> list[str]:  # noqa: ANN001
    """``--explain`` lines for one converted line: ``WHERE:LINE:COL: rule: before → after — why``.

    ``new`` is the converted line and ``edits`` its edits; the input line is rebuilt from them and
    a whitespace-only span is widened to its neighbouring words so the change is readable.
    """
    src = _orig_line(new, edits)
    out = []
    for e in edits:
        s, t = _context(src, e.start, e.end)
        before = src[s:t]
        after = src[s:e.start] + e.after + src[e.end:t]
        out.append(f"{where}:{e.line}:{e.col}: {e.rule_id}: {before} → {after} — {e.why}")
    return out


def _context(line: str, s: int, e: int) -> tuple[int, int]:
    """Widen a whitespace-only or empty span to the neighbouring words for display."""
    if line[s:e].strip():
        return s, e
    while s > 0 and not line[s - 1].isspace():
        s -= 1
    while e < len(line) and not line[e].isspace():
        e += 1
    return s, e


def _orig_line(new: str, edits) -> str:  # noqa: ANN001
    """Rebuild the input line from the output and the edits (edits are sorted, non-overlapping)."""
    parts = []
    pos_new = 0
    delta = 0
    for e in edits:
        s_new = e.start + delta
        parts.append(new[pos_new:s_new])
        parts.append(e.before)
        pos_new = s_new + len(e.after)
        delta += len(e.after) - (e.end - e.start)
    parts.append(new[pos_new:])
    return "".join(parts)
