"""``meari pretest import|form``: offline pretest ratings (printed or spreadsheet form, as CSV).

    meari pretest form --pretest ID [-o FILE] [--data DIR]        the blank form (one row per rater and dimension)
    meari pretest import FILE --pretest ID [--as NAME] [--data DIR]
        import a filled-in form: the whole file or nothing; a mistake names its row (exit 2)

The import is done as the analyst ``--as NAME`` (default ``$MEARI_USER``, else the analyst who opened the
pretest); the same rule as in the workbench applies (an analyst of the campaign; the pretest's version must
still be the latest) and the ratings go to the audit ledger in the same transaction.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pretest", type=int, required=True, metavar="ID", help="pretest id (shown on its page)")
    p.add_argument("--data", type=Path, metavar="DIR", help="data directory (default $MEARI_DATA or ./meari-data)")
    p.add_argument("--database-url", metavar="URL", help="PostgreSQL URL (default $MEARI_DATABASE_URL)")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("pretest", help="import offline pretest ratings (CSV) or print the blank form",
                              description="Pretest ratings entered on paper or in a spreadsheet.")
    sub = p.add_subparsers(dest="pretest_command", metavar="ACTION")
    i = sub.add_parser("import", help="import a filled-in ratings CSV (all rows or none)")
    i.add_argument("file", type=Path, help="CSV: rater,dimension,score,comment")
    _store_args(i)
    i.add_argument("--as", dest="as_user", metavar="NAME", help="analyst doing the import (default $MEARI_USER, "
                   "else the analyst who opened the pretest)")
    i.set_defaults(func=run_import)
    f = sub.add_parser("form", help="write the blank CSV form for a pretest")
    _store_args(f)
    f.add_argument("-o", "--output", type=Path, metavar="FILE", help="file (default: stdout)")
    f.set_defaults(func=run_form)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _open(args: argparse.Namespace):  # noqa: ANN202
    from meari.campaign.db import data_dir, database_url
    from meari.campaign.setup import configure
    from meari.errors import MeariError

    d = data_dir(args.data)
    if not database_url(args.database_url) and not (d / "meari.sqlite3").is_file():
        raise MeariError("no workbench database here (meari.sqlite3 is missing)", str(d))
    configure(d, args.database_url)
    from meari.campaign.research.models import Pretest

    p = Pretest.objects.select_related("campaign", "version__message", "created_by").filter(pk=args.pretest).first()
    if p is None:
        raise MeariError(f"no pretest {args.pretest}", "--pretest")
    return p


def run_import(args: argparse.Namespace) -> int:
    from meari.errors import MeariError

    try:
        data = args.file.read_bytes()
    except OSError as e:
        raise MeariError(f"cannot read: {e.strerror or e}", str(args.file)) from None
    p = _open(args)
    from django.contrib.auth import get_user_model

    from meari.campaign.research import workflow
    from meari.campaign.workflow import Denied
    name = args.as_user or os.environ.get("MEARI_USER")
    user = get_user_model().objects.filter(username=name).first() if name else p.created_by
    if user is None:
        raise MeariError(f"no user {name}", "--as")
    try:
        out = workflow.import_ratings_csv(user, p, data)
    except Denied as e:
        raise MeariError(e.reason, f"pretest {p.id}") from None
    except MeariError as e:
        raise MeariError(e.problem, str(args.file)) from None
    print(f"imported {len(out)} ratings into pretest {p.id} ({p.version.message.title or 'message'} "
          f"v{p.version.number}) as {user.get_username()}")
    return 0


def run_form(args: argparse.Namespace) -> int:
    from meari.errors import MeariError

    p = _open(args)
    from meari.campaign.research import csvform

    text = csvform.blank_form(
        [r.code for r in p.campaign.raters.order_by("code")],
        header_note=f"pretest {p.id}: {p.version.message.title or 'message'} v{p.version.number} "
                    f"sha256 {p.version.sha256[:12]}")
    if args.output:
        from meari.atomic import write_text

        try:
            write_text(args.output, text)
        except OSError as e:
            raise MeariError(f"cannot write: {e.strerror or e}", str(args.output)) from None
    else:
        sys.stdout.write(text)
    return 0
