"""Leaflet drift: where leaflets released at a height land, for a wind profile.

The model (docs/drift.md has the long form):

* Each leaflet falls at its own constant rate ``w_i`` (terminal velocity is reached
  within a fraction of a second) and moves horizontally with the wind plus a
  turbulent gust velocity. Flat ground, no updrafts; the wind is the same
  everywhere horizontally.
* Mean drift, exact: a leaflet spends ``dz / w_i`` seconds in each slice ``dz``, so
  its wind drift is ``W(h) / w_i`` with ``W(h) = integral_0^h V(z) dz``, computed
  analytically per layer (``meari.plan.wind``). No time stepping, so zero
  turbulence reproduces the analytic drift to rounding.
* Spread factor (our interpretation, see ``sigma_for_spread``): leaflets of one
  type do not all fall at the table rate. Fall-time factors ``f_i = w0 / w_i`` are
  log-normal with mean 1 and a log-sigma chosen so that, from descent-rate
  variation alone, the along-wind span holding the central 90 % of the leaflets
  (5th to 95th percentile of drift) equals ``spread factor x mean drift``.
* Turbulence: the gust velocity is an Ornstein-Uhlenbeck process with standard
  deviation ``intensity x mean wind speed over the fall`` on each horizontal axis
  and Lagrangian time scale ``T_L``; its integral over a fall time ``T`` is
  Gaussian with variance ``2 s^2 T_L^2 (T/T_L - 1 + exp(-T/T_L))`` (Taylor 1921),
  drawn directly per leaflet. Exact for that process, vectorised.
* Release platform: a hovering drone releases at a point; a moving drone spreads
  the release uniformly along its track (release point = middle of the run); a
  balloon or shell burst starts the leaflets with a Gaussian scatter (east,
  north and height) of the given standard deviation.

Everything is numpy over all leaflets at once: no per-leaflet Python loop and no
per-time-step loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from meari.errors import MeariError
from meari.plan.geo import LocalFrame, check_latlon, geometry_geojson
from meari.plan.wind import MAX_HEIGHT_M, Wind

FT = 0.3048  # metres per international foot

# US Army GTA 33-01-003 (leaflet drift graphic training aid), table for 6x3 in leaflets:
# rate of descent (ft/s) and spread factor per paper weight; leaflets per pound from the same table.
# Figures as quoted in /work/shared/DOMAIN.md ("Leaflets"). The 20 lb leaflet autorotates, which is
# why it falls slower than the lighter papers.
GTA_6X3: dict[str, tuple[float, float, int, str]] = {
    "6x3-9lb": (3.1, 0.48, 1154, ""),
    "6x3-13lb": (3.6, 0.89, 799, ""),
    "6x3-16lb": (4.7, 1.04, 649, ""),
    "6x3-20lb": (2.5, 1.11, 519, "autorotating"),
    "6x3-60lb": (1.8, 0.54, 440, ""),
}
GTA_SOURCE = "US Army GTA 33-01-003, 6x3 in leaflets"

FOOTPRINT_FRACTIONS = (0.5, 0.9)
DEFAULT_LAGRANGIAN_S = 50.0  # Lagrangian time scale of boundary-layer gusts (order 10-100 s); an assumption
MAX_N = 10_000_000
MAX_GRID_AXIS = 2000  # cells per axis at most (4 M cells) whatever the outliers
Z95 = 1.6448536269514722  # standard normal 95th percentile

# Physics limits (each error says which one and why; docs/drift.md "Limits").
#: Slowest descent accepted: slower than any paper falls in still air (the GTA table's slowest leaflet,
#: 6x3 in 60 lb, falls at 0.55 m/s; a sheet of tissue at about 0.3 m/s). 0.0001 m/s would be a 35-day fall.
MIN_DESCENT_MPS = 0.2
#: Fastest: the table's fastest leaflet falls at 1.43 m/s; at 10 m/s it is a bundle that failed to open,
#: which falls like a stone, not a leaflet, and the drift model does not apply.
MAX_DESCENT_MPS = 10.0
#: Longest nominal fall (height / descent rate): one wind profile describes the air for an hour or two,
#: not longer; a fall over 3 h would need a forecast that changes along the way.
MAX_FALL_S = 3 * 3600.0
#: Farthest mean drift: the model takes one wind for the whole area and flat ground; over more than
#: 200 km neither holds (and the fall time limit above already bounds most cases).
MAX_DRIFT_M = 200_000.0
#: Gust (Lagrangian) time scale accepted: boundary-layer values are 10-100 s; outside 0.1 s-1 h it is no gust.
MIN_LAGRANGIAN_S = 0.1
MAX_LAGRANGIAN_S = 3600.0
#: From this height on, a note says how much thinner air shortens the fall (table rates are sea level).
THIN_AIR_NOTE_M = 2000.0


# ----------------------------------------------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leaflet:
    """A leaflet type: nominal descent rate (m/s) and doctrinal spread factor."""

    name: str
    descent_mps: float
    spread: float
    source: str = "custom"
    per_lb: int | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.descent_mps) or self.descent_mps <= 0:
            raise MeariError(f"descent rate must be > 0 m/s, got {self.descent_mps:g}", "--descent-mps")
        if self.descent_mps < MIN_DESCENT_MPS:
            raise MeariError(f"descent rate {self.descent_mps:g} m/s is slower than any paper falls in still air "
                             f"(at least {MIN_DESCENT_MPS:g} m/s; the GTA 33-01-003 leaflets fall at 0.55-1.43 m/s), "
                             f"got {self.descent_mps:g}", "--descent-mps")
        if self.descent_mps > MAX_DESCENT_MPS:
            raise MeariError(f"descent rate {self.descent_mps:g} m/s is not a leaflet's (at most "
                             f"{MAX_DESCENT_MPS:g} m/s; leaflets fall at 0.55-1.43 m/s; units? expected m/s), "
                             f"got {self.descent_mps:g}", "--descent-mps")
        if not math.isfinite(self.spread) or not 0.0 <= self.spread <= 3.0:
            raise MeariError(f"spread factor must be 0-3, got {self.spread:g}", "--spread")


def leaflet_type(name: str) -> Leaflet:
    """A leaflet from the GTA 33-01-003 6x3 in table, e.g. ``"6x3-20lb"``."""
    key = name.strip().lower().replace(" ", "")
    if key not in GTA_6X3:
        raise MeariError(f"unknown leaflet {name!r}; known: {', '.join(GTA_6X3)} (or give --descent-mps and --spread)",
                         "--leaflet")
    fps, spread, per_lb, note = GTA_6X3[key]
    return Leaflet(key, fps * FT, spread, f"{GTA_SOURCE}: {fps} ft/s, spread factor {spread}"
                   + (f" ({note})" if note else ""), per_lb)


Kind = Literal["hover", "drone", "balloon", "shell"]
PLATFORM_LABEL = {"hover": "hovering drone", "drone": "moving drone", "balloon": "balloon burst",
                  "shell": "shell burst"}


@dataclass(frozen=True)
class Platform:
    """How leaflets leave the air vehicle.

    ``drone``: moving at ``speed_mps`` toward ``heading_deg`` (clockwise from north),
    releasing uniformly over ``release_s`` seconds centred on the release point.
    ``balloon``/``shell``: a burst scattering leaflets with standard deviation
    ``burst_sigma_m`` in east, north and height.
    """

    kind: Kind = "hover"
    speed_mps: float = 0.0
    heading_deg: float = 0.0
    release_s: float = 0.0
    burst_sigma_m: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in PLATFORM_LABEL:
            raise MeariError(f"unknown platform {self.kind!r}; known: {', '.join(PLATFORM_LABEL)}", "--platform")
        for name, v, hi in (("--drone-speed", self.speed_mps, 100.0), ("--release-s", self.release_s, 3600.0),
                            ("--burst-spread-m", self.burst_sigma_m, 2000.0)):
            if not math.isfinite(v) or not 0.0 <= v <= hi:
                raise MeariError(f"must be 0-{hi:g}, got {v:g}", name)
        if not math.isfinite(self.heading_deg) or not 0.0 <= self.heading_deg <= 360.0:
            raise MeariError(f"heading must be 0-360 degrees, got {self.heading_deg:g}", "--drone-heading")
        if self.kind == "shell" and self.burst_sigma_m <= 0:
            raise MeariError("a shell burst needs its initial spread: give --burst-spread-m > 0", "--platform")

    def describe(self) -> str:
        if self.kind == "drone":
            return (f"moving drone, {self.speed_mps:g} m/s toward {self.heading_deg:g} deg, "
                    f"release over {self.release_s:g} s ({self.speed_mps * self.release_s:.0f} m run)")
        if self.kind in ("balloon", "shell"):
            return f"{PLATFORM_LABEL[self.kind]}, initial spread sigma {self.burst_sigma_m:g} m"
        return "hovering drone"


@dataclass(frozen=True)
class Scenario:
    """Everything that decides where the leaflets land (release position aside: see ``plan``)."""

    height_m: float
    wind: Wind
    leaflet: Leaflet
    platform: Platform = field(default_factory=Platform)
    turbulence: float = 0.0
    lagrangian_s: float = DEFAULT_LAGRANGIAN_S
    n: int = 10_000
    seed: int = 0

    def __post_init__(self) -> None:
        if not math.isfinite(self.height_m) or not 0.0 < self.height_m <= MAX_HEIGHT_M:
            raise MeariError(f"release height must be > 0 and <= {MAX_HEIGHT_M:g} m, got {self.height_m:g}",
                             "--height-m")
        if not math.isfinite(self.turbulence) or not 0.0 <= self.turbulence <= 2.0:
            raise MeariError(f"turbulence intensity must be 0-2 (gust sd / mean wind), got {self.turbulence:g}",
                             "--turbulence")
        if not math.isfinite(self.lagrangian_s) or self.lagrangian_s <= 0:
            raise MeariError(f"Lagrangian time scale must be > 0 s, got {self.lagrangian_s:g}", "--lagrangian-s")
        if not MIN_LAGRANGIAN_S <= self.lagrangian_s <= MAX_LAGRANGIAN_S:
            raise MeariError(f"Lagrangian time scale must be {MIN_LAGRANGIAN_S:g}-{MAX_LAGRANGIAN_S:g} s (gusts in the "
                             f"boundary layer last some 10-100 s), got {self.lagrangian_s:g}", "--lagrangian-s")
        if isinstance(self.n, bool) or not isinstance(self.n, int | np.integer) or not 1 <= self.n <= MAX_N:
            raise MeariError(f"leaflet count must be 1-{MAX_N:,}, got {self.n}", "--n")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise MeariError(f"seed must be an integer >= 0, got {self.seed}", "--seed")
        if self.seed >= 2**63:
            raise MeariError(f"seed must be below 2^63, got {self.seed}", "--seed")
        fall = self.height_m / self.leaflet.descent_mps
        if fall > MAX_FALL_S:
            raise MeariError(f"a {fall:,.0f} s ({fall / 3600:.1f} h) fall from {self.height_m:g} m at "
                             f"{self.leaflet.descent_mps:.3g} m/s is longer than the {MAX_FALL_S / 3600:g} h one wind "
                             f"profile can describe; release lower (at most "
                             f"{MAX_FALL_S * self.leaflet.descent_mps:,.0f} m for this leaflet)", "--height-m")
        check = getattr(self.wind, "check_up_to", None)
        if check is not None:
            check(self.height_m)
        track = self.platform.speed_mps * self.platform.release_s if self.platform.kind == "drone" else 0.0
        if track > MAX_DRIFT_M:
            raise MeariError(f"a {track / 1000:,.0f} km release run is longer than the {MAX_DRIFT_M / 1000:g} km one "
                             "wind can describe; plan it as several drops", "--release-s")
        wu, wv = (float(a) for a in self.wind.integral(self.height_m))
        drift = math.hypot(wu, wv) / self.leaflet.descent_mps
        if drift > MAX_DRIFT_M:
            raise MeariError(f"the mean drift would be {drift / 1000:,.0f} km; beyond {MAX_DRIFT_M / 1000:g} km one "
                             "horizontally uniform wind over flat ground is not a model of the air (release lower, "
                             "or closer, in less wind)", "--wind")

    def notes(self) -> list[str]:
        """Where the inputs stretch the model, in words (printed with the plan, listed in --json)."""
        out = []
        if self.height_m >= THIN_AIR_NOTE_M:
            ratio = thin_air_fall_ratio(self.height_m)
            out.append(f"released at {self.height_m:g} m: the air up there is thinner (ISA density "
                       f"{isa_density_ratio(self.height_m):.0%} of sea level), so leaflets fall faster than the "
                       f"sea-level table rate; fall time and drift are overestimated by about "
                       f"{(1 / ratio - 1):.0%} (ISA estimate, not corrected)")
        return out


def isa_density_ratio(z: float | np.ndarray) -> np.ndarray:
    """Air density over sea-level density in the ICAO standard atmosphere (troposphere, then isothermal)."""
    z = np.asarray(z, dtype=float)
    tropo = (1.0 - 0.0065 * np.minimum(z, 11_000.0) / 288.15) ** 4.255876
    return tropo * np.exp(-np.maximum(z - 11_000.0, 0.0) / 6341.62)


def thin_air_fall_ratio(h: float) -> float:
    """True fall time over the sea-level-rate fall time from ``h``: terminal speed goes as 1/sqrt(density)."""
    z = np.linspace(0.0, h, 2001)
    return float(np.trapezoid(np.sqrt(isa_density_ratio(z)), z) / h) if h > 0 else 1.0


# ----------------------------------------------------------------------------------------------------------------
# Spread factor -> descent-rate variation
# ----------------------------------------------------------------------------------------------------------------
def span90(sigma: float) -> float:
    """5th-95th percentile span of a mean-1 log-normal ``exp(sigma Z - sigma^2/2)``."""
    return 2.0 * math.exp(-0.5 * sigma * sigma) * math.sinh(Z95 * sigma)


def sigma_for_spread(spread: float) -> float:
    """Log-sigma of the fall-time factor for a doctrinal spread factor (see module doc).

    ``span90`` rises monotonically on [0, 1.6] (to 3.8), so bisection finds the unique root.
    """
    if spread <= 0:
        return 0.0
    lo, hi = 0.0, 1.6
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if span90(mid) < spread:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def turbulent_sd(t: np.ndarray, gust_sd: float, lagrangian_s: float) -> np.ndarray:
    """Standard deviation (m, per horizontal axis) of the integrated OU gust velocity after ``t`` seconds."""
    x = np.asarray(t, dtype=float) / lagrangian_s
    var = 2.0 * gust_sd**2 * lagrangian_s**2 * (x + np.expm1(-x))
    return np.sqrt(np.maximum(var, 0.0))


# ----------------------------------------------------------------------------------------------------------------
# Simulation
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Landings:
    """Landing offsets (m east, m north) from the release point, and each leaflet's fall time (s)."""

    east: np.ndarray
    north: np.ndarray
    fall_time: np.ndarray
    sigma_log: float  # log-sd of the fall-time factor used
    gust_sd: float  # turbulent gust velocity sd used, m/s
    mean_wind: tuple[float, float]  # W(h)/h at the nominal height: mean wind over the fall, m/s (east, north)


