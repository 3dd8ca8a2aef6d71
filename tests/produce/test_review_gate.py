"""Products refuse a message whose review has errors, unless forced (then marked NOT APPROVED)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BAD = """sponsor: 우크라이나 전쟁포로처우조정본부
channel: loudspeaker
language: nk
text: 항복하지 않으면 한 명도 살려두지 않겠다. 무기를 버려라.
"""


def meari(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "meari", *args], capture_output=True, text=True, timeout=300)


def test_audio_refuses_failing_review_and_writes_nothing(tmp_path: Path) -> None:
    msg = tmp_path / "bad.yaml"
    msg.write_text(BAD, encoding="utf-8")
    out = tmp_path / "bad.wav"
    r = meari("audio", str(msg), "-o", str(out))
    assert r.returncode == 2
    assert "ihl.no-quarter" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [msg]


def test_audio_force_marks_not_approved(tmp_path: Path) -> None:
    msg = tmp_path / "bad.yaml"
    msg.write_text(BAD, encoding="utf-8")
    out = tmp_path / "bad.wav"
    r = meari("audio", str(msg), "-o", str(out), "--force", "--json", "--repeats", "1")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["approved"] is False
    assert report["review"]["errors"] >= 1
    assert out.stat().st_size > 1000


def test_leaflet_refuses_failing_review(tmp_path: Path) -> None:
    msg = tmp_path / "bad.yaml"
    msg.write_text(BAD.replace("loudspeaker", "leaflet"), encoding="utf-8")
    out = tmp_path / "bad.pdf"
    r = meari("leaflet", str(msg), "-o", str(out))
    assert r.returncode == 2
    assert "review found" in r.stderr and "--force" in r.stderr
    assert not out.exists()
