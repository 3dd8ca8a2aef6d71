"""``meari serve`` as a user starts it: a real gunicorn, migrations at start, DEBUG off, and bad
surroundings (busy port, unusable data dir, bad database URL, half a TLS pair) as ``meari: WHERE: PROBLEM``
with exit 2 and no traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _env(data: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MEARI_DATABASE_URL", "MEARI_DATA", "MEARI_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    if data is not None:
        env["MEARI_DATA_DIR"] = str(data)
    return env


def _serve(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "meari", "serve", *args], capture_output=True, text=True,
                          env=env or _env(), timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_port_in_use_is_exit_2(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = _serve("--data", str(tmp_path / "d"), "--port", str(port))
    assert r.returncode == 2
    assert r.stderr.strip() == f"meari: 127.0.0.1:{port}: port already in use (is another meari serve running?)"
    assert "Traceback" not in r.stderr


def test_bad_data_dir_is_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x")
    r = _serve("--data", str(f), "--port", "0")
    assert r.returncode == 2 and r.stderr.strip() == f"meari: {f}: is not a directory"
    r = _serve("--data", str(f / "sub"), "--port", "0")
    assert r.returncode == 2 and "cannot create the data directory" in r.stderr and "Traceback" not in r.stderr


def test_bad_arguments_are_exit_2(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    r = _serve("--data", str(tmp_path / "d"), "--certfile", str(cert))
    assert r.returncode == 2 and "both --certfile and --keyfile" in r.stderr
    r = _serve("--data", str(tmp_path / "d"), "--port", "70000")
    assert r.returncode == 2 and "--port" in r.stderr
    r = _serve("--data", str(tmp_path / "d"), "--host", "no-such-host.invalid", "--port", "0")
    assert r.returncode == 2 and "cannot resolve" in r.stderr


def test_unreachable_database_is_exit_2(tmp_path: Path) -> None:
    env = _env()
    env["MEARI_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{_free_port()}/nothing"
    r = _serve("--data", str(tmp_path / "d"), "--port", "0", env=env)
    assert r.returncode == 2 and r.stderr.startswith("meari: database: cannot open or migrate the database")
    assert "Traceback" not in r.stderr


def test_serves_on_gunicorn_with_migrations_and_debug_off(tmp_path: Path) -> None:
    data = tmp_path / "d"
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "meari", "serve", "--data", str(data), "--port", str(port),
                             "--workers", "1", "--threads", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=_env())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    health = r
                    body = json.loads(r.read())
                    break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("meari serve did not start: " + (proc.stdout.read() if proc.stdout else ""))
                time.sleep(0.3)
        assert body == {"status": "ok"}
        assert health.headers["Server"].startswith("gunicorn")
        assert (data / "meari.sqlite3").is_file()  # migrated at start
        try:
            urllib.request.urlopen(base + "/no/such/page", timeout=10)
        except urllib.error.HTTPError as e:
            page = e.read().decode()
            assert e.code == 404 and "Traceback" not in page and "DEBUG" not in page
        else:
            pytest.fail("expected 404")
        with urllib.request.urlopen(base + "/login/", timeout=10) as r:
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        with urllib.request.urlopen(base + "/api/openapi.json", timeout=10) as r:
            assert "/api/versions/{version_id}/approval" in json.loads(r.read())["paths"]
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert f"meari workbench: http://127.0.0.1:{port}/" in out
