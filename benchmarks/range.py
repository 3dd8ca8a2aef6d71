"""Benchmark: full 1,000-point range curves per second (meari.plan.acoustics.plan_range).

One "curve" = source spectrum, ISO 9613-1 absorption, received levels, the
(1000 x 7 x 14) modulation-transfer array, STI at every point, and both range
crossings refined by Brent's method. Last line: key=value figures.
"""

from __future__ import annotations

import time

from meari.plan.acoustics import RangeSetup, plan_range


def rate(setup: RangeSetup, min_seconds: float = 2.0) -> tuple[float, int]:
    plan_range(setup)  # warm-up: imports, caches
    n = 0
    t0 = time.perf_counter()
    while True:
        plan_range(setup)
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return n / elapsed, n


def main() -> None:
    plain, n1 = rate(RangeSetup(points=1000))
    full, n2 = rate(RangeSetup(points=1000, terrain="forest", rt60_s=1.2, masking=True))
    print(f"noise-only curves: {n1} in >= 2 s; forest+rt60+masking curves: {n2} in >= 2 s")
    print(f"ms_per_curve={1000 / plain:.2f} curves_per_s_full_options={full:.1f} curves_per_s={plain:.1f}")


if __name__ == "__main__":
    main()
