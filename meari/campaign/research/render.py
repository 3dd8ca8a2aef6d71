"""Plots for pretests and effects (matplotlib, Agg, PNG bytes), over the plain data the research workflow
returns, so the web view and a notebook draw the same picture.

- :func:`pretest_png`: per-dimension means with 95 % intervals for each version of a ranking group;
- :func:`timeline_png`: disseminations (quantity) and outcomes (by kind) over time;
- :func:`map_png`: release points, drift footprints (from the stored drift plans) and outcome places, in a
  local equirectangular frame (no basemap: offline, and the picture must not pretend to more than it knows);
- :func:`variants_png`: outcome rate per variant with Jeffreys intervals.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from typing import Any

KIND_COLOURS = {"surrender": "#1b7f3b", "hotline": "#1f5fbf", "other-contact": "#8a4fbf", "statement": "#c27c0e"}


@functools.lru_cache(maxsize=1)
def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    try:  # Korean labels (message titles): the leaflet fonts' static Noto Sans KR, cached by meari.produce
        from meari.produce.leaflet.fonts import ensure_fonts

        path = ensure_fonts().paths.get("kr-regular")
        if path:
            font_manager.fontManager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
            matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    except Exception:  # noqa: BLE001 - a plot without Korean glyphs is still a plot; never fail a page on fonts
        pass
    matplotlib.rcParams["axes.unicode_minus"] = False
    return plt


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _plt().close(fig)
    return buf.getvalue()


def _empty(text: str, size: tuple[float, float] = (7, 2.2)) -> bytes:
    plt = _plt()
    fig, ax = plt.subplots(figsize=size)
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#555")
    return _png(fig)


def pretest_png(summaries: Sequence[dict], dimensions: Sequence[str]) -> bytes:
    """``summaries``: [{"label", "stale", "dimensions": {dim: {"estimate","low","high"}}}] (one per version)."""
    plt = _plt()
    if not summaries or not any(s["dimensions"] for s in summaries):
        return _empty("no ratings yet")
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(dimensions) + 1.4))
    k = len(summaries)
    h = 0.8 / k
    for i, s in enumerate(summaries):
        ys, xs, lo, hi = [], [], [], []
        for j, d in enumerate(dimensions):
            iv = s["dimensions"].get(d)
            if not iv or iv.get("estimate") is None:
                continue
            ys.append(len(dimensions) - 1 - j + (i - (k - 1) / 2) * h)
            xs.append(iv["estimate"])
            lo.append(iv["estimate"] - (iv["low"] if iv["low"] is not None else iv["estimate"]))
            hi.append((iv["high"] if iv["high"] is not None else iv["estimate"]) - iv["estimate"])
        label = s["label"] + (" (stale)" if s.get("stale") else "")
        ax.errorbar(xs, ys, xerr=[lo, hi], fmt="o", capsize=3, label=label, alpha=0.55 if s.get("stale") else 1)
    ax.set_yticks(range(len(dimensions)), list(reversed(dimensions)))
    ax.set_xlim(0.8, 5.2)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("mean score (1-5) with 95 % bootstrap interval")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(k, 3), fontsize=8, frameon=False)
    return _png(fig)


def timeline_png(disseminations: Sequence[dict], outcomes: Sequence[dict]) -> bytes:
    """Disseminations as bars (quantity, log scale) above, outcomes as marks by kind below, on one time axis."""
    plt = _plt()
    if not disseminations and not outcomes:
        return _empty("no disseminations or outcomes recorded yet")
    import matplotlib.dates as mdates

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(9, 4.2), sharex=True, gridspec_kw={"height_ratios": [2, 1.3]})
    if disseminations:
        t = [d["time"] for d in disseminations]
        q = [max(1, d["quantity"]) for d in disseminations]
        a1.vlines(t, 1, q, color="#444", lw=0.8, alpha=0.8)
        a1.plot(t, q, "o", ms=3, color="#444")
        a1.set_yscale("log")
    a1.set_ylabel("disseminated\n(quantity)")
    a1.grid(alpha=0.3)
    kinds = list(KIND_COLOURS)
    if len(outcomes) <= 60:  # few records: each one as a mark in its kind's row
        for n, kind in enumerate(kinds):
            ts = [o["time"] for o in outcomes if o["kind"] == kind]
            if ts:
                a2.plot(ts, [n] * len(ts), "|", ms=14, mew=1.5, color=KIND_COLOURS[kind], label=f"{kind} ({len(ts)})")
        times = [d["time"] for d in disseminations] + [o["time"] for o in outcomes]
        lo, hi = min(times), max(times)
        if (hi - lo).total_seconds() < 3 * 86400:  # a day or two of data: show a week around it, not years
            from datetime import timedelta

            mid = lo + (hi - lo) / 2
            a2.set_xlim(mid - timedelta(days=3.5), mid + timedelta(days=3.5))
        a2.set_yticks(range(len(kinds)), kinds)
        a2.set_ylim(-0.7, len(kinds) - 0.3)
    else:  # many records: outcomes per day, one line per kind
        from collections import Counter
        from datetime import timedelta

        for kind in kinds:
            days = Counter(o["time"].replace(hour=0, minute=0, second=0, microsecond=0) for o in outcomes
                           if o["kind"] == kind)
            if not days:
                continue
            d0, d1 = min(days), max(days)
            xs = [d0 + timedelta(days=i) for i in range((d1 - d0).days + 1)]
            a2.step(xs, [days.get(x, 0) for x in xs], where="post", color=KIND_COLOURS[kind], lw=1.2,
                    label=f"{kind} ({sum(days.values())})")
        a2.set_ylabel("outcomes\nper day")
        a2.legend(fontsize=7, ncol=4, loc="upper left", frameon=False)
    a2.grid(axis="x", alpha=0.3)
    a2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    a2.set_xlabel("time (UTC)")
    return _png(fig)


def _xy(lat: float, lon: float, lat0: float, lon0: float) -> tuple[float, float]:
    """km east/north of (lat0, lon0), equirectangular (fine over tens of km)."""
    return (lon - lon0) * 111.32 * math.cos(math.radians(lat0)), (lat - lat0) * 110.57


def map_png(disseminations: Sequence[dict], outcomes: Sequence[dict], drift: Sequence[dict]) -> bytes:
    """Release points (triangles), drift footprints (p50/p90 outlines from the plans' GeoJSON) and outcome
    places (by kind) in km from their common centre."""
    plt = _plt()
    pts = [(d["lat"], d["lon"]) for d in disseminations] + [(o["lat"], o["lon"]) for o in outcomes
                                                            if o["lat"] is not None]
    if not pts:
        return _empty("nothing with a place recorded yet")
    lat0 = sum(p[0] for p in pts) / len(pts)
    lon0 = sum(p[1] for p in pts) / len(pts)
    fig, ax = plt.subplots(figsize=(7, 6))
    drawn = False
    for f in drift:
        for feat in (f.get("footprint") or {}).get("features", []):
            if (feat.get("properties") or {}).get("kind") != "footprint":
                continue
            g = feat.get("geometry") or {}
            polys = g.get("coordinates", []) if g.get("type") == "MultiPolygon" else [g.get("coordinates", [])]
            for poly in polys:
                if not poly:
                    continue
                xy = [_xy(lat, lon, lat0, lon0) for lon, lat, *_ in poly[0]]
                frac = feat["properties"].get("fraction", 0)
                ax.fill([p[0] for p in xy], [p[1] for p in xy], facecolor="#1f5fbf",
                        alpha=0.30 if frac <= 0.5 else 0.15, zorder=3,
                        label=None if drawn else "drift footprints (plans)")
                ax.plot([p[0] for p in xy], [p[1] for p in xy], color="#0b2f6b", lw=1, zorder=4)
                drawn = True
    if disseminations:
        xy = [_xy(d["lat"], d["lon"], lat0, lon0) for d in disseminations]
        ax.plot([p[0] for p in xy], [p[1] for p in xy], "^", color="#222", ms=8 if len(xy) <= 30 else 4,
                alpha=1 if len(xy) <= 30 else 0.6, zorder=2, label="release / broadcast points")
    for kind, col in KIND_COLOURS.items():
        xy = [_xy(o["lat"], o["lon"], lat0, lon0) for o in outcomes if o["kind"] == kind and o["lat"] is not None]
        if xy:
            many = len(outcomes) > 200
            ax.plot([p[0] for p in xy], [p[1] for p in xy], "o", color=col, ms=1.5 if many else 4,
                    alpha=0.35 if many else 0.8, label=f"{kind} ({len(xy)})", zorder=1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(f"km east of {lat0:.4f}, {lon0:.4f}")
    ax.set_ylabel("km north")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return _png(fig)


def variants_png(rates: Sequence[Any]) -> bytes:
    """Outcome rate per variant (per 1,000 units disseminated) with Jeffreys 95 % intervals."""
    plt = _plt()
    if not rates:
        return _empty("no variant has been disseminated yet")
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rates) + 1.3))
    ys = list(range(len(rates)))[::-1]
    x = [r.rate.estimate * 1000 for r in rates]
    lo = [(r.rate.estimate - r.rate.low) * 1000 for r in rates]
    hi = [(r.rate.high - r.rate.estimate) * 1000 for r in rates]
    ax.errorbar(x, ys, xerr=[lo, hi], fmt="o", capsize=4, color="#1b7f3b")
    ax.set_yticks(ys, [f"{r.variant}  ({r.k}/{r.n})" for r in rates])
    ax.set_xlabel("outcomes per 1,000 disseminated (Jeffreys 95 % interval)")
    ax.set_xlim(left=0)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)
