"""The Korean font cache: static instances built from the variable font, atomically, once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont

from meari.produce.leaflet import fonts

ROOT = Path(__file__).resolve().parents[2]


def test_cache_dir_precedence(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEARI_CACHE", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert fonts.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("MEARI_CACHE")
    assert fonts.cache_dir() == tmp_path / "x" / "meari"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert fonts.cache_dir() == Path.home() / ".cache" / "meari"


def test_parallel_cold_cache_builds_static_weights_once(tmp_path: Path) -> None:
    """Two processes start on an empty cache at once: both succeed, the files are whole and static."""
    env = {**os.environ, "MEARI_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    code = "from meari.produce.leaflet.fonts import ensure_fonts; print(ensure_fonts().paths['kr-bold'])"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert outs[0][0] == outs[1][0]
    d = tmp_path / "cache" / "fonts"
    ttfs = sorted(p.name for p in d.glob("*.ttf"))
    # Noto Sans KR and Noto Sans, Regular/Bold/Black each
    assert len(ttfs) == 6 and not [p for p in d.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    want = {"Regular": 400, "Bold": 700, "Black": 900}
    for name in ttfs:
        f = TTFont(d / name)
        family, weight = name.split("-")[:2]
        assert "fvar" not in f and "gvar" not in f  # a static instance, not the Thin default
        assert f["OS/2"].usWeightClass == want[weight]
        assert f["name"].getDebugName(6) == f"{family}-{weight}"
        cmap = f.getBestCmap()
        assert ord("A") in cmap and ord("7") in cmap
        if family == "NotoSansKR":
            assert ord("살") in cmap and ord("《") in cmap and ord("ї") not in cmap
        else:
            assert family == "NotoSans" and ord("ї") in cmap and ord("ґ") in cmap and ord("살") not in cmap


def _leaflet(tmp_path: Path, cache: Path, user: int | None = None) -> subprocess.CompletedProcess:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    os.chmod(out, 0o777)
    cmd = [sys.executable, "-m", "meari", "leaflet", str(ROOT / "examples" / "appeal.yaml"), "-o", str(out / "a.pdf")]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    env = {**os.environ, "MEARI_CACHE": str(cache), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)


def test_unusable_cache_dir_falls_back_to_a_temporary_one(tmp_path: Path) -> None:
    """A cache that cannot be created (its parent is a file) still gives a leaflet, with one warning."""
    (tmp_path / "file").write_text("not a directory")
    r = _leaflet(tmp_path, tmp_path / "file" / "cache")
    assert r.returncode == 0, r.stderr
    assert "meari: warning: font cache" in r.stderr and "MEARI_CACHE" in r.stderr and "Traceback" not in r.stderr
    assert (tmp_path / "out" / "a.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list(Path(tempfile.gettempdir()).glob("meari-fonts-*/*.ttf.*"))  # no half-built fonts left

