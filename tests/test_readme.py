"""The README's examples are run and their output compared, so the docs cannot drift from the program.

Each ``$ COMMAND`` line in the fenced block after "Examples" is run with bash in a scratch directory
that looks like the repository after ``make demo`` (``examples/`` and ``.venv`` linked, an empty
``out/``). Its output (stdout, then stderr) must match the lines under it: a line ending in ``…``
matches any line with that start, a line holding only ``…`` matches any number of lines, and a
command must exit 0. Commands run in order (the range example reads the
audio example's WAV).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ELLIPSIS = "…"


def examples() -> list[tuple[str, list[str]]]:
    """(command, expected lines) for each ``$`` line of the README's example block."""
    text = README.read_text(encoding="utf-8")
    start = text.index("Examples (after `make demo`")
    block = re.search(r"```\n(.*?)```", text[start:], re.S)
    assert block, "README: no example block after 'Examples'"
    out: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out and line.strip():
            out[-1][1].append(line)
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Match with the README's two wildcards (see the module docstring)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == ELLIPSIS:
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0]
    ok = line.startswith(head[:-1]) if head.endswith(ELLIPSIS) else line == head
    return ok and matches(rest, actual[1:])


def test_matcher_is_strict() -> None:
    assert matches(["a", "…", "z"], ["a", "b", "c", "z"])
    assert matches(["ab…"], ["abc"])
    assert not matches(["a"], ["a", "b"])
    assert not matches(["a", "…", "z"], ["a", "b"])
    assert not matches(["abd…"], ["abc"])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("readme")
    (d / "examples").symlink_to(ROOT / "examples")
    venv = Path(sys.executable).resolve().parent.parent if not (ROOT / ".venv").exists() else ROOT / ".venv"
    (d / ".venv").symlink_to(venv)
    (d / "out").mkdir()
    return d


def test_readme_has_examples() -> None:
    cmds = [c for c, _ in examples()]
    assert len(cmds) >= 8 and all(".venv/bin/meari" in c for c in cmds)


def test_readme_examples_run_as_documented(scratch: Path) -> None:
    failures = []
    env = {**os.environ, "LC_ALL": "C.UTF-8", "COLUMNS": "100"}
    for cmd, expected in examples():
        r = subprocess.run(["bash", "-c", cmd], cwd=scratch, capture_output=True, text=True, env=env, timeout=600)
        actual = r.stdout.splitlines() + r.stderr.splitlines()
        assert "Traceback" not in r.stderr, f"{cmd}\n{r.stderr}"
        if expected and r.returncode == 0:
            if not matches(expected, actual):
                failures.append(f"$ {cmd}\n--- README says:\n" + "\n".join(expected) + "\n--- program says:\n"
                                + "\n".join(actual))
        if r.returncode != 0:
            failures.append(f"$ {cmd}\nexit {r.returncode}\n{r.stderr}")
    assert not failures, "\n\n".join(failures)
