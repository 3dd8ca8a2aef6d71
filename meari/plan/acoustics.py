"""Loudspeaker intelligible range: speech level and STI against distance, octave band by band.

The model, per octave band k (125 Hz-8 kHz) and distance r (m):

    L_k(r)  = L_k,1m - 20 log10(r / 1 m) - alpha_k r / 1000 - A_fol,k(r)
    SNR_k   = L_k(r) - N_k
    STI(r)  = IEC 60268-16 STI of SNR_k (meari.plan.sti), optional reverberation/masking

where L_k,1m is the device's speech spectrum at 1 m scaled so its overall level
(A-weighted, or linear if asked) equals the rating, alpha_k the ISO 9613-1
absorption (meari.plan.iso9613) at the exact midband frequency, A_fol the Hoover
foliage term (forest only) and N_k the background noise (meari.plan.noise). The
fair and good ranges are the first distances where STI falls below 0.45 / 0.60,
found on the curve and refined by Brent's method on the continuous model.

Pure functions over numpy arrays and dataclasses: no file I/O here (the command
``meari range`` reads audio and writes JSON/PNG). Every assumption the numbers
depend on is listed by :func:`assumptions` and printed in the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from meari.errors import MeariError
from meari.plan import iso9613, sti
from meari.plan.bands import A_WEIGHTING_DB, BANDS_HZ, EXACT_BANDS_HZ, N_BANDS, a_weighted_level, db_sum
from meari.plan.noise import DEFAULT_PRESET, PRESETS

#: Male speech octave-band levels relative to the overall A-weighted speech level, dB
#: (IEC 60268-16:2011 Table A.4; they sum to +0.05 dBA, so meari renormalises exactly).
SPEECH_SPECTRUM_MALE_DB: tuple[float, ...] = (2.9, 2.9, -0.8, -6.8, -12.8, -18.8, -24.8)
#: Default long-term speech level at 1 m on axis, dBA: a vehicle-mounted horn array
#: driven with compressed speech (long-range acoustic devices are quoted at 150-160 dB
#: maximum; speech Leq sits well below a device's maximum rating).
DEFAULT_SPL_1M = 130.0
DEFAULT_MAX_M = 5000.0
DEFAULT_POINTS = 1000
TERRAINS = ("open", "forest")


@dataclass(frozen=True)
class RangeSetup:
    """Everything the range calculation depends on (validated by :meth:`check`)."""

    spl_1m_db: float = DEFAULT_SPL_1M
    spl_weighting: str = "A"  # "A": overall dBA at 1 m; "Z": overall linear (unweighted) dB at 1 m
    speech_db: tuple[float, ...] = SPEECH_SPECTRUM_MALE_DB  # spectrum shape; absolute offset irrelevant
    speech_source: str = "IEC 60268-16:2011 Table A.4 male speech spectrum"
    noise_db: tuple[float, ...] = PRESETS[DEFAULT_PRESET].levels_db  # absolute band levels at the listener, dB SPL
    noise_source: str = f"preset '{DEFAULT_PRESET}'"
    temp_c: float = 15.0
    rh_pct: float = 60.0
    pressure_kpa: float = iso9613.P_REF_KPA
    terrain: str = "open"
    forest_depth_m: float = iso9613.FOLIAGE_CAP_M
    rt60_s: float | None = None
    masking: bool = False
    max_m: float = DEFAULT_MAX_M
    points: int = DEFAULT_POINTS
    notes: tuple[str, ...] = field(default=())

    def check(self) -> list[str]:
        """Raise MeariError for bad input; return notes on inputs outside a formula's stated validity."""
        if not np.isfinite(self.spl_1m_db) or not 60.0 <= self.spl_1m_db <= 180.0:
            raise MeariError(f"{self.spl_1m_db} dB at 1 m is outside 60..180 dB", "--spl-1m")
        if self.spl_weighting not in ("A", "Z"):
            raise MeariError(f"weighting must be A or Z, got {self.spl_weighting!r}", "--spl-weighting")
        for name, arr in (("speech spectrum", self.speech_db), ("noise spectrum", self.noise_db)):
            a = np.asarray(arr, dtype=float)
            if a.shape != (N_BANDS,) or not np.all(np.isfinite(a)):
                raise MeariError(f"needs {N_BANDS} finite octave-band levels, got {arr!r}", name)
        if self.terrain not in TERRAINS:
            raise MeariError(f"unknown terrain {self.terrain!r}; choose one of {', '.join(TERRAINS)}", "--terrain")
        if not np.isfinite(self.forest_depth_m) or self.forest_depth_m < 0:
            raise MeariError(f"{self.forest_depth_m} m must be zero or positive", "--forest-depth-m")
        if not np.isfinite(self.max_m) or not 10.0 <= self.max_m <= 100_000.0:
            raise MeariError(f"{self.max_m} m must be between 10 and 100000", "--max-m")
        if not 10 <= int(self.points) <= 100_000:
            raise MeariError(f"{self.points} must be between 10 and 100000", "--points")
        sti.reverb_mtf(self.rt60_s)  # validates
        return iso9613.check_conditions(self.temp_c, self.rh_pct, self.pressure_kpa) + list(self.notes)