def simulate(sc: Scenario) -> Landings:
    """Land ``sc.n`` leaflets. Deterministic for a given scenario (seeded PCG64)."""
    from scipy.special import ndtri

    n = int(sc.n)
    rng = np.random.default_rng(int(sc.seed))
    w0 = sc.leaflet.descent_mps
    sigma = sigma_for_spread(sc.leaflet.spread)

    # Fall-time factors f_i = w0 / w_i: stratified log-normal (one draw per quantile stratum, randomly
    # assigned), then scaled to a sample mean of exactly 1 so the centroid carries no sampling noise from it.
    if sigma > 0:
        z = ndtri((rng.permutation(n) + 0.5) / n)
        f = np.exp(sigma * z)
        f /= f.mean()
    else:
        f = np.ones(n)

    # Release positions.
    x0 = np.zeros(n)
    y0 = np.zeros(n)
    pf = sc.platform
    uniform_height = True
    h = np.full(n, float(sc.height_m))
    if pf.kind == "drone" and pf.speed_mps > 0 and pf.release_s > 0:
        along = pf.speed_mps * pf.release_s * ((rng.permutation(n) + 0.5) / n - 0.5)
        hd = math.radians(pf.heading_deg)
        x0 = along * math.sin(hd)
        y0 = along * math.cos(hd)
    elif pf.kind in ("balloon", "shell") and pf.burst_sigma_m > 0:
        b = rng.standard_normal((3, n)) * pf.burst_sigma_m
        x0, y0 = b[0], b[1]
        h = np.maximum(h + b[2], 0.0)
        uniform_height = False

    # Exact wind drift: W(h_i) / w_i = W(h_i) * f_i / w0.
    if uniform_height:
        wu, wv = (float(a) for a in sc.wind.integral(sc.height_m))
        t = (sc.height_m / w0) * f
        east = x0 + (wu / w0) * f
        north = y0 + (wv / w0) * f
    else:
        wu_i, wv_i = sc.wind.integral(h)
        t = h * f / w0
        east = x0 + wu_i * f / w0
        north = y0 + wv_i * f / w0
        wu, wv = (float(a) for a in sc.wind.integral(sc.height_m))

    gust = sc.turbulence * sc.wind.mean_speed(sc.height_m)
    if gust > 0:
        sd = turbulent_sd(t, gust, sc.lagrangian_s)
        g = rng.standard_normal((2, n))
        east = east + sd * g[0]
        north = north + sd * g[1]
    return Landings(np.asarray(east, dtype=float), np.asarray(north, dtype=float), t, sigma, gust,
                    (wu / sc.height_m, wv / sc.height_m))


