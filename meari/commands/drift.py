"""``meari drift``: plan a leaflet drop (where leaflets land for a release and a wind profile).

Parses arguments, reads the target file, calls ``meari.plan.drift`` and writes outputs. Every number
is validated into a ``MeariError`` naming the flag and the value; all outputs are computed first and
written atomically afterwards, so a bad input never leaves a partial file.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from meari.errors import MeariError

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
DEMO_TARGET = EXAMPLES / "drift_target.geojson"
# Illustrative winds for the demo (FROM directions veering with height, as over land by day); not a forecast.
DEMO_WIND = "0:3@250,100:5@255,300:8@265,1000:12@275"

EPILOG = """\
conventions: wind directions are the direction the wind blows FROM (degrees clockwise from north;
270 = westerly, pushes leaflets east); heights in metres above ground; speeds in m/s; offsets in
metres east/north of the release point. See docs/drift.md.

example:
  meari drift --release 51.2500,-1.8600 --height-m 300 --wind "0:2@270,300:10@270" \\
      --leaflet 6x3-20lb --turbulence 0.1 --n 20000 --seed 1 --target examples/drift_target.geojson
  meari drift --aim 51.2400,-1.8000 --height-m 300 --wind "0:3@250,300:8@265" --json
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "drift", help="plan a leaflet drop: landing footprint, density, release point",
        description="Monte Carlo leaflet drift through a layered wind profile (exact layer integrals).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_argument_group("release")
    where.add_argument("--release", metavar="LAT,LON", help="release point, decimal degrees WGS84")
    where.add_argument("--aim", metavar="LAT,LON", help="aim point: solve the release point that centres the "
                       "footprint here (instead of --release)")
    where.add_argument("--height-m", metavar="M", help="release height above ground, metres")
    where.add_argument("--platform", default="hover", choices=["hover", "drone", "balloon", "shell"],
                       help="release platform (default hover)")
    where.add_argument("--drone-speed", metavar="MPS", default="0", help="moving drone: ground speed, m/s")
    where.add_argument("--drone-heading", metavar="DEG", default="0",
                       help="moving drone: direction of travel, degrees clockwise from north")
    where.add_argument("--release-s", metavar="S", default="0",
                       help="moving drone: seconds over which leaflets are released (centred on the release point)")
    where.add_argument("--burst-spread-m", metavar="M", default="0",
                       help="balloon/shell burst: standard deviation of the initial scatter, metres")
    wind = p.add_argument_group("wind")
    wind.add_argument("--wind", metavar="H:SPEED@FROM,...", help='levels, e.g. "0:2@270,300:10@270"')
    wind.add_argument("--surface-wind", metavar="SPEED@FROM", help="surface wind with a power-law profile instead")
    wind.add_argument("--ref-height", metavar="M", default="10", help="height of --surface-wind (default 10 m)")
    wind.add_argument("--alpha", metavar="A", default=str(1 / 7), help="power-law exponent (default 1/7)")
    wind.add_argument("--turbulence", metavar="X", default="0.1",
                      help="turbulence intensity: gust sd / mean wind speed (default 0.1; 0 = exact drift)")
    wind.add_argument("--lagrangian-s", metavar="S", default="50", help="gust time scale, seconds (default 50)")
    lf = p.add_argument_group("leaflets")
    lf.add_argument("--leaflet", metavar="TYPE", help="6x3-9lb, 6x3-13lb, 6x3-16lb, 6x3-20lb, 6x3-60lb "
                    "(GTA 33-01-003; default 6x3-20lb)")
    lf.add_argument("--descent-mps", metavar="V", help="custom descent rate, m/s (instead of --leaflet)")
    lf.add_argument("--spread", metavar="F", help="custom spread factor (with --descent-mps; default 0)")
    lf.add_argument("--n", metavar="N", default="10000", help="number of leaflets (default 10000)")
    lf.add_argument("--seed", metavar="S", default="0", help="random seed (default 0)")
    lf.add_argument("--message", metavar="FILE", help="message file: its leaflet size picks the table row")
    out = p.add_argument_group("outputs")
    out.add_argument("--target", metavar="FILE.geojson", help="target area (Polygon/MultiPolygon, WGS84)")
    out.add_argument("--json", action="store_true", help="print the plan as JSON (with the GeoJSON footprint)")
    out.add_argument("--geojson", metavar="FILE", help="write footprints, points and target as GeoJSON")
    out.add_argument("--plot", metavar="FILE.png", help="write a map (PNG; the name must end in .png)")
    out.add_argument("--points", metavar="FILE.csv", help="write every landing point (CSV)")
    out.add_argument("--grid", metavar="FILE.asc", help="write the density grid (ESRI ASCII, leaflets per 100 m2; "
                     "a .prj beside it)")
    p.set_defaults(func=run)


