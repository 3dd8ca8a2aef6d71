"""``meari nk`` and ``meari sk``: Unix filters over the converter.

stdin -> stdout (or FILE... -> stdout, or ``-o OUT``), N lines in = N lines out,
blank lines kept, streamed line by line so multi-megabyte files use constant
memory. ``--explain`` prints each edit to stderr (so stdout stays the text);
``--json`` prints one JSON object per input line instead of the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from meari.errors import MeariError


def register(sub: argparse._SubParsersAction) -> None:
    for name, direction, helptext in (
        ("nk", "sk2nk", "convert South Korean standard text to North Korean standard (Munhwaŏ)"),
        ("sk", "nk2sk", "convert North Korean standard text to South Korean standard"),
    ):
        p = sub.add_parser(name, help=helptext, description=helptext + ". Reads stdin when no FILE is given.")
        p.add_argument("files", nargs="*", metavar="FILE", help="input files (UTF-8); default or '-': stdin")
        p.add_argument("-o", "--output", metavar="OUT",
                       help="write the converted text here (staged, then renamed; '-' = stdout)")
        p.add_argument("--explain", action="store_true", help="print every edit (line:col rule before → after why)")
        p.add_argument("--json", action="store_true", help="print JSON lines: {line, text, edits} per input line")
        p.set_defaults(func=run, direction=direction)


def _read_lines(fh: IO[bytes], where: str) -> Iterator[str]:
    for lineno, raw in enumerate(fh, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise MeariError(f"invalid UTF-8 at line {lineno}, byte {e.start + 1} of the line", where) from None
        if lineno == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield text[:-1] if text.endswith("\n") else text


def _sources(files: list[str]) -> Iterator[tuple[str, Iterator[str], bool]]:
    """Yield (name, lines, ends_with_newline) per input."""
    if not files:
        data = sys.stdin.buffer
        yield "<stdin>", _read_lines(data, "<stdin>"), True
        return
    for f in files:
        if f == "-":  # the usual name for standard input
            yield "<stdin>", _read_lines(sys.stdin.buffer, "<stdin>"), True
            continue
        p = Path(f)
        if not p.is_file():
            raise MeariError("no such file" if not p.exists() else "not a regular file", f)
        with open(p, "rb") as fh:
            yield f, _read_lines(fh, f), True


def run(args: argparse.Namespace) -> int:
    from meari.lang.convert import convert_lines
    from meari.lang.report import explain_lines

    out_fh: IO[str]
    if args.output:
        from meari.atomic import atomic_open

        cm = atomic_open(args.output, "w")
    else:
        import contextlib

        cm = contextlib.nullcontext(sys.stdout)
    n_edits = 0
    with cm as out_fh:
        for where, lines, _ in _sources(args.files):
            for new, edits in convert_lines(lines, args.direction, where):
                n_edits += len(edits)
                if args.json:
                    out_fh.write(json.dumps({"line": edits[0].line if edits else None, "text": new,
                                             "edits": [e.to_dict() for e in edits]}, ensure_ascii=False) + "\n")
                else:
                    out_fh.write(new + "\n")
                if args.explain and edits:
                    for text in explain_lines(where, new, edits):
                        print(text, file=sys.stderr)
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Convert the demo message to North Korean standard; write the text, the edits (JSON) and an HTML page."""
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    import json as _json

    from meari.atomic import write_text
    from meari.lang.convert import to_nk
    from meari.lang.report import conversion_html
    from meari.message import load_message

    msg = load_message(message_path)
    conv = to_nk(msg.text)
    out = [outdir / "appeal.nk.txt", outdir / "conversion.json", outdir / "conversion.html"]
    write_text(out[0], conv.text)
    write_text(out[1], _json.dumps(conv.to_dict(), ensure_ascii=False, indent=2) + "\n")
    write_text(out[2], conversion_html(msg.text, conv, "meari: demo appeal, South → North Korean standard"))
    return out
