"""Recorded voices: load, check and condition a defector's reading of the text.

A recording made near the front may be stereo, at any sample rate, clipped,
far too quiet, silent, or padded with long silences. Each case gets a clear
outcome (documented in docs/audio.md):

=====================  ==========  ====================================================
problem                outcome     threshold
=====================  ==========  ====================================================
unreadable / not audio error       soundfile cannot open it
shorter than 0.5 s     error       nothing to broadcast
longer than 15 min     error       not a loudspeaker message
silent                 error       peak below -80 dBFS (a few 16-bit steps)
too quiet              error       integrated loudness below -50 LUFS (would need > 27 dB gain)
quiet                  warning     below -36 LUFS (noise will be raised with it)
clipped                error       >= 0.05 % of samples in flat runs (3+ samples) at full
                                   scale or at the file's own peak (clipped, then turned down)
                                   (``allow_clipped`` turns it into a warning)
a few clipped samples  warning     any clipped run of 3+ samples at full scale
stereo / multichannel  note        mixed down to mono (or the louder channel if the mix cancels)
other sample rate      note        resampled with scipy.signal.resample_poly
low sample rate        warning     below 16 kHz: the upper band is missing
edge silence           note        trimmed to 0.25 s before and after the speech
=====================  ==========  ====================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from meari.errors import MeariError

MIN_SECONDS = 0.5
MAX_SECONDS = 15 * 60
SILENT_PEAK_DBFS = -80.0  # a few 16-bit steps: nothing was recorded
TOO_QUIET_LUFS = -50.0
QUIET_LUFS = -36.0
CLIP_LEVEL = 0.999  # |sample| at or above this is at full scale (int16 max is 0.99997)
CLIP_RUN = 3  # consecutive full-scale samples: a flattened waveform, not a legitimate peak
CLIP_ERROR_FRACTION = 0.0005
EDGE_KEEP_S = 0.25
EDGE_GATE_DB = -45.0  # relative to the recording's loudest 20 ms


@dataclass
class Recording:
    """A conditioned recording: mono float samples at the output rate, and what was done."""

    samples: np.ndarray
    sample_rate: int
    path: str
    original_rate: int
    original_channels: int
    original_duration_s: float
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> dict:
        return {
            "file": self.path,
            "original_sample_rate": self.original_rate,
            "original_channels": self.original_channels,
            "original_duration_s": round(self.original_duration_s, 3),
            "notes": self.notes,
        }


def _clipped_samples(x: np.ndarray) -> tuple[int, int]:
    """(samples in clipped runs, number of runs) in one channel.

    A clipped run is CLIP_RUN or more consecutive samples at full scale, or
    exactly at the file's own peak: a recording clipped and then turned down
    keeps its flat tops at a level below full scale, and a real waveform almost
    never repeats its global maximum on three samples in a row (checked only
    for peaks above -20 dBFS, where 16-bit steps are fine enough to tell).
    """
    a = np.abs(x)
    peak = a.max()
    at = a >= CLIP_LEVEL
    if peak >= 0.1:  # below -20 dBFS a smooth crest can span several equal 16-bit steps
        at |= a == peak
    d = np.diff(np.concatenate([[0], at.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    lengths = ends - starts
    long_runs = lengths >= CLIP_RUN
    return int(lengths[long_runs].sum()), int(long_runs.sum())


def _downmix(data: np.ndarray, notes: list[str]) -> np.ndarray:
    """Average the channels; if they cancel (one channel inverted), keep the loudest one."""
    ch = data.shape[1]
    mix = data.mean(axis=1)
    energies = (data**2).mean(axis=0)
    if energies.max() > 0 and (mix**2).mean() < 0.25 * energies.mean():
        best = int(np.argmax(energies))
        notes.append(f"{ch} channels cancel when mixed (phase-inverted?): used channel {best + 1} alone")
        return data[:, best]
    notes.append(f"mixed {ch} channels down to mono")
    return mix


def _resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    from scipy.signal import resample_poly

    f = Fraction(sr_out, sr_in).limit_denominator(1000)
    return resample_poly(x, f.numerator, f.denominator)


def _trim(x: np.ndarray, sr: int, notes: list[str]) -> np.ndarray:
    """Cut leading/trailing silence to EDGE_KEEP_S, so the loop's pauses are the ones configured."""
    hop = max(1, int(0.02 * sr))
    n = len(x) // hop
    if n < 2:
        return x
    rms = np.sqrt((x[: n * hop].reshape(n, hop) ** 2).mean(axis=1))
    gate = rms.max() * 10 ** (EDGE_GATE_DB / 20)
    loud = np.flatnonzero(rms > gate)
    keep = int(EDGE_KEEP_S * sr)
    start = max(0, loud[0] * hop - keep)
    end = min(len(x), (loud[-1] + 1) * hop + keep)
    cut = start + (len(x) - end)
    if cut > int(0.1 * sr):
        notes.append(f"trimmed {start / sr:.2f} s of silence before and {(len(x) - end) / sr:.2f} s after the speech")
        return x[start:end]
    return x


