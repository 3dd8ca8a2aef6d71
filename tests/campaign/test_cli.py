"""`meari users add/list` as real subprocesses over the test database: Argon2, stdin, roles in the ledger."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from meari.campaign.models import LedgerEntry, Membership

from .conftest import STORE, cli_env, run_cli, store_args


def test_users_add_and_list(store) -> None:
    r = run_cli("users", "add", "ok-min", "--role", "writer", "--campaign", "kursk", *store_args(),
                stdin="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    r = run_cli("users", "add", "ok-min", "--role", "linguist", "--campaign", "kharkiv", *store_args(), stdin="\n")
    assert r.returncode == 2 and "password" in r.stderr  # an empty stdin line is no password
    r = run_cli("users", "add", "root", "--role", "admin", *store_args(), stdin="another long secret\n")
    assert r.returncode == 0, r.stderr
    u = get_user_model().objects.get(username="ok-min")
    assert u.password.startswith("argon2$") and u.check_password("correct horse battery")
    assert Membership.objects.get(user=u).campaign.slug == "kursk"
    r = run_cli("users", "list", *store_args())
    assert r.returncode == 0 and "ok-min" in r.stdout and "writer@kursk" in r.stdout and "admin@*" in r.stdout
    actions = list(LedgerEntry.objects.values_list("action", "actor"))
    assert ("role.granted", "cli") in actions and ("user.created", "cli") in actions
    assert "correct horse" not in "".join(LedgerEntry.objects.values_list("payload", flat=True))
    r = run_cli("audit", "verify", *store_args())
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args, stdin, needle", [
    (["users", "add", "x", "--role", "writer"], "long enough pw\n", "--campaign"),
    (["users", "add", "x", "--role", "boss", "--campaign", "k"], "long enough pw\n", "invalid choice"),
    (["users", "add", "x", "--role", "writer", "--campaign", "k"], "short\n", "8 characters"),
    (["users", "add", "x y", "--role", "writer", "--campaign", "k"], "long enough pw\n", "without spaces"),
    (["users", "add", "x", "--role", "writer", "--campaign", "Not A Slug"], "long enough pw\n", "slug"),
])
def test_users_bad_input_exits_2(store, args: list[str], stdin: str, needle: str) -> None:
    r = run_cli(*args, *store_args(), stdin=stdin)
    assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_users_honour_meari_database_url(store) -> None:
    env = cli_env()
    if STORE["database_url"]:
        env["MEARI_DATABASE_URL"] = str(STORE["database_url"])
        r = run_cli("users", "add", "pg-user", "--role", "analyst", "--campaign", "kursk", stdin="long enough pw\n",
                    env=env)
        assert r.returncode == 0, r.stderr
        assert get_user_model().objects.filter(username="pg-user").exists()
        r = run_cli("users", "list", env=env)
        assert "pg-user" in r.stdout
    else:
        env["MEARI_DATABASE_URL"] = "mysql://nobody@127.0.0.1/x"
        r = run_cli("users", "list", "--data", str(STORE["data_dir"]), env=env)
        assert r.returncode == 2 and "MEARI_DATABASE_URL" in r.stderr and "Traceback" not in r.stderr
        env["MEARI_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
        r = run_cli("users", "list", env=env)
        assert r.returncode == 2 and "cannot open the database" in r.stderr and "Traceback" not in r.stderr
