"""Imports point one way (ARCHITECTURE.md): commands -> web -> campaign -> produce -> review -> lang;
phrase (over lang), plan and message sit low. Checked on the real source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "meari"

# package -> meari packages it may import (besides itself and the bottom modules)
BOTTOM = {"errors", "atomic", "inputs", "outputs", "glyphs", "__init__"}
ALLOWED = {
    "lang": set(),
    "plan": set(),
    "message": set(),
    "phrase": {"lang"},
    "review": {"lang", "message"},
    "produce": {"review", "lang", "message", "phrase"},
    "campaign": {"produce", "review", "lang", "plan", "message", "phrase"},
    "web": {"campaign", "produce", "review", "lang", "plan", "message", "phrase"},
    "commands": {"web", "campaign", "produce", "review", "lang", "plan", "message", "phrase"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("meari."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("meari."):
                    out.add(a.name.split(".")[1])
    return out


def test_imports_point_one_way() -> None:
    bad = []
    for pkg, allowed in ALLOWED.items():
        files = [ROOT / f"{pkg}.py"] if (ROOT / f"{pkg}.py").exists() else sorted((ROOT / pkg).rglob("*.py"))
        if pkg in {"phrase", "web"} and not files:
            continue  # packages still being built
        assert files, pkg
        for f in files:
            for imp in _imports(f) - {pkg} - BOTTOM - allowed:
                bad.append(f"{f.relative_to(ROOT.parent)} imports meari.{imp}")
    assert not bad, "\n".join(bad)