# ----------------------------------------------------------------------------------------------------------------
# Density grid and footprints
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DensityGrid:
    """Leaflet counts on a square grid in the release point's east/north frame.

    ``counts[j, i]`` holds leaflets with ``x0 + i*cell <= east < x0 + (i+1)*cell`` and likewise
    north with ``y0`` and ``j``. ``per_100m2`` scales counts to leaflets per 100 m^2.
    """

    counts: np.ndarray
    x0: float
    y0: float
    cell: float

    @property
    def per_100m2(self) -> np.ndarray:
        return self.counts * (100.0 / (self.cell * self.cell))

    @property
    def shape(self) -> tuple[int, int]:
        return self.counts.shape  # type: ignore[return-value]


def _nice_cell(span: float, max_cells: int) -> float:
    """Smallest 1-2-5 x 10^k cell (>= 1 m) giving at most ``max_cells`` cells over ``span``."""
    need = max(span / max_cells, 1.0)
    k = math.floor(math.log10(need))
    for m in (1.0, 2.0, 5.0, 10.0):
        c = m * 10.0**k
        if c >= need * (1 - 1e-12):
            return c
    return 10.0 ** (k + 1)  # pragma: no cover


def density_grid(east: np.ndarray, north: np.ndarray, cell: float | None = None) -> DensityGrid:
    """Bin every landing point (none dropped: the grid spans them all).

    The cell (1-2-5 x 10^k m, at least 1 m) adapts so the central 99 % of landings spans at most
    ``clip(2 sqrt(n), 20, 200)`` cells on its longer axis: fine enough to resolve the footprint,
    coarse enough that each cell holds a useful count.
    """
    n = east.size
    xmin, xmax = float(east.min()), float(east.max())
    ymin, ymax = float(north.min()), float(north.max())
    if cell is None:
        # Size cells on the central 99 % (a few far stragglers must not coarsen the grid), but never so
        # fine that the full extent needs more than MAX_GRID_AXIS cells per axis.
        max_cells = int(min(max(2.0 * math.sqrt(n), 20.0), 200.0))
        qx = np.quantile(east, [0.005, 0.995]) if n >= 200 else (xmin, xmax)
        qy = np.quantile(north, [0.005, 0.995]) if n >= 200 else (ymin, ymax)
        cell = _nice_cell(max(qx[1] - qx[0], qy[1] - qy[0]), max_cells)
        cell = max(cell, _nice_cell(max(xmax - xmin, ymax - ymin), MAX_GRID_AXIS))
    x0 = math.floor(xmin / cell) * cell
    y0 = math.floor(ymin / cell) * cell
    nx = int(math.floor((xmax - x0) / cell)) + 1
    ny = int(math.floor((ymax - y0) / cell)) + 1
    ix = np.minimum(((east - x0) / cell).astype(np.int64), nx - 1)
    iy = np.minimum(((north - y0) / cell).astype(np.int64), ny - 1)
    counts = np.bincount(iy * nx + ix, minlength=nx * ny).reshape(ny, nx)
    return DensityGrid(counts, x0, y0, cell)


