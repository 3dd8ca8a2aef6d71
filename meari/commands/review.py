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
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "review",
        help="check a message for IHL, truthfulness, vocabulary, spelling, readability and broadcast problems",
        description="Check a message file (YAML, or .txt with defaults) and print findings like a linter. "
        "Exit 1 when any error is found, 0 otherwise, 2 for unusable input.",
    )
    p.add_argument("file", nargs="?", help="message file (.yaml or .txt)")
    p.add_argument("--sponsor", metavar="NAME",
                   help="who the product is attributed to, for a message that does not name one (a .txt)")
    p.add_argument("--json", action="store_true", help="print findings and a summary as JSON")
    p.add_argument("--list-rules", action="store_true", help="print the rule catalogue and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from meari.errors import MeariError
    from meari.review import render

    if args.list_rules:
        print(render.list_rules())
        return 0
    if not args.file:
        raise MeariError("give a message file to review (or --list-rules)", "meari review")
    from meari.message import load_message, with_sponsor
    from meari.review import review

    path = Path(args.file)
    msg = with_sponsor(load_message(path), args.sponsor)
    try:
        result = review(msg)
    except MeariError as e:
        raise MeariError(e.problem, f"{path}: {e.where}" if e.where else str(path)) from None
    orig = render.origins(path, msg)
    if args.json:
        json.dump(render.to_json(str(path), result, orig), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if orig["text"] is None:
            print(f"# {path}: line:col are relative to the message text", file=sys.stderr)
        for line in render.text_lines(str(path), result, orig):
            print(line)
        print(render.summary_line(str(path), result), file=sys.stderr)
    return 1 if result.has_errors else 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Write ``review.txt`` (linter output) and ``review.html`` (highlighted text) for the demo message."""
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    from meari.atomic import write_text
    from meari.message import load_message
    from meari.review import render, review

    msg = load_message(message_path)
    result = review(msg)
    orig = render.origins(Path(message_path), msg)
    lines = render.text_lines(str(message_path), result, orig)
    lines.append(render.summary_line(str(message_path), result))
    txt = Path(outdir) / "review.txt"
    page = Path(outdir) / "review.html"
    write_text(txt, "\n".join(lines) + "\n")
    write_text(page, render.render_html(str(message_path), msg.text, result.findings))
    return [txt, page]
