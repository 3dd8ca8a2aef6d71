"""``meari review FILE``: check a message like a linter.

Prints ``FILE:LINE:COL: SEVERITY rule-id: offending text — why (fix: ...)``.
LINE:COL point into the message *file* when the text is a YAML block scalar
(``text: |``) or a one-line scalar whose lines can be located verbatim; for
``.txt`` files the text is the file. Otherwise (folded ``>`` blocks, escapes)
they are relative to the text and the header line says so.
Exit status: 1 when any error is found, 0 otherwise, 2 for unusable input.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import unicodedata
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "review",
        help="check a message for IHL, truthfulness, vocabulary, spelling, readability and broadcast problems",
        description="Check a message file (YAML, or .txt with defaults) and print findings like a linter. "
        "Exit 1 when any error is found, 0 otherwise, 2 for unusable input.",
    )
    p.add_argument("file", nargs="?", help="message file (.yaml or .txt)")
    p.add_argument("--json", action="store_true", help="print findings and a summary as JSON")
    p.add_argument("--list-rules", action="store_true", help="print the rule catalogue and exit")
    p.set_defaults(func=run)


def _child(node, key: str):  # noqa: ANN001, ANN202
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def origins(path: Path, msg) -> dict[str, tuple[int, int] | None]:  # noqa: ANN001
    """Per reviewed field, the (line, column) offsets that map its positions into the file (None: unmappable)."""
    out: dict[str, tuple[int, int] | None] = {"text": text_origin(path, msg.text)}
    if path.suffix.lower() == ".txt":
        return out
    import yaml

    try:
        raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
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


def text_origin(path: Path, text: str) -> tuple[int, int] | None:
    """(line offset, column offset) that map text line/col to file line/col, or None if they cannot be mapped.

    For ``text: |`` the content starts on the line after the key, indented; we verify
    that every text line appears verbatim at that place in the file before trusting it.
    """
    if path.suffix.lower() == ".txt":
        return (0, 0)
    import yaml

    try:
        raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
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


def _fmt(path: str, f, origins: dict) -> str:  # noqa: ANN001
    line, col = _place(f, origins)
    fix = f" (fix: {f.fix})" if f.fix else ""
    where = "" if f.field == "text" or origins.get(f.field) is not None else f" [{f.field}]"
    return f"{path}:{line}:{col}: {f.severity} {f.id}:{where} {f.text} — {f.why}{fix}"


def _place(f, origins: dict) -> tuple[int, int]:  # noqa: ANN001
    origin = origins.get(f.field)
    if origin is None:
        return f.line, f.col
    return f.line + origin[0], f.col + origin[1]


def list_rules() -> str:
    from meari.review.registry import all_checks

    rows = [f"{c.id:28} {c.severity:8} {c.summary}" for c in all_checks()]
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    from meari.errors import MeariError

    if args.list_rules:
        print(list_rules())
        return 0
    if not args.file:
        raise MeariError("give a message file to review (or --list-rules)", "meari review")
    from meari.message import load_message
    from meari.review import review

    path = Path(args.file)
    msg = load_message(path)
    try:
        result = review(msg)
    except MeariError as e:
        raise MeariError(e.problem, f"{path}: {e.where}" if e.where else str(path)) from None
    orig = origins(path, msg)
    if args.json:
        out = {
            "file": str(path),
            "positions": "file" if orig["text"] is not None else "text",
            "findings": [],
            "summary": result.summary(),
        }
        for f in result.findings:
            line, col = _place(f, orig)
            out["findings"].append({"id": f.id, "severity": f.severity, "line": line, "col": col, "text": f.text,
                                    "why": f.why, "fix": f.fix, "field": f.field,
                                    "positions": "file" if orig.get(f.field) is not None else "field",
                                    "text_line": f.line, "text_col": f.col, "start": f.start, "end": f.end})
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if orig["text"] is None:
            print(f"# {path}: line:col are relative to the message text", file=sys.stderr)
        for f in result.findings:
            print(_fmt(str(path), f, orig))
        s = result.summary()
        print(f"{path}: {s['errors']} error(s), {s['warnings']} warning(s), {s['info']} info", file=sys.stderr)
    return 1 if result.has_errors else 0


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


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Write ``review.txt`` (linter output) and ``review.html`` (highlighted text) for the demo message."""
    from meari.atomic import write_text
    from meari.message import load_message
    from meari.review import review

    msg = load_message(message_path)
    result = review(msg)
    orig = origins(Path(message_path), msg)
    lines = [_fmt(str(message_path), f, orig) for f in result.findings]
    s = result.summary()
    lines.append(f"{message_path}: {s['errors']} error(s), {s['warnings']} warning(s), {s['info']} info")
    txt = Path(outdir) / "review.txt"
    page = Path(outdir) / "review.html"
    write_text(txt, "\n".join(lines) + "\n")
    write_text(page, render_html(str(message_path), msg.text, result.findings))
    return [txt, page]
