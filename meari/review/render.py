"""Renderers of a review: linter lines, the JSON report and the highlighted HTML page.

Shared by ``meari review`` and the web workbench (ARCHITECTURE.md: a renderer lives beside
the code whose result it renders). Pure functions over a message, its source text and the
findings; the only file access is :func:`origins`, which re-reads the message file to map
positions from the text into the file (``source=`` skips the read).
"""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path


def _child(node, key: str):  # noqa: ANN001, ANN202
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _source(path: Path, source: str | None) -> str:
    if source is not None:
        return unicodedata.normalize("NFC", source)
    return unicodedata.normalize("NFC", Path(path).read_text(encoding="utf-8-sig"))


def origins(path: Path, msg, source: str | None = None) -> dict[str, tuple[int, int] | None]:  # noqa: ANN001
    """Per reviewed field, the (line, column) offsets that map its positions into the file (None: unmappable).

    ``source`` is the message file's text when the caller already has it (the web app); else it is read.
    """
    path = Path(path)
    out: dict[str, tuple[int, int] | None] = {"text": text_origin(path, msg.text, source)}
    if path.suffix.lower() == ".txt":
        return out
    import yaml

    try:
        raw = _source(path, source)
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return out
    leaflet = _child(root, "leaflet")
    if msg.leaflet.headline:
        out["leaflet.headline"] = _scalar_origin(raw, _child(leaflet, "headline"), msg.leaflet.headline)
    steps = _child(leaflet, "steps")
    for i, step in enumerate(msg.leaflet.steps or []):
        node = steps.value[i] if isinstance(steps, yaml.SequenceNode) and i < len(steps.value) else None
        out[f"leaflet.steps[{i}]"] = _scalar_origin(raw, node, step)
    return out


def _scalar_origin(raw: str, node, text: str) -> tuple[int, int] | None:  # noqa: ANN001
    import yaml

    if not isinstance(node, yaml.ScalarNode) or "\n" in text:
        return None
    ln = node.start_mark.line
    col = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
    lines = raw.split("\n")
    if ln < len(lines) and lines[ln][col:col + len(text)] == text:
        return (ln, col)
    return None


def text_origin(path: Path, text: str, source: str | None = None) -> tuple[int, int] | None:
    """(line offset, column offset) that map text line/col to file line/col, or None if they cannot be mapped.

    For ``text: |`` the content starts on the line after the key, indented; we verify
    that every text line appears verbatim at that place in the file before trusting it.
    """
    if Path(path).suffix.lower() == ".txt":
        return (0, 0)
    import yaml

    try:
        raw = _source(path, source)
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    node = _child(root, "text")
    if not isinstance(node, yaml.ScalarNode):
        return None
    file_lines = raw.split("\n")
    tlines = text.split("\n")
    if node.style == "|":
        first = node.start_mark.line + 1  # 0-based file line of the first content line
        indent = None
        for ln in file_lines[first:]:
            if ln.strip():
                indent = len(ln) - len(ln.lstrip(" "))
                break
        if indent is None:
            return None
        for i, tl in enumerate(tlines):
            fl = file_lines[first + i] if first + i < len(file_lines) else ""
            if fl[indent:].rstrip() != tl.rstrip() and not (not tl.strip() and not fl.strip()):
                return None
        return (first, indent)
    if node.style in (None, "", "'", '"') and len(tlines) == 1:
        ln = node.start_mark.line
        col = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
        if file_lines[ln][col:col + len(text)] == text:
            return (ln, col)
    return None


def format_finding(path: str, f, origins: dict) -> str:  # noqa: ANN001
    """One linter line: ``FILE:LINE:COL: SEVERITY id: [field] text — why (fix: ...)``."""
    line, col = place(f, origins)
    fix = f" (fix: {f.fix})" if f.fix else ""
    where = "" if f.field == "text" or origins.get(f.field) is not None else f" [{f.field}]"
    return f"{path}:{line}:{col}: {f.severity} {f.id}:{where} {f.text} — {f.why}{fix}"


