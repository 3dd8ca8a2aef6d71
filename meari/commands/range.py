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
        raise MeariError("no such file", where + f" {p}")
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


def _row(label: str, values, fmt: str = "{:7.1f}") -> str:
    return f"  {label:<18}" + "".join(fmt.format(float(v)) for v in values)


def format_report(result, at_m: list[float]) -> str:
    """Readable text report: conditions, per-band table at a few distances, the ranges."""
    from meari.plan import sti as sti_mod
    from meari.plan.acoustics import evaluate
    from meari.plan.bands import BANDS_HZ

    s = result.setup
    w = "dBA" if s.spl_weighting == "A" else "dB (linear)"
    lines = [
        "meari range: loudspeaker intelligibility against distance",
        "",
        f"  Source      {s.spl_1m_db:g} {w} at 1 m (long-term speech); spectrum: {s.speech_source}",
        f"  Noise       {s.noise_source}: {result.noise_dba:.1f} dBA at the listener",
        f"  Air         {s.temp_c:g} C, {s.rh_pct:g} % RH, {s.pressure_kpa:g} kPa (ISO 9613-1)",
        f"  Terrain     {s.terrain}"
        + (f" (foliage over at most {s.forest_depth_m:g} m)" if s.terrain == "forest" else " (no excess attenuation)"),
        "  STI         IEC 60268-16 ed. 4, male weights; "
        + ("noise-only MTF" if s.rt60_s is None else f"reverberation T = {s.rt60_s:g} s")
        + ("; masking + reception threshold" if s.masking else "; no masking/threshold"),
        "",
        "  Band (Hz)         " + "".join(f"{b:>7d}" for b in BANDS_HZ),
        _row("air (dB/km)", result.alpha_db_per_km, "{:7.2f}"),
        _row("speech @1 m (dB)", result.source_db_1m),
        _row("noise (dB)", s.noise_db),
    ]
    ev = evaluate(s, [d for d in at_m])
    for i, d in enumerate(ev.distance_m):
        lines += [
            "",
            f"  At {d:,.0f} m: speech {ev.level_dba[i]:.1f} dBA, STI {ev.sti[i]:.2f} ({sti_mod.rating(ev.sti[i])})",
            _row("speech (dB)", ev.signal_db[i]),
            _row("SNR (dB)", ev.snr_db[i]),
            _row("MTI", ev.mti[i], "{:7.2f}"),
        ]
    lines.append("")
    for name, thr in (("fair", sti_mod.FAIR), ("good", sti_mod.GOOD)):
        v, st = result.ranges_m[name], result.status[name]
        if st == "never":
            txt = "not reached even at 1 m"
        elif st == "beyond_max":
            txt = f"beyond {v:,.0f} m (the end of the curve; raise --max-m)"
        else:
            txt = f"{v:,.0f} m"
        lines.append(f"  Range {name} (STI >= {thr:.2f}): {txt}")
    for n in result.notes:
        lines.append(f"  Note: {n}")
    lines.append("  Assumptions: see --json 'assumptions' or docs/range.md")
    return "\n".join(lines) + "\n"


def write_plot(result, path: str | Path) -> Path:
    """PNG of STI (left axis) and speech level (right axis) against distance; thresholds marked. Atomic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from meari.atomic import atomic_path
    from meari.plan import sti as sti_mod

    target = Path(path)
    if target.suffix.lower() != ".png":
        raise MeariError("the plot is a PNG: give a file name ending in .png", f"--plot {target}")
    c, s = result.curve, result.setup
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    try:
        held = np.minimum.accumulate(c.sti)  # the reported (monotone) curve, as in --json "sti"
        if np.any(held < c.sti - 1e-9):
            ax.plot(c.distance_m, c.sti, color="tab:blue", lw=0.8, alpha=0.4, label="STI, raw IEC value")
        ax.plot(c.distance_m, held, color="tab:blue", lw=2, label="STI")
        ax.axhline(sti_mod.GOOD, color="tab:green", ls="--", lw=1, label="good (STI 0.60)")
        ax.axhline(sti_mod.FAIR, color="tab:orange", ls="--", lw=1, label="fair (STI 0.45)")
        for name, color in (("good", "tab:green"), ("fair", "tab:orange")):
            if result.status[name] == "crossed":
                r = result.ranges_m[name]
                ax.axvline(r, color=color, ls=":", lw=1)
                ax.annotate(
                    f"{name}: {r:,.0f} m",
                    xy=(r, 0.98),
                    xytext=(4, 0),
                    textcoords="offset points",
                    rotation=90,
                    va="top",
                    fontsize=8,
                    color=color,
                )
        ax.set_xlim(0, s.max_m)
        ax.set_ylim(0, 1)
        ax.set_xlabel("Distance from loudspeaker (m)")
        ax.set_ylabel("Speech Transmission Index (IEC 60268-16)")
        ax.grid(alpha=0.3)
        ax2 = ax.twinx()
        ax2.plot(c.distance_m, c.level_dba, color="tab:red", lw=1.2, label="speech level (dBA)")
        ax2.axhline(result.noise_dba, color="grey", ls="-.", lw=1, label=f"noise {result.noise_dba:.0f} dBA")
        lo = min(result.noise_dba, float(c.level_dba.min())) - 5
        hi = float(c.level_dba[min(len(c.level_dba) - 1, max(1, len(c.level_dba) // 50))]) + 5
        ax2.set_ylim(lo, max(hi, result.noise_dba + 10))
        ax2.set_ylabel("Speech level at listener (dBA)")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=8)
        w = "dBA" if s.spl_weighting == "A" else "dB"
        ax.set_title(
            f"Loudspeaker range: {s.spl_1m_db:g} {w} at 1 m, noise {result.noise_dba:.0f} dBA, "
            f"{s.temp_c:g} C, {s.rh_pct:g} % RH, {s.terrain}",
            fontsize=10,
        )
        fig.tight_layout()
        with atomic_path(target, suffix=".png") as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return target


def write_json(result, path: str | Path) -> Path:
    from meari.atomic import write_text

    write_text(path, json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return Path(path)


def run(args: argparse.Namespace) -> int:
    from meari.plan import noise as noise_mod
    from meari.plan.acoustics import plan_range

    if args.list_noise:
        for p in noise_mod.PRESETS.values():
            levels = " ".join(f"{v:g}" for v in p.levels_db)
            print(f"{p.id:<18} {p.dba:5.1f} dBA  [{levels}] dB  {p.label}: {p.why}")
        return 0
    setup = build_setup(args)
    at_m = _parse_at(args.at, args.max_m if math.isfinite(args.max_m) else 5000.0)
    result = plan_range(setup)
    if args.plot:
        write_plot(result, args.plot)
    if args.json_out:
        write_json(result, args.json_out)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_report(result, at_m), end="")
    return 0


def demo(message_path: Path, outdir: Path) -> list[Path]:
    """Range of the demo broadcast: 130 dBA at 1 m, distant artillery, 15 C, 60 % RH, open terrain.

    Uses ``outdir/broadcast.wav`` (written earlier in the demo by ``meari audio``) as
    the source spectrum when it exists, else the IEC male speech spectrum.
    """
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
