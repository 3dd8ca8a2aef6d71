"""The ``meari`` command: a thin dispatcher over ``meari.commands.*``.

Each sub-command lives in its own module under ``meari/commands/`` (one writer
per module) exposing ``register(subparsers)`` which sets ``func`` on its parser.
Modules are imported here, but each imports its heavy packages (MeCab,
reportlab, numpy) only inside ``func`` so ``meari --help`` starts fast.

Exit status: 0 ok, 1 findings/errors reported by the command itself (e.g. review
errors), 2 unusable input (printed as ``meari: WHERE: PROBLEM``, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from meari import __version__
from meari.errors import MeariError

# Order = order in --help.
COMMANDS = ["lang", "review", "leaflet", "audio", "range", "drift", "phrase", "cards", "read",
            "serve", "users", "audit", "pretest"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meari",
        description="meari (메아리): truthful surrender appeals in North Korean Korean, offline.",
    )
    parser.add_argument("--version", action="version", version=f"meari {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f"meari.commands.{name}")
        except ModuleNotFoundError as e:  # a command still being built must not break the others
            if e.name == f"meari.commands.{name}":
                continue
            raise
        mod.register(sub)
    for p in [parser, *sub.choices.values()]:
        # A value that starts with a minus and a digit is a value, not an option: `--release -95,10`,
        # `--at -1` (rejected with its own message), `--target -14`. No meari option looks like -1.
        p._negative_number_matcher = re.compile(r"^-\.?\d")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from meari.outputs import guard_stdout

    try:
        with guard_stdout():
            return int(args.func(args) or 0)
    except MeariError as e:
        print(f"meari: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:
        # The last net for the surroundings (an unreadable cache, a vanished file): an OSError is never
        # the user's bug in meari, so it gets the one-line form, not a traceback.
        where = e.filename if e.filename is not None else "meari"
        print(f"meari: {where}: {e.strerror or e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
