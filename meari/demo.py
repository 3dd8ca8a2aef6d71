"""``make demo``: run every stage on the bundled example and write ``out/demo/``.

Each command module may define ``demo(message_path, outdir) -> list[Path]``;
this runner calls them in the CLI's order, so a new stage joins the demo by
defining that function, without editing this file.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from meari.cli import COMMANDS
from meari.errors import MeariError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "appeal.yaml"


def run(outdir: Path, example: Path = EXAMPLE) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"meari.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"meari.commands.{name}":
                continue
            raise
        fn = getattr(mod, "demo", None)
        if fn is None:
            continue
        print(f"demo: {name} ...", flush=True)
        for p in fn(example, outdir):
            print(f"  wrote {p}")
            written.append(Path(p))
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0]) if args else Path("out/demo")
    try:
        run(outdir)
    except MeariError as e:
        print(f"meari demo: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