def source_levels_1m(setup: RangeSetup) -> np.ndarray:
    """Octave-band speech levels at 1 m (dB SPL): the spectrum shape shifted so its overall level is the rating."""
    shape = np.asarray(setup.speech_db, dtype=float)
    overall = a_weighted_level(shape) if setup.spl_weighting == "A" else db_sum(shape)
    return shape + (setup.spl_1m_db - overall)


def band_alpha_db_per_km(setup: RangeSetup) -> np.ndarray:
    """ISO 9613-1 absorption per band at the exact midband frequencies, dB/km."""
    return iso9613.air_absorption_db_per_km(EXACT_BANDS_HZ, setup.temp_c, setup.rh_pct, setup.pressure_kpa)


def distances(setup: RangeSetup) -> np.ndarray:
    """The curve's distances: ``points`` evenly spaced from 1 m (where the rating holds) to ``max_m``."""
    return np.linspace(1.0, float(setup.max_m), int(setup.points))


@dataclass(frozen=True)
class Evaluation:
    """The model at a set of distances: per-band arrays have shape (N, 7)."""

    distance_m: np.ndarray
    signal_db: np.ndarray
    noise_db: np.ndarray
    snr_db: np.ndarray
    mti: np.ndarray
    sti: np.ndarray
    level_dba: np.ndarray


class _Model:
    """Per-setup constants precomputed once, so a curve and root refinement cost only array arithmetic."""

    def __init__(self, setup: RangeSetup) -> None:
        self.setup = setup
        self.source = source_levels_1m(setup)
        self.alpha = band_alpha_db_per_km(setup)
        self.noise = np.asarray(setup.noise_db, dtype=float)
        self.reverb = sti.reverb_mtf(setup.rt60_s)

    def signal(self, r: np.ndarray) -> np.ndarray:
        """Received speech band levels (N, 7) at distances r (N,)."""
        levels = self.source - iso9613.spreading_db(r)[:, None] - self.alpha * (r[:, None] / 1000.0)
        if self.setup.terrain == "forest":
            levels = levels - iso9613.foliage_db(EXACT_BANDS_HZ, r, self.setup.forest_depth_m)
        return levels

    def evaluate(self, r: np.ndarray) -> Evaluation:
        r = np.atleast_1d(np.asarray(r, dtype=float))
        if np.any(~np.isfinite(r)) or np.any(r < 1.0):
            raise MeariError("distances must be at least 1 m (the rating's reference distance)", "distance")
        sig = self.signal(r)
        snr = sig - self.noise
        # m(F) over distance x band x modulation frequency in one array (N, 7, 14).
        m = sti.mtf(snr, None, sig, np.broadcast_to(self.noise, sig.shape), self.setup.masking) * self.reverb
        mti = sti.mti_from_m(m)
        return Evaluation(
            distance_m=r,
            signal_db=sig,
            noise_db=np.broadcast_to(self.noise, sig.shape),
            snr_db=snr,
            mti=mti,
            sti=sti.sti_from_mti(mti),
            level_dba=a_weighted_level(sig),
        )

    def sti_at(self, r: float) -> float:
        return float(self.evaluate(np.array([r])).sti[0])


def evaluate(setup: RangeSetup, distance_m: np.ndarray) -> Evaluation:
    """Signal, noise, SNR, MTI and STI at the given distances (each >= 1 m)."""
    setup.check()
    return _Model(setup).evaluate(distance_m)


