"""Wind profiles for the leaflet drift planner, with exact height integrals.

Conventions (used everywhere in ``meari.plan.drift``):

* Heights are metres above the ground at the landing area (flat terrain).
* A wind is given as a speed in m/s and the direction it blows FROM, in degrees
  clockwise from true north (the meteorological convention: 270 = a westerly,
  which pushes leaflets east).
* Internally a wind is the vector (u, v) = (east, north) in m/s it blows TOWARD:
  ``u = -speed * sin(from)``, ``v = -speed * cos(from)``.

Why integrals: a leaflet falling at a constant rate ``w`` from height ``h`` spends
``dz / w`` seconds in every slice ``dz``, so its drift is ``(1/w) * integral_0^h V(z) dz``.
With that integral precomputed once per profile, the drift of any number of leaflets
is a multiplication, which is what makes the Monte Carlo in ``drift.py`` fast and exact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from meari.errors import MeariError

MAX_WIND_MPS = 100.0  # faster than any wind a leaflet drop is planned in; catches unit slips (knots*10, km/h)
MAX_HEIGHT_M = 30_000.0  # above any balloon a leaflet is released from

# 1/7 power law for a neutral surface layer over open, level terrain
# (the classic engineering value; see e.g. Peterson & Hennessey 1978, J. Appl. Meteor. 17:390).
DEFAULT_ALPHA = 1.0 / 7.0
DEFAULT_REF_HEIGHT_M = 10.0  # WMO standard anemometer height


def wind_vector(speed: float, from_deg: float) -> tuple[float, float]:
    """(east, north) components in m/s of a wind of ``speed`` blowing FROM ``from_deg``."""
    rad = math.radians(from_deg)
    return -speed * math.sin(rad), -speed * math.cos(rad)


def _check_speed_dir(speed: float, from_deg: float, where: str, token: str) -> None:
    if not math.isfinite(speed) or speed < 0:
        raise MeariError(f"wind speed must be >= 0 m/s, got {speed:g} in {token!r}", where)
    if speed > MAX_WIND_MPS:
        raise MeariError(f"wind speed {speed:g} m/s in {token!r} is above {MAX_WIND_MPS:g} m/s (units?)", where)
    if not math.isfinite(from_deg) or not 0.0 <= from_deg <= 360.0:
        raise MeariError(f"wind direction must be 0-360 degrees (FROM, clockwise from north), got {from_deg:g} "
                         f"in {token!r}", where)


@dataclass(frozen=True)
class WindProfile:
    """Wind given at heights; vector components linear in height between them, constant beyond.

    ``heights`` strictly increasing, >= 0; ``speeds`` m/s; ``from_deg`` meteorological FROM.
    """

    heights: tuple[float, ...]
    speeds: tuple[float, ...]
    from_deg: tuple[float, ...]

    def __post_init__(self) -> None:
        where = "--wind"
        if not self.heights:
            raise MeariError("the wind profile needs at least one level", where)
        if not (len(self.heights) == len(self.speeds) == len(self.from_deg)):
            raise MeariError("heights, speeds and directions differ in length", where)
        prev = None
        for h, s, d in zip(self.heights, self.speeds, self.from_deg, strict=True):
            token = f"{h:g}:{s:g}@{d:g}"
            if not math.isfinite(h) or h < 0 or h > MAX_HEIGHT_M:
                raise MeariError(f"wind height must be 0-{MAX_HEIGHT_M:g} m above ground, got {h:g} in {token!r}",
                                 where)
            if prev is not None and h <= prev:
                raise MeariError(f"wind heights must increase strictly: {h:g} m follows {prev:g} m in {token!r}", where)
            _check_speed_dir(s, d, where, token)
            prev = h

    # -- vectors -----------------------------------------------------------------------------------------------
    def _knots(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Knot heights (starting at 0) and (u, v) there; the wind below the lowest level equals that level's."""
        z = np.asarray(self.heights, dtype=float)
        uv = np.array([wind_vector(s, d) for s, d in zip(self.speeds, self.from_deg, strict=True)])
        u, v = uv[:, 0], uv[:, 1]
        if z[0] > 0:
            z = np.concatenate(([0.0], z))
            u = np.concatenate(([u[0]], u))
            v = np.concatenate(([v[0]], v))
        return z, u, v

    def vector_at(self, z: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """(u, v) in m/s at height(s) ``z`` (linear between levels, constant beyond)."""
        zk, u, v = self._knots()
        return np.interp(z, zk, u), np.interp(z, zk, v)

    def integral(self, h: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Exact ``integral_0^h (u, v) dz`` in m^2/s, vectorised over ``h``.

        Per segment the wind is linear in z, so the integral is the trapezoid of the
        full segments below plus a quadratic in the distance into the segment holding h.
        """
        zk, u, v = self._knots()
        dz = np.diff(zk)
        cu = np.concatenate(([0.0], np.cumsum(0.5 * (u[:-1] + u[1:]) * dz)))
        cv = np.concatenate(([0.0], np.cumsum(0.5 * (v[:-1] + v[1:]) * dz)))
        # slope per segment starting at each knot; the last one runs to infinity at constant wind
        su = np.concatenate((np.diff(u) / dz, [0.0])) if len(zk) > 1 else np.zeros(1)
        sv = np.concatenate((np.diff(v) / dz, [0.0])) if len(zk) > 1 else np.zeros(1)
        harr = np.asarray(h, dtype=float)
        k = np.clip(np.searchsorted(zk, harr, side="right") - 1, 0, len(zk) - 1)
        d = harr - zk[k]
        iu = cu[k] + u[k] * d + 0.5 * su[k] * d * d
        iv = cv[k] + v[k] * d + 0.5 * sv[k] * d * d
        return iu, iv

    def mean_speed(self, h: float) -> float:
        """Height-averaged wind speed |V| over 0..h, m/s (the scale of turbulent gusts).

        |V| is not linear where the direction turns, so this uses a fine trapezoid
        (4,001 points; only a scalar per plan, not per leaflet).
        """
        if h <= 0:
            return float(np.hypot(*self.vector_at(0.0)))
        z = np.linspace(0.0, h, 4001)
        u, v = self.vector_at(z)
        return float(np.trapezoid(np.hypot(u, v), z) / h)

    def describe(self) -> str:
        return ",".join(f"{h:g}:{s:g}@{d:g}" for h, s, d in zip(self.heights, self.speeds, self.from_deg, strict=True))

    def to_dict(self) -> dict:
        return {
            "kind": "levels",
            "levels": [{"height_m": h, "speed_mps": s, "from_deg": d}
                       for h, s, d in zip(self.heights, self.speeds, self.from_deg, strict=True)],
        }


@dataclass(frozen=True)
class PowerLawWind:
    """Surface wind extrapolated by a power law: ``speed(z) = speed_ref * (z / ref_height) ** alpha``.

    Direction constant with height. Exact integral: ``speed_ref * z_ref / (alpha + 1) * (h / z_ref) ** (alpha + 1)``.
    """

    speed: float
    from_deg: float
    ref_height: float = DEFAULT_REF_HEIGHT_M
    alpha: float = DEFAULT_ALPHA

    def __post_init__(self) -> None:
        where = "--surface-wind"
        _check_speed_dir(self.speed, self.from_deg, where, f"{self.speed:g}@{self.from_deg:g}")
        if not math.isfinite(self.ref_height) or self.ref_height <= 0:
            raise MeariError(f"reference height must be > 0 m, got {self.ref_height:g}", "--ref-height")
        if not 0.5 <= self.ref_height <= 1000.0:
            raise MeariError(f"reference height must be 0.5-1000 m (where a surface wind is measured: an anemometer "
                             f"mast is 2-10 m), got {self.ref_height:g}", "--ref-height")
        if not math.isfinite(self.alpha) or not 0.0 <= self.alpha <= 1.0:
            raise MeariError(f"power-law exponent must be 0-1, got {self.alpha:g}", "--alpha")

    def vector_at(self, z: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        ue, ve = wind_vector(self.speed, self.from_deg)
        f = (np.maximum(np.asarray(z, dtype=float), 0.0) / self.ref_height) ** self.alpha
        return ue * f, ve * f

    def integral(self, h: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        ue, ve = wind_vector(self.speed, self.from_deg)
        harr = np.maximum(np.asarray(h, dtype=float), 0.0)
        g = self.ref_height / (self.alpha + 1.0) * (harr / self.ref_height) ** (self.alpha + 1.0)
        return ue * g, ve * g

    def mean_speed(self, h: float) -> float:
        if h <= 0:
            return 0.0
        return float(self.speed * (h / self.ref_height) ** self.alpha / (self.alpha + 1.0))

    def check_up_to(self, h: float) -> None:
        """The power law extrapolated to the release height must stay a wind (at most MAX_WIND_MPS)."""
        top = float(self.speed * (max(h, self.ref_height) / self.ref_height) ** self.alpha)
        if top > MAX_WIND_MPS:
            raise MeariError(f"the power law makes {top:,.0f} m/s at {h:g} m from {self.speed:g} m/s at "
                             f"{self.ref_height:g} m; above {MAX_WIND_MPS:g} m/s it is no wind (give measured "
                             "levels with --wind)", "--surface-wind")

    def describe(self) -> str:
        return f"{self.speed:g}@{self.from_deg:g} at {self.ref_height:g} m, power law alpha={self.alpha:.3g}"

    def to_dict(self) -> dict:
        return {"kind": "power_law", "speed_mps": self.speed, "from_deg": self.from_deg,
                "ref_height_m": self.ref_height, "alpha": self.alpha}


Wind = WindProfile | PowerLawWind

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_LEVEL = re.compile(rf"^\s*({_NUM})\s*:\s*({_NUM})\s*@\s*({_NUM})\s*$")
_SURFACE = re.compile(rf"^\s*({_NUM})\s*@\s*({_NUM})\s*$")


def parse_wind(text: str) -> WindProfile:
    """Parse ``"H:SPEED@FROM,..."`` (metres, m/s, degrees FROM) into a profile, naming any bad token."""
    where = "--wind"
    if not text or not text.strip():
        raise MeariError("empty wind profile; expected e.g. '0:2@270,300:10@270' (HEIGHT_M:SPEED_MPS@FROM_DEG)",
                         where)
    hs, ss, ds = [], [], []
    for token in text.split(","):
        m = _LEVEL.match(token)
        if not m:
            raise MeariError(f"malformed wind level {token.strip()!r}; expected HEIGHT_M:SPEED_MPS@FROM_DEG, "
                             f"e.g. '300:10@270'", where)
        hs.append(float(m.group(1)))
        ss.append(float(m.group(2)))
        ds.append(float(m.group(3)))
    return WindProfile(tuple(hs), tuple(ss), tuple(ds))


def parse_surface_wind(text: str, ref_height: float = DEFAULT_REF_HEIGHT_M,
                       alpha: float = DEFAULT_ALPHA) -> PowerLawWind:
    """Parse ``"SPEED@FROM"`` (m/s at ``ref_height``, degrees FROM) into a power-law profile."""
    m = _SURFACE.match(text or "")
    if not m:
        raise MeariError(f"malformed surface wind {text!r}; expected SPEED_MPS@FROM_DEG, e.g. '4@270'",
                         "--surface-wind")
    return PowerLawWind(float(m.group(1)), float(m.group(2)), ref_height, alpha)
