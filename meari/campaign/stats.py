"""Pretest and effects statistics over plain data (no Django): what a panel's ratings say, how far the
raters agree, which version ranks above which, and what outcome rates per message variant can and cannot
tell apart.

Why each method:

- **Means with percentile bootstrap 95 % intervals** (Efron & Tibshirani, *An Introduction to the
  Bootstrap*, 1993, ch. 13): ratings are 1-5 ordinal scores from small panels; the bootstrap makes no
  normality assumption. The resampling unit is the *rater* where a rater gave several scores (scores of
  one rater are not independent), the score otherwise.
- **Krippendorff's alpha, ordinal** (Krippendorff, *Content Analysis*, 2004/2013, ch. 12; "Computing
  Krippendorff's Alpha-Reliability", 2011): handles any number of raters, missing ratings and the
  ordinal scale. The point estimate comes from the ``krippendorff`` package (with
  ``level_of_measurement="ordinal"``); the interval resamples *units* (the rated things) with
  replacement, computed from per-unit coincidence matrices so that 1,000 resamples cost one matrix
  product (our own code, checked against the package on the published example).
- **Jeffreys Beta-binomial intervals** for outcome rates (Brown, Cai & DasGupta, "Interval Estimation for a
  Binomial Proportion", *Statistical Science* 16(2), 2001): posterior Beta(k + 1/2, n - k + 1/2); equal-
  tailed 95 % interval; good coverage even for small counts and rates near 0, where outcome counts live.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

#: the pretest dimensions, in the order shown (Salazar's health-message pretest dimensions, adapted:
#: believability -> credibility; "authenticity" = reads as written by a North Korean)
DIMENSIONS = ("comprehension", "credibility", "authenticity", "attractiveness", "relevance", "acceptance",
              "motivation")
SCORES = (1, 2, 3, 4, 5)
LEVEL = 0.95
N_BOOT = 1000


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided interval (``level``) and the number of observations behind it."""

    estimate: float
    low: float
    high: float
    n: int
    level: float = LEVEL

    def overlaps(self, other: Interval) -> bool:
        return not (self.high < other.low or other.high < self.low)

    def as_dict(self) -> dict:
        return {"estimate": _r(self.estimate), "low": _r(self.low), "high": _r(self.high), "n": self.n,
                "level": self.level}