@dataclass(frozen=True)
class Footprint:
    """A region (shapely geometry, metres east/north of release) holding at least ``fraction`` of the leaflets."""

    fraction: float
    held: float  # fraction of the simulated leaflets actually inside
    area_m2: float
    geom: Any


def footprint(grid: DensityGrid, fraction: float) -> Footprint:
    """Highest-density region from ranked grid cells; holds >= ``fraction`` of leaflets by construction.

    Cells are ranked by a lightly smoothed density (Gaussian, sigma 1 cell) so the region is compact
    rather than speckled, then taken in that order until their raw counts reach ``ceil(fraction n)``.
    The polygon is the exact union of those cells, so every counted leaflet is inside it (on its
    boundary at worst) and ``held`` is an exact count, not an estimate.
    """
    import shapely
    from scipy.ndimage import gaussian_filter

    counts = grid.counts
    n = int(counts.sum())
    need = max(1, math.ceil(fraction * n - 1e-9))
    smooth = gaussian_filter(counts.astype(float), 1.0, mode="constant", truncate=3.0)
    # rank by smoothed density, ties by raw count (both descending)
    order = np.lexsort((-counts.ravel(), -smooth.ravel()))
    cum = np.cumsum(counts.ravel()[order])
    k = int(np.searchsorted(cum, need))
    sel = order[: k + 1]
    held = int(cum[k])
    mask = np.zeros(counts.size, dtype=bool)
    mask[sel] = True
    mask = mask.reshape(counts.shape)

    # Row runs -> rectangles -> union (far fewer pieces than single cells).
    pad = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    pad[:, 1:-1] = mask
    d = np.diff(pad, axis=1)
    rs, cs = np.nonzero(d == 1)
    re_, ce = np.nonzero(d == -1)
    # nonzero scans row-major, so starts and ends pair up in order
    c = grid.cell
    boxes = shapely.box(grid.x0 + cs * c, grid.y0 + rs * c, grid.x0 + ce * c, grid.y0 + (rs + 1) * c)
    geom = shapely.simplify(shapely.union_all(boxes), 0.0)
    return Footprint(fraction, held / n, float(geom.area), geom)


