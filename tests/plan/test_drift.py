"""Drift model: exact drift, conventions, accounting, footprints, inverse planning, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import Geod
from scipy.integrate import quad

from meari.plan import drift
from meari.plan.drift import FT, Leaflet, Platform, Scenario, leaflet_type
from meari.plan.geo import LocalFrame
from meari.plan.wind import PowerLawWind, parse_wind, wind_vector

REL = 1e-12
GEOD = Geod(ellps="WGS84")


def sc(wind: str = "0:5@270", h: float = 300.0, leaflet: Leaflet | None = None, **kw) -> Scenario:
    return Scenario(height_m=h, wind=parse_wind(wind), leaflet=leaflet or Leaflet("t", 1.0, 0.0), **kw)


# -- exact drift with zero turbulence ------------------------------------------------------------------------------
def test_constant_wind_offset_is_wind_times_height_over_descent():
    land = drift.simulate(sc("0:5@270", 300.0, Leaflet("t", 0.762, 0.0), n=500))
    assert np.all(np.abs(land.east - 5.0 * 300.0 / 0.762) < 1e-9)
    assert np.all(np.abs(land.north) < 1e-9)
    assert np.allclose(land.fall_time, 300.0 / 0.762, rtol=REL)


def test_constant_wind_table_leaflet_centroid_and_each_leaflet_exact():
    lf = leaflet_type("6x3-20lb")
    assert lf.descent_mps == pytest.approx(2.5 * 0.3048, rel=REL)
    core = drift.analyse(sc("0:7@270,500:7@270", 300.0, lf, n=4000, seed=3))
    land = core.landings
    # the centroid is the doctrinal drift, to rounding: fall-time factors have sample mean exactly 1
    assert core.centroid[0] == pytest.approx(7.0 * 300.0 / lf.descent_mps, rel=1e-12)
    assert abs(core.centroid[1]) < 1e-9
    # and every leaflet drifts by the wind times its own fall time
    assert np.allclose(land.east, 7.0 * land.fall_time, rtol=1e-12)
    assert land.fall_time.mean() == pytest.approx(300.0 / lf.descent_mps, rel=1e-12)


@pytest.mark.parametrize(("h", "mean_wind"), [(300.0, 6.0), (150.0, 4.0), (500.0, (1800.0 + 10.0 * 200.0) / 500.0)])
def test_linear_profile_drift_is_mean_wind_over_fall(h, mean_wind):
    # 2 m/s at the ground to 10 m/s at 300 m, both from the west; constant above 300 m
    core = drift.analyse(sc("0:2@270,300:10@270", h, Leaflet("t", 0.8, 0.0), n=100))
    assert core.centroid[0] == pytest.approx(mean_wind * h / 0.8, rel=REL)
    assert abs(core.centroid[1]) < 1e-9


def test_wind_below_lowest_level_is_held_constant():
    core = drift.analyse(sc("100:4@270,200:8@270", 50.0, n=10))
    assert core.centroid[0] == pytest.approx(4.0 * 50.0, rel=REL)


def test_veering_profile_matches_quadrature_and_time_stepping():
    wind = "0:3@200,120:6@240,400:11@300,900:4@20"
    h, w = 700.0, 1.3
    prof = parse_wind(wind)
    exact = drift.analyse(sc(wind, h, Leaflet("t", w, 0.0), n=10)).centroid
    # independent 1: adaptive quadrature of the interpolated wind, split at the levels
    pts = [0.0, 120.0, 400.0, h]
    qu = sum(quad(lambda z: float(prof.vector_at(z)[0]), a, b)[0] for a, b in zip(pts[:-1], pts[1:], strict=True))
    qv = sum(quad(lambda z: float(prof.vector_at(z)[1]), a, b)[0] for a, b in zip(pts[:-1], pts[1:], strict=True))
    assert exact[0] == pytest.approx(qu / w, rel=1e-9)
    assert exact[1] == pytest.approx(qv / w, rel=1e-9)
    # independent 2: step the fall in time (midpoint rule, 0.01 s) with hand-written interpolation
    zs, sp, fr = np.array([0, 120, 400, 900.0]), np.array([3, 6, 11, 4.0]), np.radians([200, 240, 300, 20.0])
    ue, ve = -sp * np.sin(fr), -sp * np.cos(fr)
    dt = 0.01
    t = np.arange(0.0, h / w, dt) + dt / 2
    z = h - w * t
    x = np.sum(np.interp(z, zs, ue)) * dt
    y = np.sum(np.interp(z, zs, ve)) * dt
    assert exact[0] == pytest.approx(x, rel=1e-4)
    assert exact[1] == pytest.approx(y, rel=1e-4)


def test_power_law_integral_is_exact():
    pw = PowerLawWind(4.0, 270.0, 10.0, 1 / 7)
    got = pw.integral(300.0)[0]
    ref = quad(lambda z: 4.0 * (z / 10.0) ** (1 / 7), 0, 300)[0]
    assert float(got) == pytest.approx(ref, rel=1e-9)
    s = Scenario(300.0, pw, Leaflet("t", 1.0, 0.0), n=10)
    assert drift.analyse(s).centroid[0] == pytest.approx(ref, rel=1e-9)


# -- conventions ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("frm", "sign_e", "sign_n"), [(270, 1, 0), (90, -1, 0), (0, 0, -1), (360, 0, -1),
                                                       (180, 0, 1), (225, 1, 1)])
def test_wind_from_direction_pushes_leaflets_downwind(frm, sign_e, sign_n):
    cx, cy = drift.analyse(sc(f"0:5@{frm}", 100.0, n=10)).centroid
    for v, s in ((cx, sign_e), (cy, sign_n)):
        if s == 0:
            assert abs(v) < 1e-9
        else:
            assert v * s > 100.0
    assert drift.bearing_deg(cx, cy) == pytest.approx((frm + 180) % 360, abs=1e-9)


def test_wind_vector_convention():
    assert wind_vector(10.0, 270.0) == pytest.approx((10.0, 0.0), abs=1e-12)
    assert wind_vector(10.0, 0.0) == pytest.approx((0.0, -10.0), abs=1e-12)


def test_geojson_centroid_lies_east_of_release_for_westerly():
    p = drift.plan(sc("0:5@270", 300.0, n=200), (50.0, 30.0))
    clat, clon = p.centroid_latlon
    az, _, dist = GEOD.inv(30.0, 50.0, clon, clat)
    assert az == pytest.approx(90.0, abs=0.01)
    assert dist == pytest.approx(1500.0, rel=1e-6)


# -- accounting, footprints, radii ----------------------------------------------------------------------------------
TURB = dict(turbulence=0.2, n=20_000, seed=11)


@pytest.fixture(scope="module")
def turbulent_core() -> drift.Core:
    return drift.analyse(sc("0:2@250,300:9@275", 300.0, leaflet_type("6x3-16lb"), **TURB))


def test_every_leaflet_is_accounted_for(turbulent_core):
    c = turbulent_core
    assert c.landings.east.size == TURB["n"]
    assert int(c.grid.counts.sum()) == TURB["n"]
    assert np.all(np.isfinite(c.landings.east)) and np.all(np.isfinite(c.landings.north))
    # the grid's per-100-m2 density integrates back to the count
    assert c.grid.per_100m2.sum() * c.grid.cell**2 / 100.0 == pytest.approx(TURB["n"])


@pytest.mark.parametrize("idx", [0, 1])
def test_footprint_holds_its_fraction(turbulent_core, idx):
    c = turbulent_core
    fp = c.footprints[idx]
    inside = shapely.intersects_xy(fp.geom, c.landings.east, c.landings.north)
    frac = inside.mean()
    assert frac >= fp.fraction
    assert frac == pytest.approx(fp.held, abs=1e-12)
    assert frac - fp.fraction < 0.01  # no more than one cell's worth above the target
    # out of sample: a fresh draw from the same distribution lands in it with the stated probability
    fresh = drift.simulate(sc("0:2@250,300:9@275", 300.0, leaflet_type("6x3-16lb"), turbulence=0.2, n=20_000,
                              seed=999))
    frac2 = shapely.intersects_xy(fp.geom, fresh.east, fresh.north).mean()
    assert frac2 == pytest.approx(fp.fraction, abs=0.02)


def test_footprints_are_nested_and_sized(turbulent_core):
    f50, f90 = turbulent_core.footprints
    assert f50.area_m2 < f90.area_m2
    assert f90.geom.buffer(1e-6).contains(f50.geom)


def test_radii_hold_their_fraction(turbulent_core):
    c = turbulent_core
    cx, cy = c.centroid
    d = np.hypot(c.landings.east - cx, c.landings.north - cy)
    for p in (0.5, 0.9):
        r = c.radii[p]
        assert (d <= r).mean() >= p
        assert (d < r).mean() < p
    assert c.radii[0.5] < c.radii[0.9]


def test_degenerate_point_landing_has_a_footprint():
    c = drift.analyse(sc("0:5@270", 100.0, n=50))
    for fp in c.footprints:
        assert fp.held == 1.0
        assert shapely.intersects_xy(fp.geom, c.landings.east, c.landings.north).all()
    assert c.radii[0.9] == pytest.approx(0.0, abs=1e-9)


# -- spread factor and turbulence --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(drift.GTA_6X3))
def test_spread_factor_sets_along_wind_90pct_span(name):
    lf = leaflet_type(name)
    land = drift.simulate(sc("0:6@270", 300.0, lf, n=40_000, seed=2))
    mean = land.east.mean()
    q05, q95 = np.quantile(land.east, [0.05, 0.95])
    assert (q95 - q05) / mean == pytest.approx(lf.spread, rel=0.01)
    assert drift.span90(drift.sigma_for_spread(lf.spread)) == pytest.approx(lf.spread, rel=1e-9)


def test_table_values_converted_from_feet():
    for name, (fps, spread, _, _) in drift.GTA_6X3.items():
        lf = leaflet_type(name)
        assert lf.descent_mps == pytest.approx(fps * FT)
        assert lf.spread == spread


def test_turbulent_variance_matches_ou_formula_and_time_stepping():
    # no spread, so every leaflet falls for the same time T and only turbulence spreads them
    s = sc("0:8@270", 200.0, Leaflet("t", 1.0, 0.0), turbulence=0.25, lagrangian_s=20.0, n=40_000, seed=5)
    land = drift.simulate(s)
    gust = 0.25 * 8.0
    assert land.gust_sd == pytest.approx(gust)
    sd = drift.turbulent_sd(np.array([200.0]), gust, 20.0)[0]
    assert np.std(land.north) == pytest.approx(sd, rel=0.02)
    assert np.std(land.east) == pytest.approx(sd, rel=0.02)
    assert land.east.mean() == pytest.approx(1600.0, abs=4 * sd / math.sqrt(s.n))
    # independent: an Ornstein-Uhlenbeck gust integrated step by step (exact AR(1) update), 4,000 leaflets
    rng = np.random.default_rng(0)
    dt, tl, m = 0.5, 20.0, 4000
    a = math.exp(-dt / tl)
    u = rng.standard_normal(m) * gust
    x = np.zeros(m)
    for _ in range(int(200.0 / dt)):
        u_next = a * u + math.sqrt(1 - a * a) * gust * rng.standard_normal(m)
        x += 0.5 * (u + u_next) * dt
        u = u_next
    assert np.std(x) == pytest.approx(sd, rel=0.05)


# -- platforms ------------------------------------------------------------------------------------------------------
def test_moving_drone_spreads_release_along_track():
    s = sc("0:0@270", 100.0, platform=Platform("drone", 10.0, 90.0, 20.0), n=1000)
    land = drift.simulate(s)
    assert land.east.min() >= -100.0 and land.east.max() <= 100.0
    assert land.east.max() - land.east.min() == pytest.approx(200.0, rel=0.01)
    assert np.allclose(land.north, 0.0, atol=1e-9)
    assert land.east.mean() == pytest.approx(0.0, abs=1e-9)


def test_burst_scatters_start_positions_and_heights():
    s = sc("0:4@270", 300.0, platform=Platform("shell", burst_sigma_m=30.0), n=20_000, seed=4)
    land = drift.simulate(s)
    assert np.std(land.north) == pytest.approx(30.0, rel=0.03)
    assert land.fall_time.std() == pytest.approx(30.0, rel=0.03)  # w = 1 m/s
    assert land.east.mean() == pytest.approx(1200.0, abs=2.0)


# -- inverse planning, target, reproducibility ---------------------------------------------------------------------
def test_inverse_solution_lands_centroid_on_aim():
    s = sc("0:3@250,100:5@255,300:8@265,1000:12@275", 300.0, leaflet_type("6x3-20lb"), turbulence=0.1, n=5000,
           seed=7)
    aim = (48.5, 35.2)
    p = drift.plan(s, aim=aim)
    clat, clon = p.centroid_latlon
    _, _, miss = GEOD.inv(aim[1], aim[0], clon, clat)
    _, _, dist = GEOD.inv(p.release[1], p.release[0], aim[1], aim[0])
    assert dist == pytest.approx(math.hypot(*p.core.centroid), rel=1e-6)
    assert miss < 0.01 * dist
    assert miss < 0.01  # metres, in fact
    # re-planning forward from the solved release gives the same landing
    q = drift.plan(s, p.release)
    _, _, miss2 = GEOD.inv(aim[1], aim[0], q.centroid_latlon[1], q.centroid_latlon[0])
    assert miss2 < 0.01


def test_fraction_in_target():
    s = sc("0:5@270", 300.0, leaflet_type("6x3-13lb"), turbulence=0.1, n=5000, seed=1)
    p0 = drift.plan(s, (50.0, 30.0))
    f90 = p0.frame.geom_to_lonlat(p0.core.footprints[1].geom)
    p = drift.plan(s, (50.0, 30.0), target=f90)
    assert p.fraction_in_target == pytest.approx(p0.core.footprints[1].held, abs=0.003)
    west = shapely.box(29.0, 49.0, 29.99, 51.0)  # entirely upwind
    assert drift.plan(s, (50.0, 30.0), target=west).fraction_in_target == 0.0
    everything = shapely.box(29.0, 49.0, 31.0, 51.0)
    assert drift.plan(s, (50.0, 30.0), target=everything).fraction_in_target == 1.0


def test_reproducible_for_a_seed():
    s = sc("0:2@250,300:9@275", 300.0, leaflet_type("6x3-9lb"), turbulence=0.3, n=3000, seed=42)
    a, b = drift.simulate(s), drift.simulate(s)
    assert np.array_equal(a.east, b.east) and np.array_equal(a.north, b.north)
    c = drift.simulate(drift.with_changes(s, seed=43))
    assert not np.array_equal(a.east, c.east)
    j1 = drift.to_dict(drift.plan(s, (50.0, 30.0)))
    j2 = drift.to_dict(drift.plan(s, (50.0, 30.0)))
    assert j1 == j2


def test_to_dict_keys_and_geojson():
    s = sc("0:5@270", 300.0, leaflet_type("6x3-20lb"), turbulence=0.1, n=2000, seed=1)
    target = shapely.box(30.02, 49.99, 30.03, 50.01)
    d = drift.to_dict(drift.plan(s, (50.0, 30.0), target=target))
    for key in ("n", "fall_time_s", "centroid_east_m", "centroid_north_m", "p50_radius_m", "p90_radius_m",
                "fraction_in_target", "footprint"):
        assert key in d
    assert d["n"] == d["landed"] == 2000
    kinds = [f["properties"]["kind"] for f in d["footprint"]["features"]]
    assert kinds.count("footprint") == 2 and "release" in kinds and "target" in kinds
    geom = shapely.geometry.shape(d["footprint"]["features"][0]["geometry"])
    assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon")
    # back in the local frame the footprint area matches
    frame = LocalFrame(50.0, 30.0)
    assert frame.geom_to_xy(geom).area == pytest.approx(d["footprints"][1]["area_m2"], rel=1e-3)
