"""``meari leaflet``: print-ready leaflets and safe-conduct passes (argument parsing and I/O only).

    meari leaflet MESSAGE.yaml -o OUT.pdf [--template appeal|safe-conduct|instructions]
          [--size 6x3|A6|A5|WxH] [--png DIR] [--impose A4|SRA3] [--count N] [--serial N] [--force]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: Most leaflets in one PDF. Each leaflet is two pages (~1.5 kB each in the file, ~20 kB of memory
#: while the PDF is built), so 20,000 leaflets = 40,000 pages, ~30 MB, ~0.5 GB memory, ~25 s here.
#: A larger run is split into files with --serial (e.g. --serial 20000 for the second file).
MAX_COUNT = 20_000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "leaflet",
        help="lay out a two-sided print-ready leaflet PDF (appeal, safe-conduct pass, instructions)",
        description="Lay out a two-sided leaflet with bleed, crop marks and embedded Korean fonts. "
        "Text drafted in South Korean for a North Korean audience is converted first; a message whose "
        "review has errors is refused unless --force (then every side is stamped NOT APPROVED).",
    )
    p.add_argument("message", type=Path, nargs="?", help="message file (.yaml, or .txt holding only the text)")
    p.add_argument("-o", "--output", type=Path, help="output PDF (two pages per leaflet: front, back)")
    p.add_argument("--template", help="appeal | safe-conduct | instructions | path/to/template.yaml "
                   "(default: the message's leaflet.template, else appeal)")
    p.add_argument("--size", help="6x3 (152x76 mm, doctrinal), A6, A5, or WxH in mm such as 120x80 "
                   "(default: the message's leaflet.size)")
    p.add_argument("--png", type=Path, metavar="DIR",
                   help="also write a preview PNG of each side into DIR (created if missing)")
    p.add_argument("--impose", metavar="SHEET", help="also write an n-up duplex sheet PDF: A4, A3 or SRA3")
    p.add_argument("--impose-output", type=Path, metavar="PDF",
                   help="where the imposed sheet goes (default: OUT-<SHEET>.pdf beside OUT)")
    p.add_argument("--gutter", type=float, metavar="MM",
                   help="space between copies on the sheet (default 6 = 2 x bleed; 0 = shared cuts)")
    p.add_argument("--count", type=int, default=1, metavar="N",
                   help="number of leaflets with consecutive serials (default 1; with --impose, the sheet "
                   f"holds N copies rounded up to whole sheets, default one full sheet; at most {MAX_COUNT:,} "
                   "per file: split a larger run with --serial)")
    p.add_argument("--serial", type=int, metavar="N", help="first serial number (default: leaflet.serial_start)")
    p.add_argument("--icc", type=Path, metavar="FILE",
                   help="the print shop's CMYK ICC profile: written into the PDF as its output intent "
                   "(PDF/X-4 style /OutputIntents, profile embedded)")
    p.add_argument("--sponsor", metavar="NAME",
                   help="who the product is attributed to, for a message that does not name one (a .txt)")
    p.add_argument("--force", action="store_true",
                   help="build even if review finds errors; stamps every side NOT APPROVED")
    p.add_argument("--list-templates", action="store_true", help="list the templates and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from meari import outputs
    from meari.errors import MeariError
    from meari.message import load_message, with_sponsor
    from meari.produce import leaflet as lf

    if args.list_templates:
        for name in lf.list_templates():
            print(f"{name:14s} {lf.load_template(name).summary}")
        return 0
    if args.message is None:
        raise MeariError("a message file is required", "meari leaflet")
    if args.output is None:
        raise MeariError("give the output PDF with -o OUT.pdf", "meari leaflet")
    outputs.check_suffix(args.output, (".pdf",), "the leaflet", "-o")
    if str(args.output) == outputs.STDOUT and (args.png or args.impose):
        raise MeariError("--png and --impose name their files after OUT: give -o a file name, not -", "-o")
    if args.count < 1:
        raise MeariError("must be at least 1", "--count")
    if args.count > MAX_COUNT:
        raise MeariError(f"{args.count:,} leaflets in one PDF is more than the limit of {MAX_COUNT:,} "
                         f"(~{MAX_COUNT * 1.5 / 1000:.0f} MB, ~0.5 GB of memory to build); split the run into "
                         f"files with --serial, e.g. --count {MAX_COUNT} --serial {MAX_COUNT}", "--count")
    if args.serial is not None and args.serial < 0:
        raise MeariError("must be 0 or more", "--serial")
    if args.impose_output is not None:
        outputs.check_suffix(args.impose_output, (".pdf",), "the imposed sheet", "--impose-output")
    if args.png is not None and args.png.exists() and not args.png.is_dir():
        raise MeariError("is not a directory", str(args.png))
    # Check every output place before the (slow) build: a bad place fails fast and writes nothing.
    outputs.resolve(args.output)
    if args.impose_output is not None:
        outputs.resolve(args.impose_output)
    message = with_sponsor(load_message(args.message), args.sponsor)
    prep = lf.prepare(message, template=args.template, size=args.size, force=args.force,
                      serial_start=args.serial, where=str(args.message), icc=args.icc)
    grid = None
    if args.impose:  # check the sheet before writing anything
        from meari.produce.leaflet import impose

        grid = impose.plan(args.impose, prep.size, args.gutter)
    report: list[str] = []
    # All or nothing: the PDF, the previews and the imposed sheet are staged and renamed together.
    with outputs.transaction() as txn:
        out = lf.write_pdf(prep, args.output, count=args.count)
        report.append(f"wrote {out} ({prep.template.id}, {prep.size.name}, {args.count} leaflet(s), "
                      f"{2 * args.count} pages)")
        if args.png:
            outputs.ensure_dir(args.png)
            for p in lf.write_previews(txn.staged(out), args.png, out.stem):
                report.append(f"wrote {p}")
        if grid is not None:
            imp = args.impose_output or out.with_name(f"{out.stem}-{grid.sheet_name}.pdf")
            n = args.count if args.count > 1 else grid.n_up
            lf.write_imposed(prep, imp, grid.sheet_name, count=n, gutter_mm=args.gutter)
            sheets = -(-n // grid.n_up)
            report.append(f"wrote {imp} ({grid.n_up}-up on {grid.sheet_name}, {sheets} sheet(s), "
                          "fronts/backs for long-edge duplex)")
    say = sys.stderr if str(args.output) == outputs.STDOUT else sys.stdout  # keep a PDF on stdout clean
    for line in report:
        print(line, file=say)
    if not prep.approved:
        print("warning: review found errors; every side is stamped NOT APPROVED", file=say)
    if prep.legal_note:
        print(f"warning: {prep.legal_note} (see `meari review`; the legal sign-off must resolve them)", file=say)
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Appeal leaflet, safe-conduct pass, instructions leaflet, previews and an imposed A4 sheet."""
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    from meari.errors import MeariError
    from meari.message import load_message
    from meari.produce import leaflet as lf

    message = load_message(message_path)
    written: list[Path] = []
    force = False
    for template in ("appeal", "safe-conduct", "instructions"):
        try:
            prep = lf.prepare(message, template=template, force=force, where=str(message_path))
        except MeariError as e:
            if "review found" not in e.problem:
                raise
            # The demo shows the products even for a message that fails review, visibly stamped.
            print(f"  note: {e.problem.split(';')[0]}; leaflets are stamped NOT APPROVED")
            force = True
            prep = lf.prepare(message, template=template, force=True, where=str(message_path))
        pdf = lf.write_pdf(prep, outdir / f"leaflet-{template}.pdf")
        written.append(pdf)
        written.extend(lf.write_previews(pdf, outdir, pdf.stem))
        if template == "appeal":
            written.append(lf.write_imposed(prep, outdir / "leaflet-appeal-A4.pdf", "A4"))
    return written
