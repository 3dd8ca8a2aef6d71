"""Background noise at the listener: octave-band presets and calibration of measured spectra.

The presets are engineering assumptions, not measurements: each is a plausible
octave-band spectrum (dB SPL, 125 Hz-8 kHz, long-term equivalent level) for a
situation a planner meets, with its reasoning stated. A measured recording
(``meari range --noise FILE --noise-dba DB``) is always better; a preset can
also be rescaled to a measured A-weighted level with ``--noise-dba`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meari.errors import MeariError
from meari.plan.bands import a_weighted_level


@dataclass(frozen=True)
class NoisePreset:
    """A named background-noise spectrum with the reasoning behind it."""

    id: str
    label: str
    levels_db: tuple[float, ...]  # octave-band Leq, dB SPL, 125 Hz-8 kHz
    why: str

    @property
    def dba(self) -> float:
        """Overall A-weighted level of the seven bands."""
        return float(a_weighted_level(np.array(self.levels_db)))


PRESETS: dict[str, NoisePreset] = {
    p.id: p
    for p in (
        NoisePreset(
            "quiet-rural",
            "quiet rural, calm air",
            (40.0, 35.0, 30.0, 26.0, 21.0, 16.0, 11.0),
            "About 32 dBA: calm rural background (quiet rural sites are commonly quoted at 25-35 dBA); "
            "falls ~5 dB per octave as natural ambient noise (distant traffic, wind in vegetation) does.",
        ),
        NoisePreset(
            "distant-artillery",
            "front line, distant artillery",
            (68.0, 62.0, 54.0, 47.0, 40.0, 32.0, 22.0),
            "About 58 dBA long-term: repeated artillery fire several km away plus activity nearby. Blast "
            "energy lies mostly below 250 Hz and the highs are absorbed over km of air, so the spectrum falls "
            "6-10 dB per octave; the Leq (not the peaks) is what masks speech on average.",
        ),
        NoisePreset(
            "vehicle",
            "beside an idling diesel vehicle",
            (78.0, 72.0, 67.0, 63.0, 58.0, 52.0, 45.0),
            "About 70 dBA: a listener some 10 m from an idling truck or armoured vehicle (diesel idle is "
            "typically 65-75 dBA at 7-15 m); engine firing harmonics dominate below 500 Hz.",
        ),
        NoisePreset(
            "wind",
            "moderate wind in trees",
            (52.0, 48.0, 45.0, 43.0, 40.0, 35.0, 28.0),
            "About 48 dBA: wind of 5-8 m/s in foliage; broadband rustle with more low-frequency energy.",
        ),
    )
}

DEFAULT_PRESET = "distant-artillery"


def preset(name: str) -> NoisePreset:
    """Look up a preset by id, with a clear error naming the choices."""
    try:
        return PRESETS[name]
    except KeyError:
        raise MeariError(f"unknown noise preset '{name}'; choose one of {', '.join(PRESETS)}", "noise") from None


def scale_to_dba(levels_db: np.ndarray, dba: float) -> np.ndarray:
    """Shift a spectrum so that its seven-band A-weighted level equals ``dba`` (shape kept)."""
    if not np.isfinite(dba) or not -10.0 <= dba <= 140.0:
        raise MeariError(f"{dba} dBA is not a plausible background level (-10..140)", "noise level")
    levels = np.asarray(levels_db, dtype=float)
    return levels + (dba - a_weighted_level(levels))


def calibrate_recording(band_dbfs: np.ndarray, dba: float) -> np.ndarray:
    """Calibrate a recording's octave levels (dBFS) with the user's statement of its A-weighted level.

    Assumption: the microphone and recorder are flat over 88 Hz-11.2 kHz, so the
    file's *relative* spectrum is right and only one offset is unknown; that
    offset makes the seven-band A-weighted level equal ``dba``.
    """
    return scale_to_dba(band_dbfs, dba)
