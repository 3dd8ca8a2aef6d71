"""Mastering chain: measurements against pyloudnorm and an independent true-peak meter, and each stage's effect."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy import signal

from meari.errors import MeariError
from meari.produce import master as M

SR = 44100

# ITU-R BS.1770-4 Annex 2 phases 0 and 1, typed in again here so the test does not
# trust the module's table; phases 2 and 3 are phases 1 and 0 reversed.
# fmt: off
_P0 = [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
       0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500]
_P1 = [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
       0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375]
# fmt: on


def reference_true_peak_db(x: np.ndarray) -> float:
    """Brute-force 4x oversampled true peak: the whole signal through scipy's polyphase upfirdn."""
    phases = [np.array(_P0), np.array(_P1), np.array(_P1[::-1]), np.array(_P0[::-1])]
    h = np.zeros(48)
    for p, taps in enumerate(phases):
        h[p::4] = taps
    y = signal.upfirdn(h, x, up=4)
    return float(20 * np.log10(max(np.abs(y).max(), np.abs(x).max())))


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise shaped like speech: band-passed, syllable-rate amplitude modulation, pauses, occasional spikes."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    t = np.arange(n) / SR
    sos = signal.butter(2, [150, 4000], "bandpass", fs=SR, output="sos")
    x = signal.sosfilt(sos, rng.standard_normal(n))
    env = np.abs(np.sin(2 * np.pi * 2.0 * t)) ** 2 * (1 + 0.8 * np.sin(2 * np.pi * 0.3 * t))
    x *= env
    x[int(1.5 * SR) : int(2.3 * SR)] = 0.0  # a pause
    x[rng.integers(0, n, 20)] *= 8  # plosive-like spikes
    return 0.1 * x / np.abs(x).max()


@pytest.mark.parametrize("rate", [44100, 48000, 11025])
def test_loudness_matches_pyloudnorm(rate):
    x = signal.resample_poly(speechlike(6.0), rate, SR) if rate != SR else speechlike(6.0)
    ours = M.integrated_loudness(x, rate)
    ref = pyloudnorm.Meter(rate).integrated_loudness(x)
    assert ours == pytest.approx(ref, abs=0.01)


def test_loudness_of_silence_and_short_input():
    assert M.integrated_loudness(np.zeros(SR), SR) == float("-inf")
    assert M.integrated_loudness(np.ones(100) * 0.5, SR) == float("-inf")


def test_true_peak_matches_reference_and_sees_intersample_peaks():
    x = speechlike(3.0, seed=3)
    assert M.true_peak_dbtp(x) == pytest.approx(reference_true_peak_db(x), abs=1e-9)
    # fs/4 sine sampled at 45 degrees: samples at 0.707, true peak 1.0 (+3 dB over the sample peak)
    n = np.arange(SR)
    s = np.sin(2 * np.pi * (SR / 4) * n / SR + np.pi / 4)
    assert 20 * np.log10(np.abs(s).max()) == pytest.approx(-3.01, abs=0.01)
    assert M.true_peak_dbtp(s) == pytest.approx(0.0, abs=0.15)
    assert M.true_peak_dbtp(np.zeros(10)) == float("-inf")


@pytest.mark.parametrize(("target", "ceiling"), [(-14.0, -1.0), (-16.0, -1.0), (-20.0, -2.0), (-12.0, -1.0)])
def test_master_meets_target_and_ceiling(target, ceiling):
    x = speechlike(8.0, seed=1)
    s = M.MasterSettings(target_lufs=target, ceiling_dbtp=ceiling)
    out = M.master(x, s)
    assert out.sample_rate == SR and len(out.samples) == len(x)
    assert pyloudnorm.Meter(SR).integrated_loudness(out.samples) == pytest.approx(target, abs=0.1)
    assert reference_true_peak_db(out.samples) <= ceiling
    assert out.true_peak_dbtp == pytest.approx(reference_true_peak_db(out.samples), abs=1e-6)
    # 16-bit values exactly
    q = out.samples * 32768
    assert np.array_equal(q, np.round(q))
    assert [st.id for st in out.stages] == ["band", "align", "compressor", "loudness", "true_peak_limiter", "quantise"]


def test_limiter_tames_a_single_huge_transient():
    x = speechlike(4.0, seed=2)
    x[SR * 2] = 1.0  # one full-scale click, ~20 dB above everything else
    out = M.master(x, M.MasterSettings(target_lufs=-14.0, ceiling_dbtp=-1.0))
    assert reference_true_peak_db(out.samples) <= -1.0
    lim = next(st for st in out.stages if st.id == "true_peak_limiter")
    assert lim.params["max_reduction_db"] > 3.0


def test_band_limit_removes_rumble_and_hiss():
    rng = np.random.default_rng(5)
    x = rng.standard_normal(SR * 2) * 0.1
    y, stage = M.band_limit(x, M.MasterSettings())
    f, px = signal.welch(x, SR, nperseg=4096)
    _, py = signal.welch(y, SR, nperseg=4096)
    gain_db = 10 * np.log10(py / px)

    def at(hz):
        return gain_db[np.argmin(np.abs(f - hz))]

    assert at(1000) == pytest.approx(0.0, abs=0.5)
    assert at(100) < -30  # two octaves under 300 Hz at 24 dB/octave
    assert at(12000) < -30
    assert stage.params["highpass_hz"] == 300.0 and stage.params["lowpass_hz"] == 5000.0


def test_compressor_narrows_level_differences():
    t = np.arange(SR * 4) / SR
    tone = np.sin(2 * np.pi * 1000 * t)
    x = np.where(t < 2, 0.5, 0.05) * tone  # 20 dB step
    y, stage = M.compress(x, M.MasterSettings())

    def rms_db(a):
        return 10 * np.log10(np.mean(a**2))

    before = rms_db(x[SR // 2 : SR * 3 // 2]) - rms_db(x[SR * 5 // 2 : SR * 7 // 2])
    after = rms_db(y[SR // 2 : SR * 3 // 2]) - rms_db(y[SR * 5 // 2 : SR * 7 // 2])
    assert before == pytest.approx(20.0, abs=0.01)
    assert after < 12.0  # 3:1 above -30 dBFS: a 20 dB step shrinks to ~10 dB
    assert stage.params["ratio"] == 3.0


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"target_lufs": -3.0}, "--target"),
        ({"target_lufs": -6.0, "ceiling_dbtp": -1.0}, "--target"),
        ({"ceiling_dbtp": 1.0}, "--ceiling"),
        ({"highpass_hz": 5000.0, "lowpass_hz": 300.0}, "--band"),
        ({"lowpass_hz": 30000.0}, "--band"),
        ({"highpass_hz": 3000.0, "lowpass_hz": 4000.0}, "--band"),
        ({"sample_rate": 4000}, "--sample-rate"),
    ],
)
def test_bad_settings_are_named(kwargs, where):
    with pytest.raises(MeariError) as e:
        M.MasterSettings(**kwargs).validate()
    assert e.value.where == where


def test_silence_cannot_be_mastered():
    with pytest.raises(MeariError, match="silent"):
        M.master(np.zeros(SR * 2))


def test_unreachable_target_is_missed_with_a_warning_not_crushed():
    x = speechlike(8.0, seed=1)
    out = M.master(x, M.MasterSettings(target_lufs=-8.0, ceiling_dbtp=-1.0))
    assert reference_true_peak_db(out.samples) <= -1.0
    assert out.loudness_lufs < -9.0  # at most 6 dB of extra gain over the unlimited level
    assert any("misses the -8 LUFS target" in w for w in out.warnings)
    assert any("heavy limiting" in w for w in out.warnings)
