"""Speech Transmission Index from per-band signal-to-noise ratios (IEC 60268-16:2011, ed. 4).

Pure numpy, vectorised over any leading axes (e.g. distance) x 7 octave bands x
14 modulation frequencies. Steps (Annex A):

1. Modulation transfer per band k and modulation frequency F:
   m_k(F) = 1/sqrt(1 + (2 pi F T / 13.8)^2) * 1/(1 + 10^(-SNR_k/10))
   (the first factor only when a reverberation time T is given; exponential decay).
2. Optional (``masking=True``): auditory masking by the next lower band and the
   absolute reception threshold, m'_k = m_k I_k / (I_k + I_am,k + I_rt,k), where
   I_k is the received speech+noise intensity, I_am,k = I_{k-1} 10^(amdB/10) with
   amdB from the level L_{k-1} (Table A.1 piecewise line), I_rt,k = 10^(ART_k/10).
3. Apparent SNR = 10 log10(m / (1 - m)), clipped to +-15 dB; TI = (SNR + 15) / 30.
4. MTI_k = mean of TI over the 14 modulation frequencies.
5. STI = sum alpha_k MTI_k - sum beta_k sqrt(MTI_k MTI_{k+1}) (male weights, Table A.3).
"""

from __future__ import annotations

import numpy as np

from meari.errors import MeariError

#: Modulation frequencies, Hz: 1/3-octave steps 0.63-12.5 Hz (IEC 60268-16 Annex A).
MOD_FREQS_HZ: np.ndarray = np.array([0.63, 0.8, 1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0, 12.5])
#: Male octave weighting factors alpha_k, 125 Hz-8 kHz (IEC 60268-16:2011 Table A.3).
ALPHA_MALE: np.ndarray = np.array([0.085, 0.127, 0.230, 0.233, 0.309, 0.224, 0.173])
#: Male redundancy factors beta_k between bands k and k+1 (Table A.3).
BETA_MALE: np.ndarray = np.array([0.085, 0.078, 0.065, 0.011, 0.047, 0.095])
#: Absolute speech reception threshold per band, dB SPL (Table A.2).
RECEPTION_THRESHOLD_DB: np.ndarray = np.array([46.0, 27.0, 12.0, 6.5, 7.5, 8.0, 12.0])
#: Apparent SNR limits, dB (A.5.4).
SNR_CLIP_DB = 15.0

#: Rating thresholds: the classic STI scale (ISO 9921:2003 Table 3; IEC 60268-16 ed. 3): fair from 0.45, good from 0.60.
FAIR = 0.45
GOOD = 0.60


def masking_db(level_db: np.ndarray) -> np.ndarray:
    """Auditory masking slope amdB (dB) caused by a band at level L (IEC 60268-16:2011 Table A.1, ed. 4 form).

    L < 63: 0.5 L - 65; 63 <= L < 67: 1.8 L - 146.9; 67 <= L < 100: 0.5 L - 59.8; L >= 100: -10.
    """
    lv = np.asarray(level_db, dtype=float)
    return np.select(
        [lv < 63.0, lv < 67.0, lv < 100.0],
        [0.5 * lv - 65.0, 1.8 * lv - 146.9, 0.5 * lv - 59.8],
        default=-10.0,
    )


def reverb_mtf(rt60_s: float | None) -> np.ndarray:
    """Reverberation factor per modulation frequency: 1/sqrt(1 + (2 pi F T / 13.8)^2); ones if T is None."""
    if rt60_s is None:
        return np.ones_like(MOD_FREQS_HZ)
    if not np.isfinite(rt60_s) or rt60_s <= 0 or rt60_s > 20:
        raise MeariError(f"{rt60_s} s must be above 0 and at most 20 s", "reverberation time")
    return 1.0 / np.sqrt(1.0 + (2.0 * np.pi * MOD_FREQS_HZ * rt60_s / 13.8) ** 2)