def _num(value: str | None, flag: str, *, integer: bool = False) -> float:
    if value is None:
        raise MeariError("is required", flag)
    try:
        x = int(value) if integer else float(value)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise MeariError(f"expected {kind}, got {value!r}", flag) from None
    if not integer and not math.isfinite(x):
        raise MeariError(f"expected a finite number, got {value!r}", flag)
    return x


def _leaflet(args: argparse.Namespace):  # -> Leaflet
    from meari.plan.drift import Leaflet, leaflet_type

    if args.descent_mps is not None:
        if args.leaflet is not None:
            raise MeariError("give either --leaflet or --descent-mps, not both", "--leaflet")
        spread = _num(args.spread, "--spread") if args.spread is not None else 0.0
        return Leaflet("custom", _num(args.descent_mps, "--descent-mps"), spread)
    if args.spread is not None:
        raise MeariError("--spread goes with --descent-mps (a table leaflet has its own)", "--spread")
    if args.leaflet is None and args.message:
        from meari.message import load_message

        size = load_message(args.message).leaflet.size.strip().lower()
        if size != "6x3":
            raise MeariError(f"no doctrinal drift data for leaflet size {size!r}; give --descent-mps and --spread",
                             args.message)
    return leaflet_type(args.leaflet or "6x3-20lb")


def _wind(args: argparse.Namespace):  # -> Wind
    from meari.plan.wind import parse_surface_wind, parse_wind

    if args.wind is not None and args.surface_wind is not None:
        raise MeariError("give either --wind or --surface-wind, not both", "--wind")
    if args.wind is not None:
        return parse_wind(args.wind)
    if args.surface_wind is not None:
        return parse_surface_wind(args.surface_wind, _num(args.ref_height, "--ref-height"),
                                  _num(args.alpha, "--alpha"))
    raise MeariError('no wind given: use --wind "H:SPEED@FROM,..." or --surface-wind SPEED@FROM', "drift")


def scenario_from_args(args: argparse.Namespace):  # -> Scenario
    """Validate every flag into a Scenario (raises MeariError naming the flag and value)."""
    from meari.plan.drift import Platform, Scenario

    platform = Platform(args.platform, _num(args.drone_speed, "--drone-speed"),
                        _num(args.drone_heading, "--drone-heading"), _num(args.release_s, "--release-s"),
                        _num(args.burst_spread_m, "--burst-spread-m"))
    return Scenario(height_m=_num(args.height_m, "--height-m"), wind=_wind(args), leaflet=_leaflet(args),
                    platform=platform, turbulence=_num(args.turbulence, "--turbulence"),
                    lagrangian_s=_num(args.lagrangian_s, "--lagrangian-s"),
                    n=int(_num(args.n, "--n", integer=True)), seed=int(_num(args.seed, "--seed", integer=True)))


