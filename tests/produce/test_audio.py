"""End to end: broadcast files written, read back and measured (loudness, true peak, duration, loop)."""

from __future__ import annotations

import json

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy import signal

from meari.errors import MeariError
from meari.message import parse_message
from meari.produce.audio import CHIME_NOTES_HZ, AudioOptions, produce_audio
from meari.produce.master import MasterSettings
from meari.produce.recording import _resample
from meari.produce.tts import count_syllables, get_backend
from tests.produce.test_audio_master import reference_true_peak_db

TEXT = "병사 여러분, 무기를 내려놓고 천천히 걸어 나오십시오. 살아서 가족을 다시 만날 수 있습니다."


def message(**broadcast):
    b = {"repeats": 2, "pause_s": 1.0, "attention": True, "voice": "espeak:ko", **broadcast}
    lines = [f"text: {TEXT}", "sponsor: 시험 후원자", "channel: loudspeaker", "broadcast:"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in b.items()]
    return parse_message("\n".join(lines))


def loudness(x, sr):
    return pyloudnorm.Meter(sr).integrated_loudness(x)


@pytest.fixture(scope="module")
def wav(tmp_path_factory):
    out = tmp_path_factory.mktemp("wav") / "b.wav"
    report = produce_audio(message(), None, out)
    return out, report


def test_wav_meets_loudness_peak_and_duration(wav):
    path, report = wav
    x, sr = sf.read(path)
    info = sf.info(str(path))
    assert (sr, info.channels, info.subtype) == (44100, 1, "PCM_16")
    assert loudness(x, sr) == pytest.approx(-16.0, abs=0.5)
    assert loudness(x, sr) == pytest.approx(report["integrated_lufs"], abs=0.05)
    assert reference_true_peak_db(x) <= -1.0
    assert reference_true_peak_db(x) == pytest.approx(report["true_peak_dbtp"], abs=0.01)
    assert len(x) / sr == pytest.approx(report["duration_s"], abs=0.001)
    assert report["sample_rate"] == 44100 and report["channels"] == 1
    assert report["voice"]["source"] == "synthetic"
    assert any("draft voice" in w for w in report["warnings"])


def test_report_names_stages_and_signature(wav):
    path, report = wav
    ids = [s["id"] for s in report["stages"]]
    assert ids == ["band", "align", "compressor", "attention", "loudness", "true_peak_limiter", "quantise"]
    band = report["stages"][0]["params"]
    assert (band["highpass_hz"], band["lowpass_hz"]) == (300.0, 5000.0)
    sig = report["signature"]
    assert sig.startswith("meari:") and f"text:{report['text']['sha256']}" in sig and "voice:espeak:ko" in sig
    assert report["provenance"]["meari_version"] and report["provenance"]["text_sha256"] == report["text"]["sha256"]
    with sf.SoundFile(str(path)) as f:  # the file itself carries the signature and the sponsor
        meta = f.copy_metadata()
    assert meta["comment"] == sig and meta["artist"] == "시험 후원자"
    json.dumps(report, ensure_ascii=False)  # serialisable


def test_segments_match_the_audio(wav):
    path, report = wav
    x, sr = sf.read(path)
    segs = report["loop"]["segments"]
    assert [s["kind"] for s in segs] == ["attention", "message", "pause", "message", "pause"]
    assert segs[-1]["end_s"] == pytest.approx(report["duration_s"], abs=0.001)
    for s in segs:
        part = x[int(s["start_s"] * sr) + 10 : int(s["end_s"] * sr) - 10]
        if s["kind"] == "pause":
            assert np.abs(part).max() < 1e-3, "pauses are silent"
        else:
            assert np.sqrt(np.mean(part**2)) > 0.02, f"{s['kind']} carries sound"
    # the chime's spectrum peaks at its notes
    a = segs[0]
    chime = x[int(a["start_s"] * sr) : int(a["end_s"] * sr)]
    f, p = signal.welch(chime, sr, nperseg=8192)
    top = f[np.argsort(p)[-40:]]
    for note in CHIME_NOTES_HZ:
        assert np.min(np.abs(top - note)) < 10


