"""``meari cards``: duplex pocket cards of the interpreter phrasebook (argument parsing and I/O only).

    meari cards -o cards.pdf [--module M ...] [--size A6|85x55] [--reader uk|ru|en] [--png DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "cards",
        help="pocket cards (duplex PDF) of the interpreter phrasebook, with answer aids on the back",
        description="Front: one phrase per row (North Korean large, the reader's language, the Cyrillic "
        "transcription, pictogram). Back: what the prisoner can point at (예 / 아니요, digits, calendar, "
        "body outline, choices). Print duplex, flip on the long edge. Translations are unchecked drafts.",
    )
    p.add_argument("-o", "--output", type=Path, help="output PDF")
    p.add_argument("--module", action="append", metavar="M", help="only this module (repeatable)")
    p.add_argument("--size", default="A6", help="A6 (105x148 mm, default) or 85x55 (credit-card size)")
    p.add_argument("--reader", default="uk", choices=["uk", "ru", "en"], help="the captor's language (default uk)")
    p.add_argument("--png", type=Path, metavar="DIR", help="also write PNG previews of the first card into DIR")
    p.add_argument("--phrasebook", type=Path, metavar="DIR", help="phrasebook directory (default: the shipped one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from meari.commands.phrase import _entries
    from meari.errors import MeariError
    from meari.phrase.load import load_phrasebook
    from meari.produce.cards.pdf import SIZES, write_cards

    if args.output is None:
        raise MeariError("give the output PDF with -o OUT.pdf", "meari cards")
    if args.output.suffix.lower() != ".pdf":
        raise MeariError("output must end in .pdf", str(args.output))
    if args.size not in SIZES:
        raise MeariError(f"unknown card size {args.size!r}; use {' or '.join(SIZES)}", "--size")
    if args.png is not None and args.png.exists() and not args.png.is_dir():
        raise MeariError("is not a directory", str(args.png))
    book = load_phrasebook(args.phrasebook)
    entries = _entries(book, args.module)
    res = write_cards(book, entries, args.output, args.size, args.reader)
    print(f"wrote {res.path} ({res.phrases} phrases on {res.cards} cards, {res.pages} pages, {res.size}, "
          f"reader {res.reader}; print duplex, flip on the long edge)")
    if args.png:
        args.png.mkdir(parents=True, exist_ok=True)  # documented: --png DIR is created
        for p in previews(res.path, args.png):
            print(f"wrote {p}")
    print("warning: translations are drafts written by the project: see docs/interpreter.md before use")
    return 0


def previews(pdf: Path, outdir: Path, dpi: int = 200) -> list[Path]:
    """Front and back of the first card as PNG (rasterised from the PDF itself)."""
    from meari.produce.leaflet.preview import write_previews

    return write_previews(pdf, outdir, pdf.stem, dpi=dpi)


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """A6 cards (Ukrainian reader) and credit-card size (Russian reader), with previews."""
    from meari.phrase.load import load_phrasebook
    from meari.produce.cards.pdf import write_cards

    book = load_phrasebook()
    out: list[Path] = []
    a6 = write_cards(book, book.phrases, outdir / "cards-A6-uk.pdf", "A6", "uk").path
    small = write_cards(book, book.phrases, outdir / "cards-85x55-ru.pdf", "85x55", "ru").path
    out += [a6, small]
    out += previews(a6, outdir)
    out += previews(small, outdir)
    return out