def radius_holding(east: np.ndarray, north: np.ndarray, cx: float, cy: float, fraction: float) -> float:
    """Smallest radius around (cx, cy) with at least ``ceil(fraction n)`` points within it (order statistic)."""
    d2 = (east - cx) ** 2 + (north - cy) ** 2
    k = max(1, math.ceil(fraction * d2.size - 1e-9))
    return float(math.sqrt(np.partition(d2, k - 1)[k - 1]))


# ----------------------------------------------------------------------------------------------------------------
# The plan
# ----------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Core:
    """What the simulation says, independent of where on Earth the release is."""

    landings: Landings
    grid: DensityGrid
    footprints: tuple[Footprint, ...]
    centroid: tuple[float, float]
    radii: dict[float, float]


def analyse(sc: Scenario, fractions: tuple[float, ...] = FOOTPRINT_FRACTIONS) -> Core:
    """Simulate, grid, and compute footprints and radii (the benchmarked path)."""
    land = simulate(sc)
    grid = density_grid(land.east, land.north)
    fps = tuple(footprint(grid, p) for p in fractions)
    cx, cy = float(land.east.mean()), float(land.north.mean())
    radii = {p: radius_holding(land.east, land.north, cx, cy, p) for p in fractions}
    return Core(land, grid, fps, (cx, cy), radii)


