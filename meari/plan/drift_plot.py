"""PNG map of a drift plan (matplotlib, Agg backend, English labels).

Drawn in the release point's east/north metre frame so distances read directly off the axes;
the release coordinates are in the title.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np

from meari.plan.drift import DriftPlan, bearing_deg


def _rings(geom: Any) -> list[np.ndarray]:
    """Every ring (exteriors and holes) of a (Multi)Polygon as coordinate arrays."""
    polys = getattr(geom, "geoms", [geom])
    rings: list[np.ndarray] = []
    for poly in polys:
        if poly.is_empty:
            continue
        rings.append(np.asarray(poly.exterior.coords))
        rings.extend(np.asarray(r.coords) for r in poly.interiors)
    return rings


def plot_frame(p: DriftPlan) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of the map in metres: every landed leaflet, footprint, target, release and aim.

    The whole density grid is inside (it spans every landing), with a margin; the frame is no flatter
    than 2:1 so a long thin footprint stays readable.
    """
    g = p.core.grid
    ny, nx = g.shape
    xs = [0.0, g.x0, g.x0 + nx * g.cell, float(p.core.landings.east.min()), float(p.core.landings.east.max())]
    ys = [0.0, g.y0, g.y0 + ny * g.cell, float(p.core.landings.north.min()), float(p.core.landings.north.max())]
    for geom in [fp.geom for fp in p.core.footprints] + ([p.target_xy] if p.target_xy is not None else []):
        b = geom.bounds
        xs += [b[0], b[2]]
        ys += [b[1], b[3]]
    if p.aim is not None:
        ax_, ay_ = p.frame.to_xy(p.aim[1], p.aim[0])
        xs.append(float(ax_))
        ys.append(float(ay_))
    span = max(max(xs) - min(xs), max(ys) - min(ys), 50.0)
    pad = 0.05 * span
    w, h = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    w, h = max(w, h / 2.0), max(h, w / 2.0)
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return mx - w / 2, mx + w / 2, my - h / 2, my + h / 2


def plot_figure(p: DriftPlan, dpi: int = 130):  # noqa: ANN201 - a matplotlib Figure
    """The map as a matplotlib Figure: density, footprints, target, release, centroid, aim, wind arrow.

    The legend sits outside the axes (to their right), so it never covers data; the colour bar is below.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    sc, core = p.scenario, p.core
    g = core.grid
    cx, cy = core.centroid
    x0, x1, y0, y1 = plot_frame(p)
    w, h = x1 - x0, y1 - y0
    span = max(w, h)
    map_w = 7.5
    map_h = min(9.0, max(3.2, map_w * h / w))
    fig = Figure(figsize=(map_w + 4.2, map_h + 1.9), dpi=dpi, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")

    dens = np.ma.masked_equal(g.per_100m2, 0.0)
    ny, nx = g.shape
    extent = (g.x0, g.x0 + nx * g.cell, g.y0, g.y0 + ny * g.cell)
    if dens.count() > 0:
        vmin = float(dens.min())
        vmax = float(dens.max())
        norm = LogNorm(vmin=vmin, vmax=max(vmax, vmin * 1.0001))
        im = ax.imshow(dens, origin="lower", extent=extent, cmap="YlOrRd", norm=norm, interpolation="nearest",
                       alpha=0.9, zorder=1)
        cb = fig.colorbar(im, ax=ax, shrink=0.8, orientation="horizontal", pad=0.02, aspect=40)
        cb.set_label(f"leaflets per 100 m² (grid cell {g.cell:g} m)")

    handles = []
    styles = {0.9: ("#7b2d8b", "-"), 0.5: ("#1b1b1b", "--")}
    for fp in sorted(core.footprints, key=lambda f: -f.fraction):
        color, ls = styles.get(fp.fraction, ("#444444", ":"))
        for ring in _rings(fp.geom):
            ax.plot(ring[:, 0], ring[:, 1], color=color, ls=ls, lw=1.6, zorder=3)
        handles.append(Line2D([], [], color=color, ls=ls, lw=1.6,
                              label=f"{fp.fraction:.0%} footprint ({fp.area_m2 / 1e6:.2f} km²)"))
    if p.target_xy is not None:
        for ring in _rings(p.target_xy):
            ax.fill(ring[:, 0], ring[:, 1], color="#2b6cb0", alpha=0.15, zorder=2)
            ax.plot(ring[:, 0], ring[:, 1], color="#2b6cb0", lw=2.0, zorder=4)
        handles.append(Line2D([], [], color="#2b6cb0", lw=2.0,
                              label=f"target ({(p.fraction_in_target or 0):.1%} of leaflets inside)"))

    ax.plot([0], [0], marker="^", color="black", ms=10, ls="", zorder=6)
    handles.append(Line2D([], [], marker="^", color="black", ls="", ms=9,
                          label=f"release ({sc.height_m:g} m, {sc.platform.kind})"))
    ax.plot([cx], [cy], marker="X", color="#c53030", mec="white", ms=11, ls="", zorder=6)
    handles.append(Line2D([], [], marker="X", color="#c53030", ls="", ms=9, label="centroid of landings"))
    if p.aim is not None:
        ax_, ay_ = p.frame.to_xy(p.aim[1], p.aim[0])
        ax.plot([float(ax_)], [float(ay_)], marker="*", color="#2f855a", mec="white", ms=15, ls="", zorder=7)
        handles.append(Line2D([], [], marker="*", color="#2f855a", ls="", ms=12, label="aim point"))


    # Wind arrow: mean wind over the fall, drawn from the release point in the direction it blows TOWARD.
    mu, mv = core.landings.mean_wind
    speed = math.hypot(mu, mv)
    if speed > 1e-9:
        length = 0.15 * span
        ax.annotate("", xy=(mu / speed * length, mv / speed * length), xytext=(0, 0),
                    arrowprops={"arrowstyle": "-|>", "color": "#2c5282", "lw": 2.2}, zorder=5)
        from_deg = (bearing_deg(mu, mv) + 180.0) % 360.0
        label = f"mean wind over the fall: {speed:.1f} m/s from {from_deg:.0f}°"
    else:
        label = "no mean wind"
    handles.append(Line2D([], [], color="#2c5282", lw=2.2, marker=">", label=label))

    ax.set_xlabel("metres east of release point")
    ax.set_ylabel("metres north of release point")
    ax.grid(True, color="#dddddd", lw=0.6, zorder=0)
    ax.set_title(f"Leaflet drift: {sc.leaflet.name}, {sc.n:,} leaflets, release {p.release[0]:.5f}, "
                 f"{p.release[1]:.5f}\nfall {core.landings.fall_time.mean():.0f} s, mean drift "
                 f"{math.hypot(cx, cy):.0f} m toward {bearing_deg(cx, cy):.0f}°, turbulence {sc.turbulence:g}",
                 fontsize=10)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=8,
              framealpha=0.95)
    return fig


def plot_png(p: DriftPlan, dpi: int = 130) -> bytes:
    """Render the plan to PNG bytes (see :func:`plot_figure`)."""
    buf = io.BytesIO()
    plot_figure(p, dpi).savefig(buf, format="png")
    return buf.getvalue()
