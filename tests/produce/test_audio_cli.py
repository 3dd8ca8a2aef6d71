"""``meari audio`` through the real CLI entry point, and the demo hook."""

from __future__ import annotations

import json
from pathlib import Path

import pyloudnorm
import pytest
import soundfile as sf

from meari.cli import main
from tests.produce.test_audio_master import reference_true_peak_db

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "appeal.yaml"
MSG = """\
sponsor: 시험
channel: loudspeaker
text: 무기를 내려놓고 천천히 걸어 나오십시오.
broadcast:
  repeats: 2
  pause_s: 0.5
"""


@pytest.fixture
def msg(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text(MSG, encoding="utf-8")
    return p


def test_cli_writes_mp3_and_prints_json(msg, tmp_path, capsys):
    out = tmp_path / "o.mp3"
    rc = main(["audio", str(msg), "-o", str(out), "--json", "--target", "-16", "--no-attention"])
    assert rc == 0
    report = json.loads(capsys.readouterr().out)
    x, sr = sf.read(out)
    assert report["format"] == "MP3" and report["target_lufs"] == -16.0
    assert pyloudnorm.Meter(sr).integrated_loudness(x) == pytest.approx(-16.0, abs=0.5)
    assert reference_true_peak_db(x) <= -1.0
    assert report["duration_s"] == pytest.approx(len(x) / sr, abs=0.001)
    assert report["loop"]["attention"] is False
    for key in ("duration_s", "integrated_lufs", "true_peak_dbtp", "sample_rate", "stages", "voice", "signature"):
        assert key in report


def test_cli_summary_line(msg, tmp_path, capsys):
    out = tmp_path / "o.wav"
    assert main(["audio", str(msg), "-o", str(out), "--repeats", "1", "--band", "250", "6000"]) == 0
    cap = capsys.readouterr()
    assert cap.out.startswith(f"wrote {out}:") and "LUFS" in cap.out and "dBTP" in cap.out
    assert "warning: synthetic draft voice" in cap.err


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--voice-file", "nowhere.wav"], "no such recording"),
        (["--target", "-3"], "--target"),
        (["--band", "5000", "300"], "--band"),
        (["--voice", "espeak:zz"], "no language"),
        (["--bitrate", "100"], "--bitrate"),
    ],
)
def test_cli_bad_input_exits_2_without_output(msg, tmp_path, capsys, extra, needle):
    out = tmp_path / ("o.mp3" if "--bitrate" in extra else "o.wav")
    rc = main(["audio", str(msg), "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("meari: ") and needle in err and "Traceback" not in err
    assert not out.exists()


def test_cli_bad_message_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("text: [unclosed\n", encoding="utf-8")
    assert main(["audio", str(bad), "-o", str(tmp_path / "o.wav")]) == 2
    assert "bad YAML" in capsys.readouterr().err


def test_demo_writes_broadcast_wav_and_json(tmp_path):
    from meari.commands.audio import demo

    paths = demo(EXAMPLE, tmp_path)
    assert [p.name for p in paths] == ["broadcast.wav", "broadcast.json"]
    report = json.loads((tmp_path / "broadcast.json").read_text(encoding="utf-8"))
    x, sr = sf.read(tmp_path / "broadcast.wav")
    assert report["duration_s"] == pytest.approx(len(x) / sr, abs=0.001)
    assert report["voice"]["source"] == "synthetic"
    assert report["text"]["converted"] is True  # the example is drafted in South Korean for nk listeners
    assert report["loop"]["repeats"] == 3