@dataclass(frozen=True)
class DriftPlan:
    """A complete drift plan: scenario, release point, simulation results, optional aim and target."""

    scenario: Scenario
    release: tuple[float, float]  # lat, lon
    core: Core
    frame: LocalFrame
    target: Any = None  # shapely geometry in lon/lat
    target_xy: Any = None  # the same in the release frame, metres
    fraction_in_target: float | None = None
    aim: tuple[float, float] | None = None  # lat, lon

    @property
    def centroid_latlon(self) -> tuple[float, float]:
        lon, lat = self.frame.to_lonlat(*self.core.centroid)
        return float(lat), float(lon)

    def landing_lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        return self.frame.to_lonlat(self.core.landings.east, self.core.landings.north)


def solve_release(sc: Scenario, aim: tuple[float, float], core: Core | None = None) -> tuple[float, float]:
    """Release (lat, lon) whose leaflet centroid lands on ``aim``.

    The wind field is horizontally uniform, so the landing pattern relative to the release point does
    not depend on where the release is: the answer is the aim shifted back by the mean drift. The
    shift is applied geodesically (a few fixed-point steps through each candidate's own local frame,
    so meridian convergence over long drifts is accounted for).
    """
    check_latlon(*aim, "--aim")
    core = core or analyse(sc)
    cx, cy = core.centroid
    aim_frame = LocalFrame(*aim)
    rx, ry = -cx, -cy  # release position in the aim frame
    lat = lon = 0.0
    for _ in range(6):
        lon_a, lat_a = aim_frame.to_lonlat(rx, ry)
        lat, lon = float(lat_a), float(lon_a)
        land_lon, land_lat = LocalFrame(lat, lon).to_lonlat(cx, cy)
        ex, ey = aim_frame.to_xy(land_lon, land_lat)
        ex, ey = float(ex), float(ey)
        if math.hypot(ex, ey) < 1e-4:
            break
        rx -= ex
        ry -= ey
    check_latlon(lat, lon, "solved release point")
    return lat, lon


def plan(sc: Scenario, release: tuple[float, float] | None = None, *, aim: tuple[float, float] | None = None,
         target: Any = None, core: Core | None = None) -> DriftPlan:
    """Build a plan from a release point, or from an aim point (inverse planning), with an optional target.

    ``target`` is a shapely (Multi)Polygon in WGS84 lon/lat (see ``meari.plan.geo.load_target``).
    """
    import shapely

    if release is None and aim is None:
        raise MeariError("give a release point (--release LAT,LON) or an aim point (--aim LAT,LON)", "drift")
    core = core or analyse(sc)
    if aim is not None:
        release = solve_release(sc, aim, core)
    assert release is not None
    check_latlon(*release, "--release")
    frame = LocalFrame(*release)
    _check_pole(frame, core)
    target_xy = frac = None
    if target is not None:
        target_xy = frame.geom_to_xy(target)
        shapely.prepare(target_xy)
        inside = shapely.intersects_xy(target_xy, core.landings.east, core.landings.north)
        frac = float(np.count_nonzero(inside)) / inside.size
    return DriftPlan(sc, release, core, frame, target, target_xy, frac, aim)


