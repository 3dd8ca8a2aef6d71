"""Benchmark the leaflet drift planner: 100,000 leaflets through a 50-level wind profile.

Times the whole analysis path (``meari.plan.drift.analyse``): exact layer-integral drift with
per-leaflet descent-rate variation and turbulence, the density grid, the 50 % and 90 % footprints
and the radii. Best of several repeats on one core (numpy here is single-threaded for these ops).
Last line: key=value figures.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

from meari.plan import drift  # noqa: E402
from meari.plan.wind import WindProfile  # noqa: E402

N = 100_000
LEVELS = 50
REPEATS = 7


def profile() -> WindProfile:
    """A 50-level profile to 2,000 m: speed rising and direction veering with height."""
    z = np.linspace(0.0, 2000.0, LEVELS)
    speed = 2.0 + 10.0 * (z / 2000.0) ** 0.5 + 1.5 * np.sin(z / 150.0)
    frm = (240.0 + 60.0 * z / 2000.0) % 360.0
    return WindProfile(tuple(z), tuple(np.round(speed, 3)), tuple(np.round(frm, 3)))


def best_time(sc: drift.Scenario) -> tuple[float, float, drift.Core]:
    times = []
    core = None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        core = drift.analyse(sc)
        times.append(time.perf_counter() - t0)
    assert core is not None
    return min(times), float(np.median(times)), core


def main() -> None:
    sc = drift.Scenario(height_m=1500.0, wind=profile(), leaflet=drift.leaflet_type("6x3-20lb"), turbulence=0.15,
                        n=N, seed=1)
    drift.analyse(drift.with_changes(sc, n=1000))  # warm imports (scipy, shapely)
    best, med, core = best_time(sc)
    # A shell burst scatters release heights, so every leaflet gets its own exact layer integral
    # through the 50 levels (searchsorted + per-segment quadratic), not one shared integral.
    burst = drift.with_changes(sc, platform=drift.Platform("shell", burst_sigma_m=40.0))
    bbest, _, _ = best_time(burst)
    f50, f90 = core.footprints
    print(f"n={N} levels={LEVELS} grid={core.grid.shape[1]}x{core.grid.shape[0]} cell_m={core.grid.cell:g} "
          f"landed={int(core.grid.counts.sum())}")
    print(f"footprint50 held={f50.held:.4f} area_km2={f50.area_m2 / 1e6:.3f}; footprint90 held={f90.held:.4f} "
          f"area_km2={f90.area_m2 / 1e6:.3f}")
    print(f"best_s={best:.4f} median_s={med:.4f} median_trajectories_per_s={N / med:.1f} "
          f"burst_trajectories_per_s={N / bbest:.1f} trajectories_per_s={N / best:.1f}")

if __name__ == "__main__":
    main()
