"""Phrase audio (measured), `meari read`, and the phrase command's output and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from meari.cli import main
from meari.phrase.load import load_phrasebook
from meari.produce.cards.audio import PRESETS, write_phrase_audio
from meari.produce.master import integrated_loudness, true_peak_dbtp


@pytest.fixture(scope="module")
def book():
    return load_phrasebook()


@pytest.mark.parametrize("preset", ["phone", "megaphone"])
def test_audio_files_named_by_id_and_mastered(tmp_path: Path, book, preset: str) -> None:
    entries = [e for e in book.phrases if e.id in ("cmd.stop", "need.water")]
    res = write_phrase_audio(entries, tmp_path, preset=preset, fmt=".wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmd.stop.wav", "need.water.wav"]
    s = PRESETS[preset]
    for r in res:
        x, sr = sf.read(str(r.path))
        assert sr == s.sample_rate and x.ndim == 1
        assert abs(integrated_loudness(x, sr) - s.target_lufs) < 1.0
        assert true_peak_dbtp(x) <= s.ceiling_dbtp + 0.1
        # band-limited: little energy below the preset's high-pass
        spec = np.abs(np.fft.rfft(x)) ** 2
        f = np.fft.rfftfreq(len(x), 1 / sr)
        assert spec[f < s.highpass_hz / 2].sum() / spec.sum() < 0.02
        assert 0.5 < r.duration_s < 8


def test_audio_cli_mp3(tmp_path: Path, capsys) -> None:
    assert main(["phrase", "--audio", str(tmp_path / "a"), "--module", "identity"]) == 0
    files = sorted((tmp_path / "a").glob("*.mp3"))
    ids = [e.id for e in load_phrasebook().phrases if e.module == "identity"]
    assert sorted(f.stem for f in files) == sorted(ids)
    x, sr = sf.read(str(files[0]))
    assert sr == 22050 and len(x) > sr * 0.3


def test_lookup_cli_json(capsys) -> None:
    assert main(["phrase", "anf", "--json", "-n", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 2 and out[0]["id"] == "need.water"
    for k in ("id", "module", "nk", "sk", "uk", "ru", "en", "translit_uk", "translit_ru", "answer", "art17", "score"):
        assert k in out[0]
    assert main(["phrase", "rifle", "--glossary", "-n", "1"]) == 0
    assert "weapon.rifle" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "where"), [
    (["phrase"], "meari phrase"),
    (["phrase", "물", "-n", "0"], "-n"),
    (["phrase", "물", "--module", "nope"], "--module"),
    (["phrase", "!!!"], "query"),
    (["phrase", "물", "--phrasebook", "/nonexistent"], "/nonexistent"),
    (["read", "/nonexistent.txt"], "/nonexistent.txt"),
])
def test_bad_input_exit_2(capsys, argv, where) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {where}: ") and "Traceback" not in err


def test_export_html_into_a_file_is_refused(tmp_path: Path, capsys) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["phrase", "--export-html", str(f), "--no-audio"]) == 2
    assert f.read_text() == "x"


def test_read_side_by_side(tmp_path: Path, capsys) -> None:
    src = tmp_path / "note.txt"
    src.write_text("로동자들은 직승기를 보았다.\n\n안해에게 편지를 쓸수 없었다.\n", encoding="utf-8")
    out = tmp_path / "note.html"
    assert main(["read", str(src), "--html", str(out)]) == 0
    text = capsys.readouterr().out
    assert "노동자들은 헬리콥터를 보았다." in text
    assert "직승기 → 헬리콥터" in text and "안해 → 아내" in text and "쓸수 → 쓸 수" in text
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr") == 4  # header + 3 lines: N lines in, N out
    assert "헬리콥터" in page and "아내" in page


@pytest.mark.parametrize(("content", "problem"), [
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"hello world, no Korean here\n", "Korean"),
    (b"   \n", "empty"),
])
def test_read_bad_input(tmp_path: Path, capsys, content: bytes, problem: str) -> None:
    src = tmp_path / "x.txt"
    src.write_bytes(content)
    out = tmp_path / "x.html"
    assert main(["read", str(src), "--html", str(out)]) == 2
    assert problem in capsys.readouterr().err
    assert not out.exists()


def test_audio_into_a_file_is_refused(tmp_path: Path, capsys) -> None:
    f = tmp_path / "file.mp3"
    f.write_bytes(b"old")
    assert main(["phrase", "--audio", str(f), "--module", "identity"]) == 2
    assert capsys.readouterr().err.startswith(f"meari: {f}: is not a directory")
    assert f.read_bytes() == b"old"