def _check_pole(frame: LocalFrame, core: Core) -> None:
    """Refuse a plan whose leaflets land around a pole: no lon/lat polygon (GeoJSON) can hold that footprint.

    Everything in metres is fine there, but a footprint enclosing a pole has no valid longitude/latitude
    outline; leaflet drops are not planned there, so the answer is a clear error, not a broken file.
    """
    import shapely

    margin = 2.0 * core.grid.cell
    outer = max(core.footprints, key=lambda f: f.fraction).geom
    east, north = core.landings.east, core.landings.north
    for lat_p, name in ((90.0, "North"), (-90.0, "South")):
        px, py = (float(v) for v in frame.to_xy(0.0, lat_p))
        near_land = float(np.min(np.hypot(east - px, north - py))) < margin
        if near_land or shapely.distance(outer, shapely.Point(px, py)) < margin:
            raise MeariError(f"leaflets would land around the {name} Pole: a footprint there has no "
                             "longitude/latitude outline (release farther from the pole or drift less)", "--release")


def with_changes(sc: Scenario, **changes: Any) -> Scenario:
    """A copy of ``sc`` with fields changed (convenience for callers and tests)."""
    return replace(sc, **changes)


# ----------------------------------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------------------------------
CONVENTIONS = ("wind directions are FROM, degrees clockwise from true north; offsets are metres east/north of the "
               "release point in a local azimuthal-equidistant WGS84 frame; heights metres above ground; "
               "radii hold ceil(p*n) points around the centroid; density in leaflets per 100 m2")


def bearing_deg(east: float, north: float) -> float:
    """Compass bearing (clockwise from north) of a vector pointing TOWARD (east, north)."""
    b = math.degrees(math.atan2(east, north)) % 360.0
    return 0.0 if b >= 360.0 else b  # -1e-17 % 360 rounds to 360.0


def geojson(p: DriftPlan) -> dict:
    """GeoJSON FeatureCollection (WGS84): footprints, release, centroid, aim and target."""
    import shapely

    feats: list[dict] = []
    for fp in sorted(p.core.footprints, key=lambda f: -f.fraction):
        # Edges split to one cell length before projecting (a km-long straight edge in the local frame is not
        # straight in lon/lat), and 9 decimals (0.1 mm): otherwise edges move by millimetres to centimetres,
        # enough to move leaflets lying near an edge across it at realistic densities.
        seg = shapely.segmentize(fp.geom, p.core.grid.cell)
        ll = p.frame.geom_to_lonlat(seg)
        if not ll.is_valid:  # near a pole the lon/lat outline can fold; repair rather than fail
            ll = shapely.make_valid(ll)
        geom = geometry_geojson(ll, ndigits=9)
        feats.append({"type": "Feature", "geometry": geom,
                      "properties": {"kind": "footprint", "fraction": fp.fraction,
                                     "fraction_held": round(fp.held, 6), "area_m2": round(fp.area_m2, 1)}})
    clat, clon = p.centroid_latlon
    pts = [("release", p.release, {"height_m": p.scenario.height_m, "platform": p.scenario.platform.kind}),
           ("centroid", (clat, clon), {})]
    if p.aim is not None:
        pts.append(("aim", p.aim, {}))
    for kind, (lat, lon), extra in pts:
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                      "properties": {"kind": kind, **extra}})
    if p.target is not None:
        feats.append({"type": "Feature", "geometry": geometry_geojson(p.target),
                      "properties": {"kind": "target", "fraction_in_target": round(p.fraction_in_target or 0.0, 6)}})
    return {"type": "FeatureCollection", "features": feats}


def plan_notes(p: DriftPlan) -> list[str]:
    """The scenario's notes, and a far-away target (often a GeoJSON written [lat, lon] instead of [lon, lat])."""
    out = p.scenario.notes()
    if p.target_xy is not None:
        import shapely

        cx, cy = p.core.centroid
        gap = float(shapely.distance(p.target_xy, shapely.Point(cx, cy)))
        if gap > max(10_000.0, 10.0 * p.core.radii.get(0.9, 0.0)):
            out.append(f"the target is {gap / 1000:,.0f} km from where the leaflets land: check its coordinates "
                       "(GeoJSON order is [longitude, latitude]) and the release point")
    return out