def mtf(
    snr_db: np.ndarray,
    rt60_s: float | None = None,
    signal_db: np.ndarray | None = None,
    noise_db: np.ndarray | None = None,
    masking: bool = False,
) -> np.ndarray:
    """Modulation transfer values m_k(F), shape (..., 7, 14).

    ``snr_db`` has shape (..., 7). With ``masking`` the absolute received levels
    ``signal_db`` and ``noise_db`` (same shape) are needed.
    """
    snr = np.asarray(snr_db, dtype=float)
    with np.errstate(over="ignore"):
        m_noise = 1.0 / (1.0 + 10.0 ** (-snr / 10.0))
    m = m_noise[..., :, None] * reverb_mtf(rt60_s)
    if masking:
        if signal_db is None or noise_db is None:
            raise MeariError("masking needs absolute signal and noise levels", "sti")
        with np.errstate(over="ignore", divide="ignore"):
            total_i = 10.0 ** (np.asarray(signal_db) / 10.0) + 10.0 ** (np.asarray(noise_db) / 10.0)
            total_db = 10.0 * np.log10(total_i)
        i_am = np.zeros_like(total_i)
        i_am[..., 1:] = total_i[..., :-1] * 10.0 ** (masking_db(total_db[..., :-1]) / 10.0)
        i_rt = 10.0 ** (RECEPTION_THRESHOLD_DB / 10.0)
        with np.errstate(invalid="ignore"):
            factor = total_i / (total_i + i_am + i_rt)
        m = m * np.nan_to_num(factor, nan=0.0)[..., :, None]
    return m


def transmission_index(m: np.ndarray) -> np.ndarray:
    """TI = (clip(10 log10(m/(1-m)), -15, 15) + 15) / 30, elementwise."""
    mm = np.clip(np.asarray(m, dtype=float), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        snr = 10.0 * np.log10(mm / (1.0 - mm))
    snr = np.clip(snr, -SNR_CLIP_DB, SNR_CLIP_DB)
    return (snr + SNR_CLIP_DB) / (2.0 * SNR_CLIP_DB)


def sti_from_mti(mti: np.ndarray) -> np.ndarray:
    """STI from per-band MTI (..., 7) with the male alpha/beta weights."""
    mti = np.asarray(mti, dtype=float)
    if mti.shape[-1] != 7:
        raise MeariError(f"need 7 octave bands, got {mti.shape[-1]}", "sti")
    return mti @ ALPHA_MALE - np.sqrt(mti[..., :-1] * mti[..., 1:]) @ BETA_MALE


def mti_from_m(m: np.ndarray) -> np.ndarray:
    """Modulation transfer index per band: mean TI over the 14 modulation frequencies."""
    return transmission_index(m).mean(axis=-1)


def sti_from_m(m: np.ndarray) -> np.ndarray:
    """STI from modulation values (..., 7, 14); a scalar m means the same depth everywhere."""
    m = np.asarray(m, dtype=float)
    if m.ndim == 0:
        m = np.full((7, 14), float(m))
    return sti_from_mti(mti_from_m(m))


def sti_from_snr(
    snr_db: np.ndarray,
    rt60_s: float | None = None,
    signal_db: np.ndarray | None = None,
    noise_db: np.ndarray | None = None,
    masking: bool = False,
) -> np.ndarray:
    """STI from per-band SNRs (..., 7); see :func:`mtf` for the optional terms."""
    return sti_from_m(mtf(snr_db, rt60_s, signal_db, noise_db, masking))


def rating(sti: float) -> str:
    """ISO 9921 rating: bad < 0.30 <= poor < 0.45 <= fair < 0.60 <= good < 0.75 <= excellent."""
    if sti < 0.30:
        return "bad"
    if sti < FAIR:
        return "poor"
    if sti < GOOD:
        return "fair"
    if sti < 0.75:
        return "good"
    return "excellent"