def test_repeats_multiply_the_speech(tmp_path):
    durations = {}
    active = {}
    for n in (1, 3):
        out = tmp_path / f"r{n}.wav"
        rep = produce_audio(message(repeats=n, attention=False, pause_s=1.5), None, out)
        x, sr = sf.read(out)
        durations[n] = len(x) / sr
        frames = x[: len(x) // 441 * 441].reshape(-1, 441)
        active[n] = np.sum(np.sqrt((frames**2).mean(axis=1)) > 0.01) / 100  # seconds above -40 dBFS
        assert rep["loop"]["repeats"] == n
        assert [s["kind"] for s in rep["loop"]["segments"]].count("message") == n
    assert durations[3] - durations[1] == pytest.approx(2 * (durations[1]), abs=0.01)
    assert active[3] / active[1] == pytest.approx(3.0, rel=0.05)


def test_speaking_rate_sets_message_length(tmp_path):
    lengths = {}
    for rate in (3.0, 5.0):
        rep = produce_audio(message(repeats=1, syllables_per_s=rate), None, tmp_path / f"s{rate}.wav")
        lengths[rate] = rep["loop"]["message_s"]
        assert rep["voice"]["syllables_per_s_measured"] == pytest.approx(rate, rel=0.15)
    assert lengths[3.0] / lengths[5.0] == pytest.approx(5 / 3, rel=0.15)
    assert lengths[5.0] == pytest.approx(count_syllables(TEXT) / 5.0 + 0.5, rel=0.25)


def test_mp3_reads_back_and_meets_spec(tmp_path):
    out = tmp_path / "b.mp3"
    rep = produce_audio(message(), None, out)
    x, sr = sf.read(out)
    assert sf.info(str(out)).format == "MP3" and rep["format"] == "MP3"
    assert loudness(x, sr) == pytest.approx(-16.0, abs=0.5)
    assert loudness(x, sr) == pytest.approx(rep["integrated_lufs"], abs=0.05)
    assert reference_true_peak_db(x) <= -1.0
    assert len(x) / sr == pytest.approx(rep["duration_s"], abs=0.001)
    assert rep["stages"][-1]["id"] == "mp3"
    assert out.read_bytes()[:3] == b"ID3"


def test_flac_and_custom_target(tmp_path):
    out = tmp_path / "b.flac"
    s = MasterSettings(target_lufs=-18.0, ceiling_dbtp=-2.0, sample_rate=48000)
    rep = produce_audio(message(repeats=1), None, out, AudioOptions(settings=s))
    x, sr = sf.read(out)
    assert sr == 48000 and sf.info(str(out)).format == "FLAC"
    assert loudness(x, sr) == pytest.approx(-18.0, abs=0.5)
    assert reference_true_peak_db(x) <= -2.0
    assert rep["target_lufs"] == -18.0 and rep["ceiling_dbtp"] == -2.0


def test_south_korean_draft_is_converted_before_speaking(tmp_path):
    from meari.lang.convert import to_nk

    msg = parse_message(f"sponsor: 시험\nlanguage: nk\ndrafted_in: sk\ntext: {TEXT}\nbroadcast:\n  repeats: 1\n")
    rep = produce_audio(msg, None, tmp_path / "c.wav")
    assert rep["text"]["converted"] is True
    assert rep["text"]["spoken"] == to_nk(TEXT).text
    assert "conv:" in rep["signature"]
    back = parse_message(f"sponsor: 시험\nlanguage: sk\ndrafted_in: nk\ntext: {TEXT}\nbroadcast:\n  repeats: 1\n")
    rep = produce_audio(back, None, tmp_path / "s.wav")
    assert rep["text"]["converted"] is True and rep["text"]["conversion"].startswith("nk2sk")
    plain_msg = parse_message(f"sponsor: 시험\ntext: {TEXT}\nbroadcast:\n  repeats: 1\n")
    plain = produce_audio(plain_msg, None, tmp_path / "p.wav")
    assert plain["text"]["converted"] is False and plain["text"]["spoken"] == TEXT


@pytest.fixture(scope="module")
def speech48():
    """A 'recording': eSpeak at 48 kHz, peak -6 dBFS."""
    x, sr = get_backend("espeak:ko+m3").synthesise(TEXT, 4.0)
    y = _resample(x, sr, 48000)
    return 0.5 * y / np.abs(y).max()


def test_recording_stereo_48k_is_mixed_resampled_and_mastered(tmp_path, speech48):
    rec = tmp_path / "voice.wav"
    sf.write(rec, np.stack([speech48, 0.7 * speech48], axis=1), 48000)
    msg = message(recording="voice.wav")
    (tmp_path / "m.yaml").write_text("")  # the message's folder is where the recording is looked up
    rep = produce_audio(msg, tmp_path / "m.yaml", tmp_path / "out.wav")
    x, sr = sf.read(tmp_path / "out.wav")
    v = rep["voice"]
    assert v["source"] == "recording" and v["original_sample_rate"] == 48000 and v["original_channels"] == 2
    notes = " ".join(v["notes"])
    assert "mixed 2 channels down to mono" in notes and "resampled 48000 Hz -> 44100 Hz" in notes
    assert sr == 44100 and loudness(x, sr) == pytest.approx(-16.0, abs=0.5) and reference_true_peak_db(x) <= -1.0
    assert not any("draft voice" in w for w in rep["warnings"])
    assert "voice:file:voice.wav@" in rep["signature"]


def test_phase_inverted_stereo_keeps_one_channel(tmp_path, speech48):
    rec = tmp_path / "inv.wav"
    sf.write(rec, np.stack([speech48, -speech48], axis=1), 48000)
    rep = produce_audio(message(), None, tmp_path / "o.wav", AudioOptions(voice_file=rec))
    assert any("cancel" in n for n in rep["voice"]["notes"])
    x, sr = sf.read(tmp_path / "o.wav")
    assert loudness(x, sr) == pytest.approx(-16.0, abs=0.5)


def test_voice_option_overrides_recording(tmp_path):
    msg = message(recording="missing.wav")
    rep = produce_audio(msg, None, tmp_path / "o.wav", AudioOptions(voice="espeak:ko+f2"))
    assert rep["voice"]["source"] == "synthetic" and rep["voice"]["voice"] == "ko+f2"


BAD_RECORDINGS = {
    "clipped": ("clipped", lambda s: np.clip(s * 20, -1, 1)),
    "clipped then turned down": ("clipped", lambda s: 0.5 * np.clip(s * 20, -1, 1)),
    "too quiet": ("too quiet", lambda s: s * 0.001),
    "silent": ("silent", lambda s: np.zeros_like(s)),
    "short": ("only 0.10 s", lambda s: s[:4800]),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDINGS))