def to_dict(p: DriftPlan) -> dict:
    """The machine-readable plan (``meari drift --json``).

    Rounded to what the model can say (docs/drift.md "Precision"): metres to 0.1 m, seconds to 0.1 s,
    speeds to 0.001 m/s, degrees of bearing to 0.1, latitude/longitude to 7 decimals (about 1 cm),
    fractions to 6 decimals, areas to 1 m2, densities to 4 significant figures; never ``-0``.
    """
    from meari.plan.numbers import no_negative_zero, rnd

    sc, c, land = p.scenario, p.core, p.core.landings
    cx, cy = c.centroid
    clat, clon = p.centroid_latlon
    g = c.grid
    dens = g.per_100m2
    peak = float(dens.max())
    out: dict[str, Any] = {
        "n": int(sc.n),
        "landed": int(g.counts.sum()),
        "seed": int(sc.seed),
        "fall_time_s": rnd(land.fall_time.mean(), 1),
        "fall_time_nominal_s": rnd(sc.height_m / sc.leaflet.descent_mps, 1),
        "centroid_east_m": rnd(cx, 1),
        "centroid_north_m": rnd(cy, 1),
        "drift_m": rnd(math.hypot(cx, cy), 1),
        "drift_toward_deg": rnd(bearing_deg(cx, cy), 1),
        "centroid_lat": rnd(clat, 7),
        "centroid_lon": rnd(clon, 7),
        "p50_radius_m": rnd(c.radii.get(0.5), 1),
        "p90_radius_m": rnd(c.radii.get(0.9), 1),
        "release": {"lat": rnd(p.release[0], 7), "lon": rnd(p.release[1], 7), "height_m": sc.height_m,
                    "platform": sc.platform.kind, "platform_detail": sc.platform.describe()},
        "leaflet": {"name": sc.leaflet.name, "descent_mps": rnd(sc.leaflet.descent_mps, 4),
                    "spread_factor": sc.leaflet.spread, "source": sc.leaflet.source,
                    "fall_time_log_sigma": rnd(land.sigma_log, 4)},
        "wind": {**sc.wind.to_dict(), "mean_over_fall_east_mps": rnd(land.mean_wind[0], 3),
                 "mean_over_fall_north_mps": rnd(land.mean_wind[1], 3)},
        "turbulence": {"intensity": sc.turbulence, "gust_sd_mps": rnd(land.gust_sd, 3),
                       "lagrangian_s": sc.lagrangian_s},
        "footprints": [{"fraction": f.fraction, "fraction_held": rnd(f.held, 6), "area_m2": rnd(f.area_m2, 0)}
                       for f in c.footprints],
        "density": {"unit": "leaflets per 100 m2", "cell_m": g.cell, "nx": g.shape[1], "ny": g.shape[0],
                    "origin_east_m": rnd(g.x0, 1), "origin_north_m": rnd(g.y0, 1),
                    "peak_per_100m2": float(f"{peak:.4g}"),
                    "cells_with_leaflets": int(np.count_nonzero(g.counts))},
        "conventions": CONVENTIONS,
        "notes": plan_notes(p),
    }
    if p.aim is not None:
        out["aim"] = {"lat": rnd(p.aim[0], 7), "lon": rnd(p.aim[1], 7)}
    if p.fraction_in_target is not None:
        out["fraction_in_target"] = rnd(p.fraction_in_target, 6)
    out["footprint"] = geojson(p)
    return no_negative_zero(out)


def summary(p: DriftPlan) -> str:
    """A readable multi-line summary (the CLI's default output); never ``-0``."""
    from meari.plan.numbers import fmt

    d = to_dict(p)
    sc = p.scenario
    lines = [
        f"Leaflet drift plan: {sc.leaflet.name} (descent {sc.leaflet.descent_mps:.3f} m/s, spread factor "
        f"{sc.leaflet.spread:g}), {sc.n:,} leaflets, seed {sc.seed}",
        f"Release: {p.release[0]:.6f}, {p.release[1]:.6f} at {sc.height_m:g} m above ground ({sc.platform.describe()})",
        f"Wind: {sc.wind.describe()} (FROM directions); turbulence intensity {sc.turbulence:g} "
        f"(gust sd {d['turbulence']['gust_sd_mps']:.2f} m/s)",
        f"Fall time {d['fall_time_s']:.0f} s; mean drift {d['drift_m']:.0f} m toward {d['drift_toward_deg']:.0f} deg "
        f"({fmt(d['centroid_east_m'], '+.0f')} m east, {fmt(d['centroid_north_m'], '+.0f')} m north)",
        f"Centroid lands at {d['centroid_lat']:.6f}, {d['centroid_lon']:.6f}",
        f"Radius around the centroid holding 50 %: {d['p50_radius_m']:.0f} m; 90 %: {d['p90_radius_m']:.0f} m",
    ]
    for f in p.core.footprints:
        lines.append(f"Footprint {f.fraction:.0%}: {f.area_m2 / 1e6:.3f} km2, holds {f.held:.1%} of leaflets")
    lines.append(f"Peak density {d['density']['peak_per_100m2']:.2f} leaflets per 100 m2 "
                 f"(grid cell {p.core.grid.cell:g} m); all {d['landed']:,} leaflets landed on the grid")
    if p.aim is not None:
        lines.append(f"Aim {p.aim[0]:.6f}, {p.aim[1]:.6f}: release point solved so the centroid lands on it")
    if p.fraction_in_target is not None:
        lines.append(f"Inside target: {p.fraction_in_target:.1%} of leaflets")
    lines += [f"Note: {n}" for n in d["notes"]]
    return "\n".join(lines)
