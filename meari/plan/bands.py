"""Octave bands 125 Hz-8 kHz: centre frequencies, A-weighting, level sums, band analysis of a signal.

Why a module of its own: the propagation model (ISO 9613-1), the speech and noise
spectra and the STI (IEC 60268-16) all work on the same seven octave bands, and a
single definition keeps them from drifting apart.

Frequencies: bands are *labelled* by their nominal centres (125 ... 8000 Hz) but
every frequency-dependent formula is evaluated at the *exact* base-10 midband
frequency f_m = 1000 * 10^(3k/10) Hz, k = -3..3 (IEC 61260-1:2014, 5.2). ISO 9613-1
Table 1 is computed at these exact frequencies: at 20 C / 70 % RH the 8 kHz band
gives 76.6 dB/km at 7943 Hz but 77.6 dB/km at a nominal 8000 Hz.
"""

from __future__ import annotations

import numpy as np

from meari.errors import MeariError

#: Nominal octave-band centre frequencies (labels), Hz.
BANDS_HZ: tuple[int, ...] = (125, 250, 500, 1000, 2000, 4000, 8000)
#: Exact base-10 midband frequencies used in every formula, Hz (IEC 61260-1:2014, 5.2).
EXACT_BANDS_HZ: np.ndarray = 1000.0 * 10.0 ** (0.3 * np.arange(-3, 4))
#: Band edges f_m * 10^(-+0.15) (IEC 61260-1 base-10 octave), Hz.
LOWER_EDGES_HZ: np.ndarray = EXACT_BANDS_HZ * 10.0 ** (-0.15)
UPPER_EDGES_HZ: np.ndarray = EXACT_BANDS_HZ * 10.0 ** (0.15)
#: A-weighting at the octave centres, dB (IEC 61672-1:2013 Table 3, values rounded to 0.1 dB).
A_WEIGHTING_DB: np.ndarray = np.array([-16.1, -8.6, -3.2, 0.0, 1.2, 1.0, -1.1])

N_BANDS = len(BANDS_HZ)


def db_sum(levels_db: np.ndarray, axis: int = -1) -> np.ndarray:
    """Energy sum of levels in dB: 10 log10(sum 10^(L/10)) along ``axis``."""
    levels = np.asarray(levels_db, dtype=float)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.sum(10.0 ** (levels / 10.0), axis=axis))


def a_weighted_level(band_levels_db: np.ndarray) -> np.ndarray:
    """Overall A-weighted level (dBA) of octave-band levels (last axis = 7 bands).

    Only the seven bands 125 Hz-8 kHz count; energy outside 88 Hz-11.2 kHz is
    ignored (for speech and the noise presets it is negligible after A-weighting).
    """
    return db_sum(np.asarray(band_levels_db, dtype=float) + A_WEIGHTING_DB)


def octave_band_levels(samples: np.ndarray, sample_rate: int, where: str = "audio") -> np.ndarray:
    """Long-term octave-band levels (dB re digital full-scale power) of a mono signal.

    Method: Welch power spectral density (Hann window, 50 % overlap, segments of
    up to 2^15 samples so the 125 Hz band spans many bins) integrated between the
    base-10 band edges. The absolute value is arbitrary (dBFS); callers
    calibrate it (noise: ``--noise-dba``; broadcast: ``--spl-1m``). Pure function:
    the command reads the file.

    Raises MeariError for signals too short, too low a sample rate, or silent.
    """
    from scipy.signal import welch

    x = np.asarray(samples, dtype=float)
    if x.ndim != 1:
        raise MeariError(f"expected a mono signal, got shape {x.shape}", where)
    if sample_rate < 16000:
        raise MeariError(f"sample rate {sample_rate} Hz is too low: the 8 kHz octave band needs at least 16 kHz", where)
    if len(x) < sample_rate:
        raise MeariError(f"only {len(x) / sample_rate:.2f} s long; need at least 1 s to measure a spectrum", where)
    if not np.all(np.isfinite(x)):
        raise MeariError("contains NaN or infinite samples", where)
    rms = float(np.sqrt(np.mean(x * x)))
    if rms < 1e-6:  # below -120 dBFS: digital silence, nothing to measure
        raise MeariError("is silent (RMS below -120 dBFS): no spectrum to measure", where)
    nperseg = int(min(2**15, 2 ** int(np.floor(np.log2(len(x))))))
    freqs, psd = welch(x, fs=sample_rate, window="hann", nperseg=nperseg, noverlap=nperseg // 2, detrend=False)
    df = freqs[1] - freqs[0]
    power = np.empty(N_BANDS)
    for k in range(N_BANDS):
        sel = (freqs >= LOWER_EDGES_HZ[k]) & (freqs < UPPER_EDGES_HZ[k])
        power[k] = float(np.sum(psd[sel]) * df)
    if np.any(power <= 0):
        empty = [BANDS_HZ[k] for k in range(N_BANDS) if power[k] <= 0]
        raise MeariError(f"has no energy at all in the octave band(s) {empty} Hz", where)
    return 10.0 * np.log10(power)
