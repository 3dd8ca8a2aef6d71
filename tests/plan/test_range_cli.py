"""``meari range`` end to end: exit codes, JSON schema, real PNG, real audio files, bad input."""

from __future__ import annotations

import json
import math

import matplotlib.image as mpimg
import numpy as np
import pytest
import soundfile as sf
from scipy.signal import butter, sosfilt

from meari.cli import main
from meari.commands import range as range_cmd
from meari.plan.bands import a_weighted_level, octave_band_levels

FS = 44100


def _speechlike(seconds: float = 4.0, seed: int = 0) -> np.ndarray:
    """Noise falling ~6 dB/octave above 500 Hz, amplitude-modulated at 4 Hz like syllables."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(int(FS * seconds))
    x = sosfilt(butter(1, 500, "lowpass", fs=FS, output="sos"), x) + 0.05 * x
    t = np.arange(len(x)) / FS
    x *= 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    return 0.3 * x / np.max(np.abs(x))


@pytest.fixture
def wavs(tmp_path):
    full = tmp_path / "full.wav"
    sf.write(full, _speechlike(), FS)
    dull = tmp_path / "dull.wav"  # same broadcast mastered with a 1.5 kHz low-pass
    sf.write(dull, sosfilt(butter(8, 1500, "lowpass", fs=FS, output="sos"), _speechlike()), FS)
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(FS * 2), FS)
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF not really a wave file" * 10)
    noise = tmp_path / "noise.flac"
    rng = np.random.default_rng(7)
    sf.write(noise, 0.1 * rng.standard_normal(FS * 3), FS)
    return {"full": full, "dull": dull, "silent": silent, "garbage": garbage, "noise": noise}


def _json(capsys, *argv: str) -> dict:
    assert main(["range", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_text_report(capsys):
    assert main(["range", "--max-m", "3000", "--at", "250,1000"]) == 0
    out = capsys.readouterr().out
    for piece in (
        "130 dBA at 1 m",
        "distant-artillery",
        "15 C, 60 % RH",
        "At 250 m",
        "At 1,000 m",
        "Range fair (STI >= 0.45)",
        "Range good (STI >= 0.60)",
        "air (dB/km)",
        "MTI",
    ):
        assert piece in out, piece


def test_json_schema_and_consistency(capsys):
    d = _json(capsys, "--temp-c", "20", "--rh", "70", "--points", "200")
    assert d["bands_hz"] == [125, 250, 500, 1000, 2000, 4000, 8000]
    assert d["alpha_db_per_km"][2:] == pytest.approx([2.80, 4.98, 9.02, 22.9, 76.6], rel=0.01)
    assert len(d["curve"]) == 200
    assert d["curve"][0]["distance_m"] == 1.0 and d["curve"][-1]["distance_m"] == 5000.0
    for row in d["curve"]:
        assert set(row) == {"distance_m", "sti", "sti_iec", "level_dba"} and 0 <= row["sti"] <= 1
    fair, good = d["range_m"]["fair"], d["range_m"]["good"]
    assert 0 < good < fair < 5000
    assert d["range_status"] == {"fair": "crossed", "good": "crossed"}
    # the crossing lies between the curve points that bracket it
    pts = [(r["distance_m"], r["sti"]) for r in d["curve"]]
    i = next(k for k, (_, s) in enumerate(pts) if s < 0.45)
    assert pts[i - 1][0] <= fair <= pts[i][0]
    assert d["curve"][0]["level_dba"] == pytest.approx(130.0, abs=0.01)
    assert d["conditions"]["temp_c"] == 20.0 and d["noise_dba"] == pytest.approx(57.5, abs=0.1)
    assert any("ISO 9613-1" in a for a in d["assumptions"])


def test_plot_is_a_real_png(tmp_path, capsys):
    png = tmp_path / "sub" / "range.png"
    # a missing parent is an error (outputs create directories only where documented) ...
    assert main(["range", "--plot", str(png), "--terrain", "forest"]) == 2
    assert "cannot write: no such directory" in capsys.readouterr().err
    png.parent.mkdir()
    assert main(["range", "--plot", str(png), "--terrain", "forest"]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = mpimg.imread(png)
    assert img.shape[0] > 300 and img.shape[1] > 600
    assert img[..., :3].std() > 0.05  # something is drawn
    assert [p.name for p in png.parent.iterdir()] == ["range.png"]  # no temp file left


def test_json_out_file(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["range", "--json-out", str(out), "--points", "20"]) == 0
    assert json.loads(out.read_text())["range_m"]["fair"] > 0


def test_audio_spectrum_changes_the_range(wavs, capsys):
    full = _json(capsys, "--audio", str(wavs["full"]))
    dull = _json(capsys, "--audio", str(wavs["dull"]))
    iec = _json(capsys)
    assert "full.wav" in full["conditions"]["speech_spectrum"]
    # the overall level is still --spl-1m (at 1 m the model has already absorbed 1 m of air: < 0.05 dB)
    assert float(a_weighted_level(np.array(full["source_db_1m"]))) == pytest.approx(130.0, abs=2e-3)
    assert full["curve"][0]["level_dba"] == pytest.approx(130.0, abs=0.05)
    assert float(a_weighted_level(np.array(dull["source_db_1m"]))) == pytest.approx(130.0, abs=2e-3)
    # ... but the low-passed master loses the 2-8 kHz bands and with them range
    assert dull["range_m"]["fair"] < full["range_m"]["fair"]
    assert iec["range_m"]["fair"] != full["range_m"]["fair"]


def test_noise_recording_calibrated_by_dba(wavs, capsys):
    d = _json(capsys, "--noise", str(wavs["noise"]), "--noise-dba", "55")
    assert d["noise_dba"] == pytest.approx(55.0, abs=1e-6)
    x, fs = sf.read(wavs["noise"])
    rel = octave_band_levels(x, fs)
    np.testing.assert_allclose(np.diff(d["noise_db"]), np.diff(rel), atol=1e-3)  # white: +3 dB/octave kept
    louder = _json(capsys, "--noise", str(wavs["noise"]), "--noise-dba", "65")
    assert louder["range_m"]["fair"] < d["range_m"]["fair"]


def test_preset_rescaled_by_noise_dba(capsys):
    d = _json(capsys, "--noise", "vehicle", "--noise-dba", "50")
    assert d["noise_dba"] == pytest.approx(50.0, abs=1e-6)
    assert "rescaled" in d["conditions"]["noise"]


def test_list_noise(capsys):
    assert main(["range", "--list-noise"]) == 0
    out = capsys.readouterr().out
    assert "quiet-rural" in out and "distant-artillery" in out and "vehicle" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rh", "120"], "relative humidity"),
        (["--rh", "-3"], "relative humidity"),
        (["--temp-c", "95"], "temperature"),
        (["--pressure-kpa", "-1"], "pressure"),
        (["--max-m", "-500"], "--max-m"),
        (["--at", "100,-5"], "--at"),
        (["--at", "ten"], "--at"),
        (["--spl-1m", "nan"], "--spl-1m"),
        (["--noise", "thunderstorm"], "neither a noise preset"),
        (["--rt60", "-1"], "reverberation"),
        (["--points", "2"], "--points"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(argv, message, capsys, tmp_path):
    png = tmp_path / "p.png"
    assert main(["range", *argv, "--plot", str(png)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("meari: ") and message in err and "Traceback" not in err
    assert not png.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv_fn", "message"),
    [
        (lambda w: ["--noise", str(w["noise"])], "--noise-dba"),
        (lambda w: ["--noise", str(w["silent"]), "--noise-dba", "50"], "silent"),
        (lambda w: ["--noise", str(w["garbage"]), "--noise-dba", "50"], "cannot read audio"),
        (lambda w: ["--audio", str(w["silent"])], "silent"),
        (lambda w: ["--audio", str(w["garbage"])], "cannot read audio"),
        (lambda w: ["--audio", str(w["full"].with_name("missing.wav"))], "no such file"),
        (lambda w: ["--plot", str(w["full"].with_name("plot.svg"))], ".png"),
    ],
)
def test_bad_files_exit_2(argv_fn, message, wavs, capsys):
    before = sorted(p.name for p in wavs["full"].parent.iterdir())
    assert main(["range", *argv_fn(wavs)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("meari: ") and message in err
    assert sorted(p.name for p in wavs["full"].parent.iterdir()) == before  # nothing written


def test_demo_without_and_with_broadcast(tmp_path, wavs):
    paths = range_cmd.demo(tmp_path / "msg.yaml", tmp_path / "out")
    assert [p.name for p in paths] == ["range.json", "range.png"]
    d = json.loads(paths[0].read_text())
    assert d["conditions"]["spl_1m_db"] == 130.0 and d["conditions"]["rh_pct"] == 60.0
    assert "distant-artillery" in d["conditions"]["noise"] and "IEC 60268-16" in d["conditions"]["speech_spectrum"]
    assert paths[1].read_bytes()[:4] == b"\x89PNG"
    (tmp_path / "out" / "broadcast.wav").write_bytes(wavs["full"].read_bytes())
    d2 = json.loads(range_cmd.demo(tmp_path / "msg.yaml", tmp_path / "out")[0].read_text())
    assert "broadcast.wav" in d2["conditions"]["speech_spectrum"]
    assert not math.isclose(d2["range_m"]["fair"], d["range_m"]["fair"])