def test_bad_recordings_fail_clearly_and_write_nothing(tmp_path, speech48, case):
    match, make = BAD_RECORDINGS[case]
    rec = tmp_path / "bad.wav"
    sf.write(rec, make(speech48), 48000)
    out = tmp_path / "out.wav"
    out.write_bytes(b"previous good broadcast")
    with pytest.raises(MeariError, match=match) as e:
        produce_audio(message(), None, out, AudioOptions(voice_file=rec))
    assert e.value.where == str(rec)
    assert out.read_bytes() == b"previous good broadcast", "a failure must not overwrite the output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.wav", "out.wav"], "no temp files left"


def test_clipped_recording_can_be_accepted_with_a_warning(tmp_path, speech48):
    rec = tmp_path / "clip.wav"
    sf.write(rec, np.clip(speech48 * 20, -1, 1), 48000)
    rep = produce_audio(message(), None, tmp_path / "o.wav", AudioOptions(voice_file=rec, allow_clipped=True))
    assert any("clipped" in w for w in rep["warnings"])


def test_unreadable_and_missing_recordings(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio at all")
    with pytest.raises(MeariError, match="cannot read as audio"):
        produce_audio(message(), None, tmp_path / "o.wav", AudioOptions(voice_file=junk))
    with pytest.raises(MeariError, match="no such recording"):
        produce_audio(message(), None, tmp_path / "o.wav", AudioOptions(voice_file=tmp_path / "nope.flac"))
    assert not (tmp_path / "o.wav").exists()


def test_low_rate_and_wrong_length_recordings_warn(tmp_path, speech48):
    rec = tmp_path / "tel.wav"
    sf.write(rec, _resample(speech48, 48000, 8000), 8000)
    msg = parse_message("sponsor: 시험\ntext: " + TEXT * 4 + "\nbroadcast:\n  repeats: 1\n")
    rep = produce_audio(msg, None, tmp_path / "o.wav", AudioOptions(voice_file=rec))
    w = " ".join(rep["warnings"])
    assert "8000 Hz" in w and "is it a reading of this message" in w


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"voice": "festival:ko"}, "unknown voice backend"),
        ({"voice": "espeak:ko+nosuchvariant"}, "no voice variant"),
        ({"voice": "espeak:xx"}, "no language"),
        ({"voice": "ko"}, "backend:voice"),
    ],
)
def test_bad_voices_are_named(tmp_path, kwargs, match):
    with pytest.raises(MeariError, match=match):
        produce_audio(message(**kwargs), None, tmp_path / "o.wav")
    assert not (tmp_path / "o.wav").exists()


