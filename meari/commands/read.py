"""``meari read``: a captured North Korean text beside its South Korean reading, with glosses.

    meari read FILE [--html OUT.html] [--quiet]
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "read",
        help="show a captured North Korean text with its South Korean reading and glosses",
        description="Each line of a note, diary or order in North Korean spelling, beside its South Korean "
        "reading (the converter's, every change explained) and a gloss of every North-specific word the "
        "dictionaries mark (NK-HanDic &북한어). Text to stdout; --html writes a page.",
    )
    p.add_argument("file", type=Path, help="UTF-8 text file ('-' for standard input)")
    p.add_argument("--html", type=Path, metavar="OUT", help="also write an HTML page")
    p.add_argument("--quiet", action="store_true", help="with --html: do not print the text reading")
    p.set_defaults(func=run)


def _read_input(path: Path) -> str:
    import sys

    from meari.errors import MeariError
    from meari.inputs import read_input
    from meari.phrase.read import MAX_CHARS

    if str(path) == "-":
        raw = sys.stdin.buffer.read(MAX_CHARS * 4 + 1)
    else:
        raw = read_input(path, "text file", max_bytes=MAX_CHARS * 4)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise MeariError(f"not UTF-8 (byte {e.start})", str(path)) from None


def run(args: argparse.Namespace) -> int:
    from meari.atomic import write_text
    from meari.errors import MeariError
    from meari.phrase.read import read_text, render_html, render_text

    if args.html is not None and args.html.is_dir():
        raise MeariError("is a directory; give a file name ending in .html", str(args.html))
    text = _read_input(args.file)
    if not text.strip():
        raise MeariError("the file is empty", str(args.file))
    r = read_text(text, str(args.file))
    if args.html is not None:
        write_text(args.html, render_html(r, f"meari read: {args.file.name}"))
    if not (args.quiet and args.html is not None):
        print(render_text(r), end="")
    if args.html is not None:
        print(f"wrote {args.html}")
    return 0


SAMPLE = """로동자들은 직승기를 보았다.
우리 분대는 땅크 2대와 직승기를 보았다.
안해와 아이들에게 편지를 쓸수 없었다.
"""


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """A short diary-like sample read into HTML and text."""
    from meari.atomic import write_text
    from meari.phrase.read import read_text, render_html, render_text

    r = read_text(SAMPLE, "sample")
    out = [outdir / "read-sample.html", outdir / "read-sample.txt"]
    write_text(out[0], render_html(r, "meari read: sample captured note"))
    write_text(out[1], render_text(r))
    return out