def place(f, origins: dict) -> tuple[int, int]:  # noqa: ANN001
    origin = origins.get(f.field)
    if origin is None:
        return f.line, f.col
    return f.line + origin[0], f.col + origin[1]


def list_rules() -> str:
    from meari.review.registry import all_checks

    rows = [f"{c.id:28} {c.severity:8} {c.summary}" for c in all_checks()]
    return "\n".join(rows)


def text_lines(path: str, result, orig: dict) -> list[str]:  # noqa: ANN001
    """The linter lines for every finding (stdout of ``meari review``)."""
    return [format_finding(path, f, orig) for f in result.findings]


def summary_line(path: str, result) -> str:  # noqa: ANN001
    """``FILE: N error(s), N warning(s), N info`` (stderr of ``meari review``)."""
    s = result.summary()
    return f"{path}: {s['errors']} error(s), {s['warnings']} warning(s), {s['info']} info"


def to_json(path: str, result, orig: dict) -> dict:  # noqa: ANN001
    """The ``meari review --json`` document."""
    out = {
        "file": str(path),
        "positions": "file" if orig["text"] is not None else "text",
        "findings": [],
        "summary": result.summary(),
    }
    for f in result.findings:
        line, col = place(f, orig)
        out["findings"].append({"id": f.id, "severity": f.severity, "line": line, "col": col, "text": f.text,
                                "why": f.why, "fix": f.fix, "field": f.field,
                                "positions": "file" if orig.get(f.field) is not None else "field",
                                "text_line": f.line, "text_col": f.col, "start": f.start, "end": f.end})
    return out


def render_html(path: str, text: str, findings: list) -> str:
    """A standalone page: the text with findings highlighted, then the list. Everything escaped."""
    colours = {"error": "#f8c4c4", "warning": "#fbe7a1", "info": "#d7e8fb"}
    marks = sorted((f for f in findings if f.field == "text" and 0 <= f.start < f.end), key=lambda f: (f.start, -f.end))
    parts = []
    pos = 0
    for i, f in enumerate(marks):
        if f.start < pos:
            continue  # overlapping finding: listed below, highlighted once
        parts.append(html.escape(text[pos:f.start]))
        parts.append(
            f'<mark style="background:{colours.get(f.severity, "#eee")}" title="{html.escape(f.id)}">'
            f'{html.escape(text[f.start:f.end])}<sup><a href="#f{i}">{i + 1}</a></sup></mark>'
        )
        pos = f.end
    parts.append(html.escape(text[pos:]))
    idx = {id(f): i for i, f in enumerate(marks)}
    rows = []
    for f in findings:
        i = idx.get(id(f))
        anchor = f' id="f{i}"' if i is not None else ""
        num = str(i + 1) if i is not None else ""
        rows.append(
            f"<tr{anchor}><td>{num}</td><td>{html.escape(f.field)} {f.line}:{f.col}</td>"
            f"<td class='{html.escape(f.severity)}'>"
            f"{html.escape(f.severity)}</td><td><code>{html.escape(f.id)}</code></td><td>{html.escape(f.text)}</td>"
            f"<td>{html.escape(f.why)}</td><td>{html.escape(f.fix)}</td></tr>"
        )
    errors = sum(f.severity == "error" for f in findings)
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
        f"<title>meari review: {html.escape(path)}</title><style>"
        "body{font-family:'Noto Sans KR',sans-serif;max-width:60em;margin:2em auto;line-height:1.6}"
        "pre{white-space:pre-wrap;font-size:1.15em;border:1px solid #ccc;padding:1em}"
        "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}"
        ".error{color:#a00;font-weight:bold}.warning{color:#960}.info{color:#036}"
        "</style></head><body>"
        f"<h1>meari review</h1><p>{html.escape(path)}: {errors} error(s), {len(findings)} finding(s); "
        "line:col relative to the message text (or to the leaflet field named).</p>"
        f"<pre>{''.join(parts)}</pre>"
        "<table><tr><th>#</th><th>where</th><th>severity</th><th>rule</th><th>text</th><th>why</th><th>fix</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