def run(args: argparse.Namespace) -> int:
    from meari.plan import drift
    from meari.plan.geo import load_target, parse_latlon

    if (args.release is None) == (args.aim is None):
        raise MeariError("give exactly one of --release LAT,LON or --aim LAT,LON", "drift")
    check_outputs(geojson=args.geojson, plot=args.plot, points=args.points, grid=args.grid)
    release = parse_latlon(args.release, "--release") if args.release else None
    aim = parse_latlon(args.aim, "--aim") if args.aim else None
    sc = scenario_from_args(args)
    target = load_target(args.target) if args.target else None
    p = drift.plan(sc, release, aim=aim, target=target)
    outputs = render(p, geojson=args.geojson, plot=args.plot, points=args.points, grid=args.grid)
    write_outputs(outputs)
    if args.json:
        print(json.dumps(drift.to_dict(p), ensure_ascii=False, indent=1))
    else:
        print(drift.summary(p))
        for path in outputs:
            print(f"wrote {path}")
    return 0


def render(p, *, geojson: str | None = None, plot: str | None = None, points: str | None = None,
           grid: str | None = None, json_path: str | None = None) -> dict[Path, bytes]:
    """Compute every requested output in memory first (so a failure writes nothing)."""
    from meari.plan import drift
    from meari.plan.render import ascii_grid, points_csv

    out: dict[Path, bytes] = {}
    if json_path:
        out[Path(json_path)] = (json.dumps(drift.to_dict(p), ensure_ascii=False, indent=1) + "\n").encode()
    if geojson:
        out[Path(geojson)] = (json.dumps(drift.geojson(p), ensure_ascii=False) + "\n").encode()
    if plot:
        from meari.plan.drift_plot import plot_png

        out[Path(plot)] = plot_png(p)
    if points:
        out[Path(points)] = points_csv(p)
    if grid:
        gpath = Path(grid)
        out[gpath] = ascii_grid(p)
        out[gpath.with_suffix(".prj")] = p.frame.wkt().encode()
    return out


#: Output flag -> (suffixes its format may carry, what it is).
SUFFIXES = {"--geojson": ((".geojson", ".json"), "GeoJSON"), "--plot": ((".png",), "the map (PNG)"),
            "--points": ((".csv",), "CSV"), "--grid": ((".asc",), "the ESRI ASCII grid")}


def check_outputs(**paths: str | None) -> None:
    """Before any work: each output's suffix names its format, its place is writable, no file twice."""
    from meari import outputs

    seen: dict[str, str] = {}
    for key, path in paths.items():
        if not path:
            continue
        flag = f"--{key}"
        allowed, what = SUFFIXES[flag]
        outputs.check_suffix(path, allowed, what, flag)
        if path == outputs.STDOUT:
            raise MeariError(f"{flag} writes a file; for the plan on stdout use --json", flag)
        names = [path] + ([str(Path(path).with_suffix(".prj"))] if key == "grid" else [])
        for name in names:
            t = outputs.resolve(name)
            real = str(t.real)
            if real in seen and t.kind == "file":
                raise MeariError(f"is given twice ({seen[real]} and {flag})", name)
            seen[real] = flag


def write_outputs(outputs_: dict[Path, bytes]) -> None:
    """Write every output or none (staged, then renamed together)."""
    from meari import outputs

    with outputs.transaction():
        for path, data in outputs_.items():
            outputs.write_bytes(path, data)


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Drift plan for the demo leaflet: aim at the example target's centre, drone hovering at 300 m.

    The target sits on an illustrative location (see examples/drift_target.geojson); the winds are
    an example, not a forecast.
    """
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    from meari.plan import drift
    from meari.plan.geo import area_centroid, load_target

    args = argparse.Namespace(leaflet=None, descent_mps=None, spread=None, message=str(message_path))
    leaflet = _leaflet(args)
    from meari.plan.wind import parse_wind

    sc = drift.Scenario(height_m=300.0, wind=parse_wind(DEMO_WIND), leaflet=leaflet, turbulence=0.1, n=20_000,
                        seed=7)
    target = load_target(DEMO_TARGET)
    aim = area_centroid(target)
    p = drift.plan(sc, aim=aim, target=target)
    outdir = Path(outdir)
    outputs = render(p, json_path=str(outdir / "drift.json"), geojson=str(outdir / "drift.geojson"),
                     plot=str(outdir / "drift.png"))
    write_outputs(outputs)
    return list(outputs)

