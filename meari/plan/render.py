"""Renderers of plan results: the range text report and plot, the drift CSV and density grid.

Pure functions from a result to text or bytes (no file I/O), shared by ``meari range``/``meari drift``
and the web workbench. The drift map is in :mod:`meari.plan.drift_plot`.
"""

from __future__ import annotations

LABEL_W = 18  # width of the row labels in the per-band table


def _table(rows: list) -> list[str]:  # noqa: ANN001
    """Lay out the per-band table: every column as wide as its widest cell, so no numbers run together.

    ``rows`` holds ``(label, cells)`` pairs (cells already formatted) or plain strings (headings, blanks).
    """
    cells = [c for r in rows if isinstance(r, tuple) for c in r[1]]
    w = max([7] + [len(c) + 2 for c in cells])
    out = []
    for r in rows:
        if isinstance(r, tuple):
            out.append(f"  {r[0]:<{LABEL_W}}" + "".join(c.rjust(w) for c in r[1]))
        else:
            out.append(r)
    return out


def _cells(values, spec: str = ".1f") -> list[str]:  # noqa: ANN001
    from meari.plan.numbers import fmt

    return [fmt(float(v), spec) for v in values]


def range_report(result, at_m: list[float]) -> str:  # noqa: ANN001
    """Readable text report: conditions, per-band table at a few distances, the ranges.

    Levels to 0.1 dB, air absorption to 0.01 dB/km, MTI and STI to 0.01 (IEC 60268-16 rates STI in
    steps of 0.01), distances to 1 m; never ``-0``.
    """
    from meari.plan import sti as sti_mod
    from meari.plan.acoustics import evaluate
    from meari.plan.bands import BANDS_HZ
    from meari.plan.numbers import fmt

    s = result.setup
    w = "dBA" if s.spl_weighting == "A" else "dB (linear)"
    lines = [
        "meari range: loudspeaker intelligibility against distance",
        "",
        f"  Source      {s.spl_1m_db:g} {w} at 1 m (long-term speech); spectrum: {s.speech_source}",
        f"  Noise       {s.noise_source}: {fmt(result.noise_dba, '.1f')} dBA at the listener",
        f"  Air         {s.temp_c:g} C, {s.rh_pct:g} % RH, {s.pressure_kpa:g} kPa (ISO 9613-1)",
        f"  Terrain     {s.terrain}"
        + (f" (foliage over at most {s.forest_depth_m:g} m)" if s.terrain == "forest" else " (no excess attenuation)"),
        "  STI         IEC 60268-16 ed. 4, male weights; "
        + ("noise-only MTF" if s.rt60_s is None else f"reverberation T = {s.rt60_s:g} s")
        + ("; masking + reception threshold" if s.masking else "; no masking/threshold"),
        "",
    ]
    rows: list = [
        ("Band (Hz)", [str(b) for b in BANDS_HZ]),
        ("air (dB/km)", _cells(result.alpha_db_per_km, ".2f")),
        ("speech @1 m (dB)", _cells(result.source_db_1m)),
        ("noise (dB)", _cells(s.noise_db)),
    ]
    ev = evaluate(s, [d for d in at_m])
    for i, d in enumerate(ev.distance_m):
        rows += [
            "",
            f"  At {fmt(d, ',.0f')} m: speech {fmt(ev.level_dba[i], '.1f')} dBA, STI {fmt(ev.sti[i], '.2f')} "
            f"({sti_mod.rating(ev.sti[i])})",
            ("speech (dB)", _cells(ev.signal_db[i])),
            ("SNR (dB)", _cells(ev.snr_db[i])),
            ("MTI", _cells(ev.mti[i], ".2f")),
        ]
    lines += _table(rows)
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


def level_axis_limits(result) -> tuple[float, float]:  # noqa: ANN001
    """Limits of the level axis that hold the whole level curve (from 1 m out) and the noise line."""
    import numpy as np

    lv = np.asarray(result.curve.level_dba, dtype=float)
    lo = min(result.noise_dba, float(lv.min())) - 5.0
    hi = max(float(lv.max()), result.noise_dba + 10.0) + 5.0
    return lo, hi


def range_plot_png(result) -> bytes:  # noqa: ANN001
    """PNG bytes of STI (left axis) and speech level (right axis) against distance; thresholds marked."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from meari.plan import sti as sti_mod

    c, s = result.curve, result.setup
    fig, ax = plt.subplots(figsize=(9, 5.6), dpi=110, layout="constrained")
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
        ax.set_ylim(0, 1.03)  # STI 1.0 drawn inside the frame, not on its edge
        ax.set_xlabel("Distance from loudspeaker (m)")
        ax.set_ylabel("Speech Transmission Index (IEC 60268-16)")
        ax.grid(alpha=0.3)
        ax2 = ax.twinx()
        ax2.plot(c.distance_m, c.level_dba, color="tab:red", lw=1.2, label="speech level (dBA)")
        ax2.axhline(result.noise_dba, color="grey", ls="-.", lw=1, label=f"noise {result.noise_dba:.0f} dBA")
        lo, hi = level_axis_limits(result)
        ax2.set_ylim(lo, hi)
        ax2.set_ylabel("Speech level at listener (dBA)")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        # below the axes, outside them: a legend inside would cover the curve wherever it runs
        fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncol=3, fontsize=8)
        w = "dBA" if s.spl_weighting == "A" else "dB"
        ax.set_title(
            f"Loudspeaker range: {s.spl_1m_db:g} {w} at 1 m, noise {result.noise_dba:.0f} dBA, "
            f"{s.temp_c:g} C, {s.rh_pct:g} % RH, {s.terrain}",
            fontsize=10,
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    return buf.getvalue()


def points_csv(p) -> bytes:  # noqa: ANN001
    """Every landing point as CSV: index, east/north offsets (m), lat, lon, fall time (s)."""
    import io

    import numpy as np

    land = p.core.landings
    lon, lat = p.landing_lonlat()
    buf = io.StringIO()
    buf.write("i,east_m,north_m,lat,lon,fall_time_s\n")
    arr = np.column_stack([np.arange(land.east.size), land.east, land.north, lat, lon, land.fall_time])
    np.savetxt(buf, arr, delimiter=",", fmt=["%d", "%.4f", "%.4f", "%.9f", "%.9f", "%.3f"])
    return buf.getvalue().encode()


def ascii_grid(p) -> bytes:  # noqa: ANN001
    """ESRI ASCII grid in the release point's azimuthal-equidistant frame (rows north to south)."""
    import io

    import numpy as np

    g = p.core.grid
    buf = io.StringIO()
    ny, nx = g.shape
    buf.write(f"ncols {nx}\nnrows {ny}\nxllcorner {g.x0:.3f}\nyllcorner {g.y0:.3f}\ncellsize {g.cell:g}\n"
              "NODATA_value -9999\n")
    np.savetxt(buf, g.per_100m2[::-1], fmt="%.4g")
    return buf.getvalue().encode()