def _r(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


NAN_INTERVAL = Interval(float("nan"), float("nan"), float("nan"), 0)


# ------------------------------------------------------------------------------------------------
# Means with bootstrap intervals


def bootstrap_mean(values: Sequence[float], *, n_boot: int = N_BOOT, seed: int = 0,
                   level: float = LEVEL) -> Interval:
    """Mean of ``values`` with a percentile bootstrap interval (resampling the values)."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return NAN_INTERVAL
    if x.size == 1:
        return Interval(float(x[0]), float(x[0]), float(x[0]), 1, level)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    means = x[idx].mean(axis=1)
    a = (1 - level) / 2
    lo, hi = np.quantile(means, [a, 1 - a])
    return Interval(float(x.mean()), float(lo), float(hi), int(x.size), level)


def bootstrap_cluster_mean(groups: Sequence[Sequence[float]], *, n_boot: int = N_BOOT, seed: int = 0,
                           level: float = LEVEL) -> Interval:
    """Mean of all values, resampling whole groups (one group = one rater's scores) with replacement.

    Scores of one rater share that rater's leniency; resampling raters, not scores, keeps the interval
    honest about how few independent people the panel really is.
    """
    groups = [np.asarray(g, dtype=float) for g in groups if len(g)]
    if not groups:
        return NAN_INTERVAL
    sums = np.array([g.sum() for g in groups])
    counts = np.array([g.size for g in groups], dtype=float)
    n = int(counts.sum())
    est = float(sums.sum() / counts.sum())
    if len(groups) == 1:
        return bootstrap_mean(groups[0], n_boot=n_boot, seed=seed, level=level)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(groups), size=(n_boot, len(groups)))
    means = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
    a = (1 - level) / 2
    lo, hi = np.quantile(means, [a, 1 - a])
    return Interval(est, float(lo), float(hi), n, level)


# ------------------------------------------------------------------------------------------------
# Krippendorff's alpha


def alpha(matrix: Sequence[Sequence[float]] | np.ndarray, level: str = "ordinal") -> float:
    """Krippendorff's alpha of a raters x units matrix (NaN = missing), from the ``krippendorff`` package.

    The package's default level is interval; we always pass it. NaN when there is nothing pairable or no
    variation at all (alpha is undefined then: agreement cannot be told from chance).
    """
    import krippendorff

    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.size == 0:
        return float("nan")
    pairable = (~np.isnan(m)).sum(axis=0) >= 2
    vals = np.unique(m[:, pairable][~np.isnan(m[:, pairable])])
    if not pairable.any() or vals.size < 2:
        return float("nan")
    domain = np.asarray(SCORES, dtype=float) if set(vals) <= set(SCORES) else None
    try:
        return float(krippendorff.alpha(reliability_data=m, level_of_measurement=level, value_domain=domain))
    except (ValueError, ZeroDivisionError):
        return float("nan")


def _coincidences(m: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-unit coincidence matrices (units x V x V): o_ck for unit u = sum over ordered pairs of its
    values (c, k) of 1 / (m_u - 1), m_u = number of values in the unit (Krippendorff 2011, eq. 2)."""
    V = values.size
    counts = np.stack([(m == v).sum(axis=0) for v in values], axis=1).astype(float)  # units x V
    mu = counts.sum(axis=1)
    ok = mu >= 2
    counts, mu = counts[ok], mu[ok]
    o = counts[:, :, None] * counts[:, None, :]
    o[:, np.arange(V), np.arange(V)] -= counts
    return o / (mu - 1)[:, None, None]


def _ordinal_delta(n_c: np.ndarray) -> np.ndarray:
    """Ordinal metric δ²(c,k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² for marginals n_c (..., V)."""
    cum = np.cumsum(n_c, axis=-1)
    V = n_c.shape[-1]
    c = np.arange(V)
    lo = np.minimum(c[:, None], c[None, :])
    hi = np.maximum(c[:, None], c[None, :])
    before = np.where(lo > 0, np.take(cum, np.maximum(lo - 1, 0), axis=-1), 0.0)
    s = np.take(cum, hi, axis=-1) - before
    half = (n_c[..., :, None] + n_c[..., None, :]) / 2
    return (s - half) ** 2


def _delta(level: str, values: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    V = values.size
    if level == "nominal":
        d = 1.0 - np.eye(V)
        return np.broadcast_to(d, n_c.shape[:-1] + (V, V))
    if level == "interval":
        d = (values[:, None] - values[None, :]) ** 2
        return np.broadcast_to(d, n_c.shape[:-1] + (V, V))
    if level == "ordinal":
        return _ordinal_delta(n_c)
    raise ValueError(f"unknown level {level}")


def _alpha_from_o(o: np.ndarray, level: str, values: np.ndarray) -> np.ndarray:
    """Alpha from coincidence matrices o (..., V, V): 1 − (n−1) Σ o·δ / Σ n_c n_k δ."""
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    d = _delta(level, values, n_c)
    do = (o * d).sum(axis=(-1, -2))
    de = (n_c[..., :, None] * n_c[..., None, :] * d).sum(axis=(-1, -2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (n - 1) * do / de


def alpha_direct(matrix: Sequence[Sequence[float]] | np.ndarray, level: str = "ordinal") -> float:
    """Our own alpha from coincidence matrices (the same numbers as the package; used by the bootstrap)."""
    m = np.asarray(matrix, dtype=float)
    values = np.unique(m[~np.isnan(m)])
    if values.size < 2:
        return float("nan")
    o = _coincidences(m, values)
    if o.shape[0] == 0:
        return float("nan")
    return float(_alpha_from_o(o.sum(axis=0), level, values))


def alpha_interval(matrix: Sequence[Sequence[float]] | np.ndarray, level: str = "ordinal", *,
                   n_boot: int = N_BOOT, seed: int = 0, conf: float = LEVEL) -> Interval:
    """Krippendorff's alpha (package) with a percentile bootstrap interval resampling units.

    ``n`` is the number of pairable units. Resamples in which alpha is undefined (no variation left)
    are dropped; if most are, the interval is NaN (say so rather than print a number).
    """
    m = np.asarray(matrix, dtype=float)
    est = alpha(m, level)
    values = np.unique(m[~np.isnan(m)]) if m.size else np.array([])
    if math.isnan(est) or values.size < 2:
        return Interval(est, float("nan"), float("nan"), 0, conf)
    o = _coincidences(m, values)
    U = o.shape[0]
    rng = np.random.default_rng(seed)
    w = rng.multinomial(U, np.full(U, 1.0 / U), size=n_boot).astype(float)  # B x U
    ob = (w @ o.reshape(U, -1)).reshape(n_boot, values.size, values.size)
    a = _alpha_from_o(ob, level, values)
    a = a[np.isfinite(a)]
    if a.size < n_boot / 2:
        return Interval(est, float("nan"), float("nan"), U, conf)
    q = (1 - conf) / 2
    lo, hi = np.quantile(a, [q, 1 - q])
    return Interval(est, float(lo), float(hi), U, conf)


# ------------------------------------------------------------------------------------------------
# Pretest summaries over plain rating records


@dataclass(frozen=True)
class RatingRow:
    """One score: which rater, which item (message version id), which dimension, 1-5."""

    rater: str
    item: str
    dimension: str
    score: int


def _rows(ratings: Iterable[RatingRow | Mapping]) -> list[RatingRow]:
    out = []
    for r in ratings:
        if isinstance(r, RatingRow):
            out.append(r)
        else:
            out.append(RatingRow(str(r["rater"]), str(r["item"]), str(r["dimension"]), int(r["score"])))
    return out


@dataclass
class ItemSummary:
    """One version's results: per-dimension means, overall mean (rater-resampled), alpha, breakdowns."""

    item: str
    n_raters: int
    n_ratings: int
    dimensions: dict[str, Interval]
    overall: Interval
    alpha: Interval
    raters: list[dict] = field(default_factory=list)
    spread: dict[str, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"item": self.item, "n_raters": self.n_raters, "n_ratings": self.n_ratings,
                "dimensions": {k: v.as_dict() for k, v in self.dimensions.items()},
                "overall": self.overall.as_dict(), "alpha": self.alpha.as_dict(), "raters": self.raters,
                "spread": self.spread}


def rating_matrix(rows: Sequence[RatingRow], raters: Sequence[str], units: Sequence[tuple[str, str]]) -> np.ndarray:
    """raters x units matrix of scores (NaN = not rated); a unit is (item, dimension)."""
    ri = {r: i for i, r in enumerate(raters)}
    ui = {u: j for j, u in enumerate(units)}
    m = np.full((len(raters), len(units)), np.nan)
    for r in rows:
        j = ui.get((r.item, r.dimension))
        if j is not None and r.rater in ri:
            m[ri[r.rater], j] = r.score
    return m


def summarise_item(ratings: Iterable[RatingRow | Mapping], item: str | None = None, *, n_boot: int = N_BOOT,
                   seed: int = 0) -> ItemSummary:
    """Everything the pretest page shows for one version.

    - per dimension: mean with a bootstrap interval over raters (one score per rater and dimension);
    - overall: each rater's mean over the dimensions they rated, then the mean over raters with a
      rater-resampled interval;
    - alpha: ordinal, raters x dimensions of this version (the units are the dimensions);
    - per rater: number of scores, mean, and leniency (mean of their score minus the dimension's mean),
      so one rater who rates everything 5 stands out;
    - spread per dimension: standard deviation, min, max, histogram of 1-5.
    """
    rows = [r for r in _rows(ratings) if item is None or r.item == item]
    item = item if item is not None else (rows[0].item if rows else "")
    raters = sorted({r.rater for r in rows})
    dims = [d for d in DIMENSIONS if any(r.dimension == d for r in rows)]
    dims += sorted({r.dimension for r in rows} - set(dims))
    by_dim: dict[str, list[int]] = defaultdict(list)
    by_rater: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_dim[r.dimension].append(r.score)
        by_rater[r.rater].append(r.score)
    dimensions = {d: bootstrap_mean(by_dim[d], n_boot=n_boot, seed=seed + i) for i, d in enumerate(dims)}
    overall = bootstrap_mean([float(np.mean(by_rater[r])) for r in raters], n_boot=n_boot, seed=seed + 99)
    m = rating_matrix(rows, raters, [(item, d) for d in dims])
    alp = alpha_interval(m, "ordinal", n_boot=n_boot, seed=seed + 7)
    dmean = {d: float(np.mean(v)) for d, v in by_dim.items()}
    per_rater = []
    for r in raters:
        mine = [x for x in rows if x.rater == r]
        per_rater.append({"rater": r, "n": len(mine), "mean": _r(float(np.mean([x.score for x in mine]))),
                          "leniency": _r(float(np.mean([x.score - dmean[x.dimension] for x in mine])))})
    spread = {d: {"sd": _r(float(np.std(by_dim[d], ddof=1))) if len(by_dim[d]) > 1 else None,
                  "min": int(min(by_dim[d])), "max": int(max(by_dim[d])),
                  "hist": [by_dim[d].count(s) for s in SCORES]} for d in dims}
    return ItemSummary(item, len(raters), len(rows), dimensions, overall, alp, per_rater, spread)


@dataclass(frozen=True)
class Ranked:
    item: str
    rank: int
    overall: Interval
    #: items whose interval overlaps this one's (the data cannot order them)
    ties: tuple[str, ...]


def rank_items(ratings: Iterable[RatingRow | Mapping], *, n_boot: int = N_BOOT, seed: int = 0) -> list[Ranked]:
    """Rank competing versions by their overall mean (rater-level means, rater-resampled intervals).

    Items with overlapping intervals share the statement "cannot be told apart"; the rank itself is only
    the order of the point estimates.
    """
    rows = _rows(ratings)
    per: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        per[r.item][r.rater].append(r.score)
    ivs = {}
    for k, (item, by_rater) in enumerate(sorted(per.items())):
        ivs[item] = bootstrap_mean([float(np.mean(v)) for v in by_rater.values()], n_boot=n_boot, seed=seed + k)
    order = sorted(ivs, key=lambda i: (-ivs[i].estimate, i))
    return [Ranked(i, n + 1, ivs[i], tuple(j for j in order if j != i and ivs[i].overlaps(ivs[j])))
            for n, i in enumerate(order)]


def ranking_statement(ranked: Sequence[Ranked], label: Mapping[str, str] | None = None) -> str:
    """One plain sentence: which version leads and whether the panel can tell it from the next."""
    label = label or {}
    if not ranked:
        return "no ratings yet"
    if len(ranked) == 1:
        return f"only {label.get(ranked[0].item, ranked[0].item)} was rated"
    a, b = ranked[0], ranked[1]
    na, nb = label.get(a.item, a.item), label.get(b.item, b.item)
    if b.item in a.ties:
        return (f"{na} and {nb} cannot be told apart: their 95 % intervals overlap "
                f"({a.overall.low:.2f}–{a.overall.high:.2f} vs {b.overall.low:.2f}–{b.overall.high:.2f})")
    return (f"{na} rates above {nb}: 95 % intervals {a.overall.low:.2f}–{a.overall.high:.2f} vs "
            f"{b.overall.low:.2f}–{b.overall.high:.2f} do not overlap")


# ------------------------------------------------------------------------------------------------
# Outcome rates per message variant


def beta_interval(k: int, n: int, *, prior: tuple[float, float] = (0.5, 0.5), level: float = LEVEL) -> Interval:
    """Posterior mean and equal-tailed interval of a rate with k successes in n (Jeffreys prior default)."""
    from scipy.stats import beta as _beta

    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k} n={n}")
    a, b = prior[0] + k, prior[1] + n - k
    q = (1 - level) / 2
    lo, hi = _beta.ppf([q, 1 - q], a, b)
    return Interval(a / (a + b), float(lo), float(hi), n, level)


@dataclass(frozen=True)
class VariantRate:
    variant: str
    k: int
    n: int
    rate: Interval


def compare_variants(counts: Mapping[str, tuple[int, int]], *, level: float = LEVEL) -> tuple[list[VariantRate], str]:
    """Outcome rates per variant (``{variant: (outcomes, exposures)}``) and a plain statement.

    The statement says the data cannot tell variants apart whenever the two best intervals overlap: with
    the handful of surrenders this work sees, that will be the usual answer, and it must be said.
    """
    rates = [VariantRate(v, k, n, beta_interval(k, n, level=level)) for v, (k, n) in counts.items() if n > 0]
    rates.sort(key=lambda r: (-r.rate.estimate, r.variant))
    if len(rates) < 2:
        return rates, "fewer than two variants with exposures: nothing to compare"
    a, b = rates[0], rates[1]
    if a.rate.overlaps(b.rate):
        return rates, (f"the data cannot tell {a.variant} and {b.variant} apart: their 95 % intervals overlap "
                       f"({a.rate.low:.3f}–{a.rate.high:.3f} vs {b.rate.low:.3f}–{b.rate.high:.3f})")
    return rates, (f"{a.variant} has the higher outcome rate: 95 % intervals {a.rate.low:.3f}–{a.rate.high:.3f} "
                   f"vs {b.variant} {b.rate.low:.3f}–{b.rate.high:.3f} do not overlap")