def _crossing(
    model: _Model, d: np.ndarray, curve: np.ndarray, threshold: float
) -> tuple[float | None, str, float | None]:
    """First distance where STI drops below ``threshold``: (distance, status, start).

    status: "crossed" (refined root), "beyond_max" (never drops below up to max_m;
    distance = max_m) or "never" (below it on the whole curve; distance None).
    ``start`` is the curve distance where STI first reaches the threshold when that
    is not at 1 m (with masking, over-loud speech near the source), else None.
    """
    from scipy.optimize import brentq

    above = curve >= threshold
    if not above.any():
        return None, "never", None
    first = int(np.argmax(above))
    start = float(d[first]) if first > 0 else None
    below = np.flatnonzero(~above[first:])
    if below.size == 0:
        return float(d[-1]), "beyond_max", start
    i = first + int(below[0])
    lo, hi = float(d[i - 1]), float(d[i])
    if curve[i - 1] == threshold:
        return lo, "crossed", start
    root = brentq(lambda x: model.sti_at(x) - threshold, lo, hi, xtol=1e-6, rtol=1e-12)
    return float(root), "crossed", start


@dataclass(frozen=True)
class RangeResult:
    """The curve and the ranges, with the inputs that produced them."""

    setup: RangeSetup
    curve: Evaluation
    alpha_db_per_km: np.ndarray
    source_db_1m: np.ndarray
    ranges_m: dict[str, float | None]
    status: dict[str, str]
    notes: list[str]

    @property
    def noise_dba(self) -> float:
        return float(a_weighted_level(np.asarray(self.setup.noise_db, dtype=float)))

    def to_dict(self) -> dict:
        """JSON-ready dict (the ``meari range --json`` schema); rounded as docs/range.md says, no ``-0``."""
        from meari.plan.numbers import no_negative_zero

        s = self.setup
        c = self.curve
        return no_negative_zero({
            "bands_hz": list(BANDS_HZ),
            "band_centres_exact_hz": [round(float(f), 3) for f in EXACT_BANDS_HZ],
            "alpha_db_per_km": [round(float(a), 4) for a in self.alpha_db_per_km],
            "source_db_1m": [round(float(v), 3) for v in self.source_db_1m],
            "noise_db": [round(float(v), 3) for v in s.noise_db],
            "noise_dba": round(self.noise_dba, 3),
            "a_weighting_db": [float(v) for v in A_WEIGHTING_DB],
            "conditions": {
                "spl_1m_db": s.spl_1m_db,
                "spl_weighting": s.spl_weighting,
                "speech_spectrum": s.speech_source,
                "speech_spectrum_rel_db": [round(float(v), 3) for v in np.asarray(s.speech_db) - max(s.speech_db)],
                "noise": s.noise_source,
                "temp_c": s.temp_c,
                "rh_pct": s.rh_pct,
                "pressure_kpa": s.pressure_kpa,
                "terrain": s.terrain,
                "forest_depth_m": s.forest_depth_m if s.terrain == "forest" else None,
                "rt60_s": s.rt60_s,
                "masking": s.masking,
                "max_m": s.max_m,
                "points": s.points,
            },
            "thresholds": {"fair": sti.FAIR, "good": sti.GOOD},
            "range_m": {k: (None if v is None else round(v, 3)) for k, v in self.ranges_m.items()},
            "range_status": dict(self.status),
            # "sti" is the IEC value held to its running minimum from the source outward
            # (what can be relied on up to that distance; monotone by construction);
            # "sti_iec" is the raw IEC 60268-16 value, which may rise by up to ~0.013
            # where one band drops out (see notes). Ranges are the same for both.
            "curve": [
                {"distance_m": round(float(d), 4), "sti": round(float(m), 5), "sti_iec": round(float(v), 5),
                 "level_dba": round(float(lv), 3)}
                for d, m, v, lv in zip(c.distance_m, np.minimum.accumulate(c.sti), c.sti, c.level_dba, strict=True)
            ],
            "assumptions": assumptions(s),
            "notes": list(self.notes),
        })


def plan_range(setup: RangeSetup) -> RangeResult:
    """Compute the STI/level curve from 1 m to ``max_m`` and the fair/good ranges."""
    notes = setup.check()
    model = _Model(setup)
    d = distances(setup)
    ev = model.evaluate(d)
    ranges: dict[str, float | None] = {}
    status: dict[str, str] = {}
    for name, thr in (("fair", sti.FAIR), ("good", sti.GOOD)):
        ranges[name], status[name], start = _crossing(model, d, ev.sti, thr)
        if start is not None:
            notes.append(
                f"STI is below {thr:.2f} near the source and first reaches it at about {start:.0f} m "
                f"(over-loud speech); the {name} range is where it falls below {thr:.2f} again"
            )
    rises = np.diff(ev.sti)
    if np.any(rises > 1e-9):
        i = int(np.argmax(rises))
        notes.append(
            f"STI rises with distance in places (at most +{rises[i]:.4f}, near {d[i + 1]:.0f} m): "
            + ("auditory masking lowers STI for very loud speech near the source, and " if setup.masking else "")
            + "IEC 60268-16's redundancy term -beta*sqrt(MTI_k*MTI_k+1) grows when one band's MTI nears 0 while its "
            "neighbour's does not; every band's MTI still falls with distance. Ranges are the first crossings."
        )
    return RangeResult(setup, ev, model.alpha, model.source, ranges, status, notes)