def load_recording(path: str | Path, sample_rate: int, *, allow_clipped: bool = False) -> Recording:
    """Read a WAV/FLAC/MP3/OGG voice recording and condition it for mastering.

    Raises MeariError for recordings that would make a bad broadcast (see the
    module table). Never modifies the file.
    """
    import soundfile as sf

    from meari.produce.master import integrated_loudness

    p = Path(path)
    where = str(p)
    if not p.exists():
        raise MeariError("no such recording", where)
    if p.is_dir():
        raise MeariError("is a directory, not a recording", where)
    try:
        info = sf.info(str(p))
        if info.frames == 0 or info.samplerate <= 0:
            raise MeariError("recording holds no audio", where)
        if info.duration > MAX_SECONDS:
            raise MeariError(
                f"recording is {info.duration / 60:.1f} min long; a loudspeaker message may be at most "
                f"{MAX_SECONDS // 60} min",
                where,
            )
        data, sr = sf.read(str(p), dtype="float64", always_2d=True)
    except MeariError:
        raise
    except Exception as e:  # soundfile raises LibsndfileError/RuntimeError/TypeError on bad files
        detail = str(e).rsplit(": ", 1)[-1].strip() or type(e).__name__
        raise MeariError(f"cannot read as audio (WAV, FLAC, MP3 or OGG): {detail}", where) from None
    if data.shape[0] == 0:
        raise MeariError("recording holds no audio", where)
    duration = data.shape[0] / sr
    notes: list[str] = []
    warnings: list[str] = []
    if duration < MIN_SECONDS:
        raise MeariError(f"recording is only {duration:.2f} s long; a message needs at least {MIN_SECONDS} s", where)
    if not np.isfinite(data).all():
        raise MeariError("recording contains invalid (NaN/inf) samples", where)

    peak = float(np.abs(data).max())
    if peak == 0 or 20 * np.log10(peak) < SILENT_PEAK_DBFS:
        level = "digital silence" if peak == 0 else f"peak {20 * np.log10(peak):.0f} dBFS"
        raise MeariError(f"recording is silent ({level}); check the microphone and the input channel", where)

    counts = [_clipped_samples(data[:, c]) for c in range(data.shape[1])]
    n_clip, runs = sum(c[0] for c in counts), sum(c[1] for c in counts)
    if n_clip:
        frac = n_clip / data.size
        msg = (
            f"recording is clipped: {n_clip:,} samples ({frac:.2%}) in {runs:,} flat-topped runs; "
            "clipping distortion is amplified by horn loudspeakers. Re-record with the input gain lowered "
            "so peaks stay below -6 dBFS"
        )
        if frac >= CLIP_ERROR_FRACTION and not allow_clipped:
            raise MeariError(msg + " (or pass --allow-clipped)", where)
        warnings.append(msg)

    ch = data.shape[1]
    x = _downmix(data, notes) if ch > 1 else data[:, 0]

    if sr < 16000:
        warnings.append(
            f"recording sample rate {sr} Hz carries sound only up to {sr // 2} Hz; the broadcast band "
            "reaches higher. Record at 44.1 or 48 kHz if possible"
        )
    if sr != sample_rate:
        x = _resample(x, sr, sample_rate)
        notes.append(f"resampled {sr} Hz -> {sample_rate} Hz (scipy.signal.resample_poly)")

    loud = integrated_loudness(x, sample_rate)
    if not np.isfinite(loud) or loud < TOO_QUIET_LUFS:
        shown = "below -70" if not np.isfinite(loud) else f"{loud:.1f}"
        raise MeariError(
            f"recording is too quiet ({shown} LUFS; needs at least {TOO_QUIET_LUFS:g}): raising it to broadcast "
            "level would raise the noise with it. Re-record closer to the microphone or with more input gain",
            where,
        )
    if loud < QUIET_LUFS:
        warnings.append(
            f"recording is quiet ({loud:.1f} LUFS): it must be raised by more than 20 dB to broadcast "
            "level, and any background noise with it"
        )
    notes.append(f"recording loudness {loud:.1f} LUFS, peak {20 * np.log10(peak):.1f} dBFS")
    x = _trim(x, sample_rate, notes)
    return Recording(
        samples=x,
        sample_rate=sample_rate,
        path=where,
        original_rate=int(sr),
        original_channels=int(ch),
        original_duration_s=duration,
        notes=notes,
        warnings=warnings,
    )
