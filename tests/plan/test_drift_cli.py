"""``meari drift`` end to end: JSON and text output, files written, demo, and every bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from PIL import Image
from pyproj import Geod

from meari.cli import main
from meari.commands import drift as cmd
from meari.errors import MeariError
from meari.plan import drift as drift_mod
from meari.plan import wind as wind_mod
from meari.plan.geo import load_target, parse_latlon

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "examples" / "drift_target.geojson"
APPEAL = ROOT / "examples" / "appeal.yaml"
BASE = ["drift", "--release", "51.24,-1.90", "--height-m", "300", "--wind", "0:2@270,300:10@270", "--n", "2000",
        "--seed", "1"]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_promised_keys(capsys):
    code, out, _ = run([*BASE, "--turbulence", "0", "--target", str(TARGET), "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    for key in ("n", "fall_time_s", "centroid_east_m", "centroid_north_m", "p50_radius_m", "p90_radius_m",
                "fraction_in_target", "footprint"):
        assert key in d
    # zero turbulence: drift = mean wind (6 m/s) x fall time (300 m / 0.762 m/s), due east
    # (JSON is rounded to 0.1 s and 0.1 m: docs/drift.md "Precision"; the exact figures are tested on the API)
    assert d["fall_time_s"] == pytest.approx(300 / (2.5 * 0.3048), abs=0.05)
    assert d["centroid_east_m"] == pytest.approx(6.0 * 300 / (2.5 * 0.3048), abs=0.05)
    assert d["centroid_north_m"] == 0.0
    assert not re.search(r"[:\[,]\s*-0(\.0+)?[,\s}\]]", out)  # no negative zero anywhere
    assert d["footprint"]["type"] == "FeatureCollection"
    assert 0.0 <= d["fraction_in_target"] <= 1.0


def test_text_output_and_files(tmp_path, capsys):
    files = {k: tmp_path / f for k, f in (("--plot", "m.png"), ("--geojson", "f.geojson"), ("--points", "p.csv"),
                                           ("--grid", "g.asc"))}
    argv = [*BASE, "--target", str(TARGET)]
    for k, v in files.items():
        argv += [k, str(v)]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "Fall time 394 s" in out and "Inside target" in out and "Footprint 90%" in out
    with Image.open(files["--plot"]) as im:
        assert im.format == "PNG" and im.size[0] > 600
    gj = json.loads(files["--geojson"].read_text())
    kinds = {f["properties"]["kind"] for f in gj["features"]}
    assert {"footprint", "release", "centroid", "target"} <= kinds
    lines = files["--points"].read_text().splitlines()
    assert lines[0].startswith("i,east_m,north_m,lat,lon") and len(lines) == 2001
    grid = files["--grid"].read_text().splitlines()
    assert grid[0].startswith("ncols") and (tmp_path / "g.prj").read_text().startswith("PROJCS")
    assert not list(tmp_path.glob(".*"))  # no temp files left behind


def test_aim_solves_release(capsys):
    aim = (51.245, -1.87)
    code, out, _ = run(["drift", "--aim", f"{aim[0]},{aim[1]}", "--height-m", "300", "--wind",
                        "0:3@250,300:8@265", "--n", "3000", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    _, _, miss = Geod(ellps="WGS84").inv(aim[1], aim[0], d["centroid_lon"], d["centroid_lat"])
    assert miss < 0.01 * d["drift_m"]
    assert d["release"]["lon"] < aim[1]  # westerly-ish wind: release upwind, to the west


def test_surface_wind_power_law(capsys):
    code, out, _ = run(["drift", "--release", "50,30", "--height-m", "100", "--surface-wind", "4@270",
                        "--descent-mps", "1", "--turbulence", "0", "--n", "10", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert d["centroid_east_m"] == pytest.approx(4 * 10 / (1 + 1 / 7) * 10 ** (1 + 1 / 7), abs=0.05)


def test_demo_writes_plan(tmp_path):
    paths = cmd.demo(APPEAL, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["drift.geojson", "drift.json", "drift.png"]
    d = json.loads((tmp_path / "drift.json").read_text())
    assert d["leaflet"]["name"] == "6x3-20lb"
    assert d["release"]["height_m"] == 300
    assert 0.0 < d["fraction_in_target"] < 1.0
    assert d["aim"] is not None and d["n"] == d["landed"]


# -- bad input: MeariError naming the problem and the value, exit 2, nothing written ---------------------------
BAD_CLI = [
    (["--descent-mps", "0"], "--descent-mps", "got 0"),
    (["--descent-mps", "-1.5"], "--descent-mps", "got -1.5"),
    (["--wind", "0:2@270,300:10@270,200:5@270"], "--wind", "200 m follows 300 m"),
    (["--wind", "0:2@270,0:3@270"], "--wind", "must increase"),
    (["--wind", "0:2@400"], "--wind", "got 400"),
    (["--wind", "0:2@-10"], "--wind", "got -10"),
    (["--wind", "0:2/270"], "--wind", "'0:2/270'"),
    (["--wind", "0:2@270;300:5@270"], "--wind", "malformed"),
    (["--wind", ""], "--wind", "empty"),
    (["--wind", "0:-3@270"], "--wind", "got -3"),
    (["--release", "95,30"], "--release", "got 95"),
    (["--release", "50,200"], "--release", "got 200"),
    (["--release", "fifty,30"], "--release", "'fifty,30'"),
    (["--height-m", "-5"], "--height-m", "got -5"),
    (["--height-m", "high"], "--height-m", "'high'"),
    (["--leaflet", "6x3-99lb"], "--leaflet", "'6x3-99lb'"),
    (["--n", "0"], "--n", "got 0"),
    (["--n", "1.5"], "--n", "'1.5'"),
    (["--turbulence", "-1"], "--turbulence", "got -1"),
    (["--spread", "0.5"], "--spread", "--descent-mps"),
    (["--descent-mps", "1", "--spread", "9"], "--spread", "got 9"),
    (["--surface-wind", "4@270"], "--wind", "not both"),
    (["--platform", "shell"], "--platform", "--burst-spread-m"),
    (["--platform", "drone", "--drone-heading", "400"], "--drone-heading", "got 400"),
]


def _argv(extra: list[str]) -> list[str]:
    base = dict(zip(BASE[1::2], BASE[2::2], strict=True))
    argv = ["drift"]
    flags = extra[0::2]
    for k, v in base.items():
        if k not in flags:
            argv += [k, v]
    return argv + extra


@pytest.mark.parametrize(("extra", "where", "needle"), BAD_CLI)
def test_bad_input_is_a_clear_error(tmp_path, capsys, extra, where, needle):
    png, gj = tmp_path / "m.png", tmp_path / "f.geojson"
    code, out, err = run([*_argv(extra), "--plot", str(png), "--geojson", str(gj)], capsys)
    assert code == 2
    assert err.startswith("meari: ") and where in err and needle in err, err
    assert "Traceback" not in err
    assert not png.exists() and not gj.exists()
    assert list(tmp_path.iterdir()) == []


def test_no_wind_and_no_release_are_errors(capsys):
    code, _, err = run(["drift", "--release", "50,30", "--height-m", "100"], capsys)
    assert code == 2 and "no wind given" in err
    code, _, err = run(["drift", "--height-m", "100", "--wind", "0:3@270"], capsys)
    assert code == 2 and "--release" in err


def _target(tmp_path: Path, content: str | bytes, name: str = "t.geojson") -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


POINT = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.0, 50.0]}, "properties": {}}'
LINE = '{"type": "LineString", "coordinates": [[30.0, 50.0], [30.1, 50.1]]}'
BOWTIE = '{"type": "Polygon", "coordinates": [[[30, 50], [30.1, 50.1], [30.1, 50], [30, 50.1], [30, 50]]]}'
SWAPPED = '{"type": "Polygon", "coordinates": [[[50, 130], [50.1, 130], [50.1, 130.1], [50, 130]]]}'
EMPTY_FC = '{"type": "FeatureCollection", "features": []}'

BAD_TARGETS = [
    (POINT, "got Point"),
    (LINE, "got LineString"),
    ('{"type": "FeatureCollection", "features": [' + POINT + "]}", "feature 0"),
    (BOWTIE, "invalid polygon"),
    (SWAPPED, "out of range"),
    (EMPTY_FC, "no features"),
    ("{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "invalid UTF-8"),
    ("[1, 2]", "not a GeoJSON object"),
]


@pytest.mark.parametrize(("content", "needle"), BAD_TARGETS)
def test_bad_target_is_a_clear_error(tmp_path, capsys, content, needle):
    t = _target(tmp_path, content)
    png = tmp_path / "m.png"
    code, _, err = run([*BASE, "--target", str(t), "--plot", str(png)], capsys)
    assert code == 2 and needle in err and str(t) in err, err
    assert not png.exists()


def test_missing_target_file(tmp_path, capsys):
    code, _, err = run([*BASE, "--target", str(tmp_path / "nope.geojson")], capsys)
    assert code == 2 and "no such file" in err


def test_target_loader_unions_polygons():
    g = load_target(TARGET)
    assert g.geom_type == "Polygon" and g.is_valid
    assert shapely.area(g) > 0


@pytest.mark.parametrize("text", ["", "51.2", "51.2,", "a,b", "1,2,3"])
def test_parse_latlon_malformed(text):
    with pytest.raises(MeariError) as e:
        parse_latlon(text, "--aim")
    assert e.value.where == "--aim" and repr(text) in e.value.problem


def test_parse_wind_accepts_spaces_and_exponents():
    w = wind_mod.parse_wind(" 0 : 2 @ 270 , 3e2:1e1@270 ")
    assert w.heights == (0.0, 300.0) and w.speeds == (2.0, 10.0)


@pytest.mark.parametrize(("build", "where", "needle"), [
    (lambda: drift_mod.Leaflet("x", 0.0, 0.0), "--descent-mps", "got 0"),
    (lambda: wind_mod.WindProfile((0.0, 100.0), (2.0, 3.0), (270.0, 361.0)), "--wind", "got 361"),
    (lambda: wind_mod.WindProfile((50.0, 20.0), (2.0, 3.0), (270.0, 270.0)), "--wind", "20 m follows 50 m"),
    (lambda: wind_mod.PowerLawWind(4.0, 270.0, 10.0, 1.5), "--alpha", "got 1.5"),
    (lambda: wind_mod.parse_surface_wind("4 from 270"), "--surface-wind", "'4 from 270'"),
])
def test_api_bad_values(build, where, needle):
    with pytest.raises(MeariError) as e:
        build()
    assert e.value.where == where and needle in e.value.problem


def test_api_scenario_and_aim_checks():
    drift = drift_mod
    w = wind_mod.parse_wind("0:3@270")
    lf = drift.leaflet_type("6x3-9lb")
    for kw, where in (({"n": True}, "--n"), ({"seed": -1}, "--seed"), ({"height_m": float("nan")}, "--height-m"),
                      ({"lagrangian_s": 0.0}, "--lagrangian-s")):
        args = {"height_m": 100.0, "wind": w, "leaflet": lf, **kw}
        with pytest.raises(MeariError) as e:
            drift.Scenario(**args)
        assert e.value.where == where
    s = drift.Scenario(100.0, w, lf, n=10)
    with pytest.raises(MeariError) as e:
        drift.plan(s, aim=(-91.0, 0.0))
    assert e.value.where == "--aim" and "-91" in e.value.problem


def test_message_with_unknown_leaflet_size(tmp_path, capsys):
    msg = tmp_path / "m.yaml"
    msg.write_text("sponsor: x\ntext: 살아서 돌아가십시오\nleaflet:\n  size: A5\n", encoding="utf-8")
    code, _, err = run([*BASE, "--message", str(msg)], capsys)
    assert code == 2 and "'a5'" in err and "--descent-mps" in err


def test_geojson_footprint_holds_the_csv_points(tmp_path, capsys):
    """What a user gets on disk agrees: GeoJSON 90 % polygon vs the points CSV, both in lon/lat."""
    import numpy as np

    gj, pts = tmp_path / "f.geojson", tmp_path / "p.csv"
    code, _, _ = run([*BASE, "--turbulence", "0.2", "--n", "5000", "--geojson", str(gj), "--points", str(pts)],
                     capsys)
    assert code == 0
    feats = json.loads(gj.read_text())["features"]
    arr = np.loadtxt(pts, delimiter=",", skiprows=1)
    lat, lon = arr[:, 3], arr[:, 4]
    for f in feats:
        if f["properties"]["kind"] != "footprint":
            continue
        geom = shapely.geometry.shape(f["geometry"])
        frac = shapely.intersects_xy(geom, lon, lat).mean()
        assert frac >= f["properties"]["fraction"]
        assert frac == pytest.approx(f["properties"]["fraction_held"], abs=1e-12)