def test_bad_output_names(tmp_path):
    with pytest.raises(MeariError, match="unsupported output format"):
        produce_audio(message(), None, tmp_path / "o.ogg")
    with pytest.raises(MeariError, match="MP3 cannot hold"):
        produce_audio(message(), None, tmp_path / "o.mp3", AudioOptions(settings=MasterSettings(sample_rate=96000)))
    assert list(tmp_path.iterdir()) == []


def test_overlong_loop_is_refused(tmp_path, speech48):
    rec = tmp_path / "long.wav"
    sf.write(rec, np.tile(speech48, 16), 48000)  # ~2.5 min of speech
    with pytest.raises(MeariError, match="at most 60 min"):
        produce_audio(message(repeats=30), None, tmp_path / "o.wav", AudioOptions(voice_file=rec))
    assert not (tmp_path / "o.wav").exists()


def test_edge_silence_in_recordings_is_trimmed(tmp_path, speech48):
    rec = tmp_path / "padded.wav"
    pad = np.zeros(3 * 48000)
    sf.write(rec, np.concatenate([pad, speech48, pad]), 48000)
    rep = produce_audio(message(repeats=1), None, tmp_path / "o.wav", AudioOptions(voice_file=rec))
    assert any(n.startswith("trimmed") for n in rep["voice"]["notes"])
    assert rep["loop"]["message_s"] == pytest.approx(len(speech48) / 48000, abs=0.6)


def test_tts_backend_interface():
    from meari.produce.tts import TTSBackend, speech_text

    b = get_backend("espeak:ko+m3")
    assert isinstance(b, TTSBackend) and b.name == "espeak:ko+m3"
    x, sr = b.synthesise("살아서 돌아가십시오.", 4.0)
    assert sr == 22050 and x.dtype == np.float64 and 0.5 < len(x) / sr < 5 and np.abs(x).max() <= 1.0
    assert b.describe()["engine"].startswith("eSpeak NG")
    assert speech_text("《조선》 병사\n여러분") == "조선 병사. 여러분."
