"""``meari range``: how far a loudspeaker broadcast stays intelligible (STI against distance).

Parses arguments, reads the optional audio/noise files, calls
:func:`meari.plan.acoustics.plan_range`, and prints a report or JSON and writes a
PNG plot. The physics lives in ``meari/plan/`` (see docs/range.md).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from meari.errors import MeariError

#: Longest stretch of a file that is analysed, s: a 20-minute excerpt fixes a long-term spectrum.
MAX_ANALYSED_S = 1200.0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "range",
        help="intelligible range of a loudspeaker broadcast (ISO 9613-1 + IEC 60268-16 STI)",
        description=(
            "Speech level and Speech Transmission Index against distance, octave band by band: "
            "source spectrum at 1 m, spherical spreading, ISO 9613-1 air absorption, optional foliage, "
            "background noise. Reports the fair (STI >= 0.45) and good (STI >= 0.60) ranges. See docs/range.md."
        ),
    )
    p.add_argument(
        "--spl-1m",
        type=float,
        default=130.0,
        metavar="DB",
        help="long-term speech level at 1 m on axis, overall (default 130, A-weighted; see --spl-weighting)",
    )
    p.add_argument(
        "--spl-weighting",
        choices=["A", "Z"],
        default="A",
        help="--spl-1m is A-weighted (dBA, default) or linear/unweighted (Z) over 125 Hz-8 kHz",
    )
    p.add_argument(
        "--audio",
        metavar="FILE",
        help="the broadcast (WAV/FLAC/MP3): use its long-term octave spectrum instead of the IEC "
        "male speech spectrum; the overall level is still --spl-1m",
    )
    p.add_argument(
        "--noise",
        metavar="FILE|PRESET",
        default=None,
        help="background noise: a preset (quiet-rural, distant-artillery, vehicle, wind; default "
        "distant-artillery) or a recording (needs --noise-dba to calibrate it)",
    )
    p.add_argument(
        "--noise-dba",
        type=float,
        metavar="DB",
        help="A-weighted background level at the listener: rescales the preset, or calibrates --noise FILE",
    )
    p.add_argument("--list-noise", action="store_true", help="list the noise presets and exit")
    p.add_argument("--temp-c", type=float, default=15.0, metavar="C", help="air temperature, C (default 15)")
    p.add_argument("--rh", type=float, default=60.0, metavar="PCT", help="relative humidity, %% (default 60)")
    p.add_argument(
        "--pressure-kpa", type=float, default=101.325, metavar="KPA", help="air pressure, kPa (default 101.325)"
    )
    p.add_argument(
        "--terrain",
        choices=["open", "forest"],
        default="open",
        help="open: no excess attenuation; forest: Hoover foliage 0.01*r*f^(1/3) dB (default open)",
    )
    p.add_argument(
        "--forest-depth-m",
        type=float,
        default=200.0,
        metavar="M",
        help="most metres of forest on the path (foliage cap, default 200 = ISO 9613-2 limit)",
    )
    p.add_argument(
        "--rt60", type=float, metavar="S", help="reverberation/echo decay time, s (default: none, noise-only MTF)"
    )
    p.add_argument(
        "--masking",
        action="store_true",
        help="apply IEC 60268-16 ed. 4 auditory masking and absolute reception threshold (default off)",
    )
    p.add_argument("--max-m", type=float, default=5000.0, metavar="M", help="farthest distance, m (default 5000)")
    p.add_argument(
        "--points", type=int, default=1000, metavar="N", help="curve points from 1 m to --max-m (default 1000)"
    )
    p.add_argument("--at", metavar="M[,M...]", help="distances for the per-band table in the text report")
    p.add_argument("--json", action="store_true", help="print JSON instead of the text report")
    p.add_argument("--json-out", metavar="FILE", help="also write the JSON to FILE (atomically)")
    p.add_argument("--plot", metavar="FILE.png", help="write a PNG plot of STI and level against distance")
    p.set_defaults(func=run)


# ---------------------------------------------------------------------------------------------------------
# File reading (the only I/O besides output)


def read_mono(path: str | Path, where: str) -> tuple:
    """Read an audio file as a mono float64 array (channel mean) and its sample rate."""
    import numpy as np
    import soundfile as sf

    p = Path(path)
    if not p.is_file():
        problem = "no such file" if not p.exists() else "is a directory" if p.is_dir() else "not a regular file"
        raise MeariError(problem, where + f" {p}")
    try:
        info = sf.info(str(p))
        frames = int(min(info.frames, MAX_ANALYSED_S * info.samplerate)) if info.frames > 0 else -1
        data, fs = sf.read(str(p), frames=frames, dtype="float64", always_2d=True)
    except (RuntimeError, OSError, ValueError, TypeError) as e:
        raise MeariError(
            f"cannot read audio: {str(e).splitlines()[0] if str(e) else type(e).__name__}", where + f" {p}"
        ) from None
    if data.size == 0:
        raise MeariError("holds no audio samples", where + f" {p}")
    return np.asarray(data.mean(axis=1)), int(fs)


def file_band_levels(path: str | Path, where: str):
    """Octave-band levels (dBFS) of an audio file."""
    from meari.plan.bands import octave_band_levels

    x, fs = read_mono(path, where)
    return octave_band_levels(x, fs, where=f"{where} {path}")


def _parse_at(text: str | None, max_m: float) -> list[float]:
    if not text:
        nice = [m * 10**e for e in range(0, 6) for m in (1, 2, 5)]
        picks = [float(d) for d in nice if 100 <= d <= max_m]
        return picks[-5:] or [max_m]
    out = []
    for part in text.split(","):
        try:
            v = float(part)
        except ValueError:
            raise MeariError(f"{part!r} is not a distance in metres", "--at") from None
        if not math.isfinite(v) or v < 1.0:
            raise MeariError(f"{part.strip()} m: distances must be at least 1 m", "--at")
        if v > max_m:
            raise MeariError(f"{part.strip()} m is beyond --max-m ({max_m:g} m), where the curve and its checks "
                             "end; raise --max-m (at most 100000) to go farther", "--at")
        out.append(v)
    return out


def build_setup(args: argparse.Namespace):
    """Turn arguments (and files) into a validated RangeSetup."""
    import numpy as np

    from meari.plan import noise as noise_mod
    from meari.plan.acoustics import RangeSetup

    notes: list[str] = []
    speech_kw = {}
    if args.audio:
        levels = file_band_levels(args.audio, "--audio")
        speech_kw = {
            "speech_db": tuple(float(v) for v in levels - levels.max()),
            "speech_source": f"long-term octave spectrum of {Path(args.audio).name} (Welch PSD over base-10 "
            "octave band edges)",
        }
    name = args.noise or noise_mod.DEFAULT_PRESET
    if name in noise_mod.PRESETS:
        pre = noise_mod.preset(name)
        levels = np.array(pre.levels_db)
        source = f"preset '{pre.id}' ({pre.label})"
        if args.noise_dba is not None:
            levels = noise_mod.scale_to_dba(levels, args.noise_dba)
            source += f", rescaled from {pre.dba:.1f} to {args.noise_dba:g} dBA"
    elif Path(name).exists():
        if args.noise_dba is None:
            raise MeariError(
                "a noise recording has no absolute level: give its A-weighted level with --noise-dba", f"--noise {name}"
            )
        levels = noise_mod.calibrate_recording(file_band_levels(name, "--noise"), args.noise_dba)
        source = (
            f"recording {Path(name).name}, calibrated so its 7-band A-weighted level is {args.noise_dba:g} dBA "
            "(assumes a flat microphone/recorder response 88 Hz-11.2 kHz)"
        )
    else:
        raise MeariError(
            f"'{name}' is neither a noise preset ({', '.join(noise_mod.PRESETS)}) nor an existing file", "--noise"
        )
    return RangeSetup(
        spl_1m_db=args.spl_1m,
        spl_weighting=args.spl_weighting,
        noise_db=tuple(float(v) for v in levels),
        noise_source=source,
        temp_c=args.temp_c,
        rh_pct=args.rh,
        pressure_kpa=args.pressure_kpa,
        terrain=args.terrain,
        forest_depth_m=args.forest_depth_m,
        rt60_s=args.rt60,
        masking=args.masking,
        max_m=args.max_m,
        points=args.points,
        notes=tuple(notes),
        **speech_kw,
    )


# ---------------------------------------------------------------------------------------------------------
# Output


def write_plot(result, path: str | Path) -> Path:
    """Write the range plot (see :func:`meari.plan.render.range_plot_png`) through the output layer."""
    from meari import outputs
    from meari.plan.render import range_plot_png

    outputs.check_suffix(path, (".png",), "the plot", "--plot")
    outputs.write_bytes(path, range_plot_png(result))
    return Path(path)


def write_json(result, path: str | Path) -> Path:
    from meari import outputs

    outputs.write_text(path, json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return Path(path)


def run(args: argparse.Namespace) -> int:
    from meari.plan import noise as noise_mod
    from meari.plan.acoustics import plan_range
    from meari.plan.render import range_report

    if args.list_noise:
        for p in noise_mod.PRESETS.values():
            levels = " ".join(f"{v:g}" for v in p.levels_db)
            print(f"{p.id:<18} {p.dba:5.1f} dBA  [{levels}] dB  {p.label}: {p.why}")
        return 0
    from meari import outputs

    # Check the outputs first: a wrong suffix or an unwritable place fails before any work.
    if args.plot:
        outputs.check_suffix(args.plot, (".png",), "the plot", "--plot")
        if args.plot == outputs.STDOUT:
            raise MeariError("the plot goes to a file (name it *.png); stdout carries the report", "--plot")
        outputs.resolve(args.plot)
    if args.json_out:
        outputs.check_suffix(args.json_out, (".json",), "the JSON report", "--json-out")
        outputs.resolve(args.json_out)
    setup = build_setup(args)
    at_m = _parse_at(args.at, args.max_m if math.isfinite(args.max_m) else 5000.0)
    result = plan_range(setup)
    with outputs.transaction():  # both files or neither
        if args.plot:
            write_plot(result, args.plot)
        if args.json_out:
            write_json(result, args.json_out)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(range_report(result, at_m), end="")
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Range of the demo broadcast: 130 dBA at 1 m, distant artillery, 15 C, 60 % RH, open terrain.

    Uses ``outdir/broadcast.wav`` (written earlier in the demo by ``meari audio``) as
    the source spectrum when it exists, else the IEC male speech spectrum.
    """
    from meari.outputs import ensure_dir

    ensure_dir(outdir)  # the demo's out/ directory is created (documented in README)
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    register(sub)
    argv = ["range", "--spl-1m", "130", "--noise", "distant-artillery", "--temp-c", "15", "--rh", "60"]
    wav = Path(outdir) / "broadcast.wav"
    if wav.is_file():
        argv += ["--audio", str(wav)]
    args = parser.parse_args(argv)
    from meari.plan.acoustics import plan_range

    result = plan_range(build_setup(args))
    out_json = write_json(result, Path(outdir) / "range.json")
    out_png = write_plot(result, Path(outdir) / "range.png")
    return [out_json, out_png]
