"""``meari users add NAME --role ROLE [--campaign SLUG] [--data DIR]`` and ``meari users list``.

Set-up without a browser. The password is read from stdin (one line; a terminal is asked without echo);
it is hashed with Argon2. Honours ``MEARI_DATABASE_URL``. Every user and role change goes to the ledger.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROLES = ("admin", "writer", "linguist", "legal", "approver", "operator", "analyst")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("users", help="add and list workbench users (password on stdin)",
                              description="Workbench users and their roles in campaigns. Storage: SQLite in "
                              "--data DIR (default $MEARI_DATA or ./meari-data), or $MEARI_DATABASE_URL.")
    sub = p.add_subparsers(dest="users_command", metavar="ACTION")
    a = sub.add_parser("add", help="create a user or give an existing one a role (password on stdin)")
    a.add_argument("name", help="user name (no spaces)")
    a.add_argument("--role", required=True, choices=ROLES, help="role in the campaign (admin without "
                   "--campaign = global admin)")
    a.add_argument("--campaign", metavar="SLUG", help="campaign the role is in (created if new)")
    a.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    a.add_argument("--database-url", metavar="URL", help="PostgreSQL URL (default $MEARI_DATABASE_URL)")
    a.set_defaults(func=run_add)
    r = sub.add_parser("remove-role", help="take a role away from a user")
    r.add_argument("name")
    r.add_argument("--role", required=True, choices=ROLES)
    r.add_argument("--campaign", metavar="SLUG")
    r.add_argument("--data", type=Path, metavar="DIR")
    r.add_argument("--database-url", metavar="URL")
    r.set_defaults(func=run_remove)
    ls = sub.add_parser("list", help="list users and their roles")
    ls.add_argument("--data", type=Path, metavar="DIR", help="data directory")
    ls.add_argument("--database-url", metavar="URL", help="PostgreSQL URL (default $MEARI_DATABASE_URL)")
    ls.set_defaults(func=run_list)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _read_password(name: str) -> str:
    from meari.errors import MeariError

    if sys.stdin.isatty():
        import getpass

        pw = getpass.getpass(f"password for {name}: ")
    else:
        pw = sys.stdin.readline().rstrip("\r\n")
    if not pw:
        raise MeariError("no password given on stdin", "meari users add")
    if len(pw) < 8:
        raise MeariError("a password needs at least 8 characters", "meari users add")
    return pw


def run_add(args: argparse.Namespace) -> int:
    from meari.campaign.setup import configure

    configure(args.data, args.database_url)
    from meari.campaign import workflow

    pw = _read_password(args.name)
    u = workflow.add_user(None, args.name, pw, args.role, args.campaign)
    where = f"campaign {args.campaign}" if args.campaign else "all campaigns (global admin)"
    print(f"user {u.get_username()}: {args.role} in {where}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from meari.campaign.setup import configure

    configure(args.data, args.database_url)
    from meari.campaign import workflow

    workflow.remove_role(None, args.name, args.role, args.campaign)
    print(f"user {args.name}: no longer {args.role} in {args.campaign or 'the global scope'}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from meari.campaign.setup import configure

    configure(args.data, args.database_url)
    from meari.campaign import workflow

    users = workflow.list_users()
    for u in users:
        roles = ", ".join(f"{r}@{c}" for c, r in u["roles"]) or "(no roles)"
        print(f"{u['username']:<24} {roles}{'' if u['active'] else '  [inactive]'}")
    if not users:
        print("no users yet: meari users add NAME --role ROLE --campaign SLUG (password on stdin)")
    return 0
