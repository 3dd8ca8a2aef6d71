"""The ``meari nk`` / ``meari sk`` filters, run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MEARI = [sys.executable, "-m", "meari"]


def run(args: list[str], data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(MEARI + args, input=data, capture_output=True, timeout=120)


def test_filter_keeps_line_count_and_blank_lines() -> None:
    src = "노동자 여러분\n\n할 수 있다\n\n\n마지막 줄"
    r = run(["nk"], src.encode())
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.split("\n")[:-1] == ["로동자 여러분", "", "할수 있다", "", "", "마지막 줄"]


def test_explain_goes_to_stderr() -> None:
    r = run(["nk", "--explain"], "할 수 있다\n".encode())
    assert r.stdout.decode() == "할수 있다\n"
    err = r.stderr.decode()
    assert "<stdin>:1:2: nk.spacing: 할 수 → 할수" in err


def test_json_lines() -> None:
    r = run(["sk", "--json"], "로동자\n\n".encode())
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert len(rows) == 2
    assert rows[0]["text"] == "노동자"
    assert rows[0]["edits"][0]["rule_id"] == "sk.initial-sound"
    assert rows[1] == {"line": None, "text": "", "edits": []}


def test_invalid_utf8_names_the_line() -> None:
    r = run(["nk"], "좋다\n".encode() + b"\xff\xfe\n")
    assert r.returncode == 2
    assert "invalid UTF-8 at line 2" in r.stderr.decode()
    assert "Traceback" not in r.stderr.decode()


def test_control_character_error() -> None:
    r = run(["nk"], "좋다\x00\n".encode())
    assert r.returncode == 2
    assert "U+0000 at line 1, column 3" in r.stderr.decode()


def test_missing_file() -> None:
    r = run(["nk", "/nonexistent/x.txt"], b"")
    assert r.returncode == 2
    assert "no such file" in r.stderr.decode()


def test_output_file_is_atomic_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("previous good output")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("노동자\n".encode() * 10 + b"\xff\n")
    r = subprocess.run(MEARI + ["nk", str(bad), "-o", str(out)], capture_output=True, timeout=120)
    assert r.returncode == 2
    assert out.read_text() == "previous good output"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_multi_megabyte_file_streams(tmp_path: Path) -> None:
    src = tmp_path / "big.txt"
    line = "노동자들은 할 수 있다고 말했다. 비가 개었다. 2024년 AK-74.\n"
    n = 40_000
    src.write_text(line * n, encoding="utf-8")
    assert src.stat().st_size > 3_000_000
    out = tmp_path / "big.nk.txt"
    r = subprocess.run(MEARI + ["nk", str(src), "-o", str(out)], capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").split("\n")
    assert len(lines) == n + 1 and lines[-1] == ""
    assert lines[0] == "로동자들은 할수 있다고 말했다. 비가 개였다. 2024년 AK-74."
    assert len(set(lines[:-1])) == 1