def assumptions(setup: RangeSetup) -> list[str]:
    """Every assumption the numbers depend on, in words (printed in --json and the report)."""
    s = setup
    weighting = "A-weighted" if s.spl_weighting == "A" else "linear (unweighted)"
    out = [
        f"Source: point source; {s.spl_1m_db:g} dB {weighting} overall long-term speech level at 1 m on axis; "
        "the listener is on the loudspeaker axis (no directivity loss).",
        f"Speech spectrum: {s.speech_source}; shifted so the 7-band {weighting} sum equals the rating exactly.",
        "Bands: octave bands labelled 125-8000 Hz, evaluated at exact base-10 midband frequencies "
        "1000*10^(3k/10) Hz (125.89, 251.19, 501.19, 1000, 1995.26, 3981.07, 7943.28); A-weighting per band "
        "-16.1 -8.6 -3.2 0 +1.2 +1.0 -1.1 dB (IEC 61672-1).",
        "Level at distance r: L_k(r) = L_k,1m - 20*log10(r/1 m) - alpha_k*r/1000 [- foliage]; absorption and "
        "foliage act over the whole distance r.",
        f"Air absorption: ISO 9613-1:1993 pure-tone formula at the exact midband frequency, {s.temp_c:g} C, "
        f"{s.rh_pct:g} % RH, {s.pressure_kpa:g} kPa (water-vapour molar concentration from the Annex B "
        "saturation pressure).",
    ]
    if s.terrain == "forest":
        out.append(
            f"Forest: Hoover foliage attenuation 0.01*min(r, {s.forest_depth_m:g} m)*f^(1/3) dB "
            "(Bies & Hansen, Engineering Noise Control); the path through trees is capped at "
            f"{s.forest_depth_m:g} m (ISO 9613-2 Annex A limits foliage paths to 200 m)."
        )
    else:
        out.append("Open terrain: no excess attenuation (no ground effect, barriers or foliage).")
    out += [
        "Not modelled: wind and temperature gradients (refraction), turbulence, ground reflection, barriers, "
        "terrain shielding; downwind ranges may be longer and upwind ranges much shorter.",
        f"Noise at the listener: {s.noise_source}; steady, diffuse, the same at every distance "
        f"({float(a_weighted_level(np.asarray(s.noise_db))):.1f} dBA over the 7 bands).",
        "STI: IEC 60268-16:2011 (ed. 4) indirect method from per-band SNR; male weights alpha 0.085 0.127 0.230 "
        "0.233 0.309 0.224 0.173, beta 0.085 0.078 0.065 0.011 0.047 0.095; 14 modulation frequencies "
        "0.63-12.5 Hz; apparent SNR clipped to +-15 dB; TI=(SNR+15)/30.",
        (
            f"Reverberation: m(F) multiplied by 1/sqrt(1+(2*pi*F*{s.rt60_s:g}/13.8)^2)."
            if s.rt60_s is not None
            else "No reverberation: noise-only MTF m = 1/(1+10^(-SNR/10)), the same at every modulation frequency."
        ),
        (
            "Auditory masking (by the band below, Table A.1 ed. 4 slope) and absolute reception threshold "
            "(46 27 12 6.5 7.5 8 12 dB) applied: m' = m*I_k/(I_k+I_am,k+I_rt,k) with I_k = speech+noise."
            if s.masking
            else "No auditory masking and no absolute reception threshold (IEC 60268-16 ed. 4 options, "
            "see --masking): the listener's hearing is not the limit (background noise is)."
        ),
        f"Curve: {s.points} points evenly spaced from 1 m to {s.max_m:g} m.",
        "Ranges: first distance at which STI falls below 0.45 (fair) / 0.60 (good) after having reached it, "
        "bracketed on the curve and refined by Brent's method on the continuous model (xtol 1e-6 m); max_m if it "
        "never falls below up to max_m (status beyond_max); null if STI never reaches it (status never).",
    ]
    return out
