"""Pretest and effects statistics against published values and on simulated data (fixed seeds)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meari.campaign import stats

NA = np.nan
#: Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers x 12 units
#: with missing values. Published: nominal .743, ordinal .815, interval .849 (ratio .797).
K2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
         [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA]]


@pytest.mark.parametrize("level,published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_alpha_published_example(level: str, published: float) -> None:
    assert stats.alpha(K2011, level) == pytest.approx(published, abs=0.0005)
    # our coincidence-matrix alpha (used by the bootstrap) agrees with the package
    assert stats.alpha_direct(K2011, level) == pytest.approx(stats.alpha(K2011, level), abs=1e-9)


def test_alpha_direct_matches_package_on_random_matrices() -> None:
    rng = np.random.default_rng(3)
    for _ in range(30):
        m = rng.integers(1, 6, size=(rng.integers(2, 8), rng.integers(3, 15))).astype(float)
        m[rng.random(m.shape) < 0.2] = np.nan
        a, b = stats.alpha(m, "ordinal"), stats.alpha_direct(m, "ordinal")
        if math.isnan(a):
            continue
        assert b == pytest.approx(a, abs=1e-9)


def test_alpha_interval_brackets_estimate_and_perfect_agreement() -> None:
    iv = stats.alpha_interval(K2011, "ordinal", n_boot=2000, seed=1)
    assert iv.low <= iv.estimate <= iv.high
    assert 0.0 < iv.low < 0.815 < iv.high <= 1.0
    assert iv.n == 11  # unit 12 has one value: not pairable
    same = [[1, 2, 3, 4, 5, 2], [1, 2, 3, 4, 5, 2], [1, 2, 3, 4, 5, 2]]
    p = stats.alpha_interval(same, "ordinal", n_boot=500)
    assert p.estimate == pytest.approx(1.0) and p.low == pytest.approx(1.0)


def test_alpha_undefined_without_variation() -> None:
    assert math.isnan(stats.alpha([[3, 3, 3], [3, 3, 3]]))
    assert math.isnan(stats.alpha_interval([[3, 3], [3, 3]]).low)


def test_alpha_ordinal_differs_from_nominal_on_near_misses() -> None:
    # raters one point apart everywhere: ordinal credits closeness, nominal does not
    m = [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5], [2, 3, 4, 5, 5, 1, 3, 4, 5, 4]]
    assert stats.alpha(m, "ordinal") > 0.6 > stats.alpha(m, "nominal")


def test_bootstrap_mean_coverage_on_simulated_ratings() -> None:
    """The 95 % interval covers the true mean of a 1-5 rating distribution in 90-99 % of 400 simulations."""
    rng = np.random.default_rng(20261202)
    p = np.array([0.05, 0.15, 0.30, 0.35, 0.15])
    truth = float((np.arange(1, 6) * p).sum())
    hits = 0
    for i in range(400):
        x = rng.choice(np.arange(1, 6), size=30, p=p)
        iv = stats.bootstrap_mean(x, n_boot=1000, seed=i)
        hits += iv.low <= truth <= iv.high
    assert 0.90 <= hits / 400 <= 0.99, hits


def test_cluster_bootstrap_coverage_with_rater_leniency() -> None:
    """Raters differ in leniency; resampling raters keeps coverage in 90-99 % (resampling scores would not)."""
    rng = np.random.default_rng(7)
    hits = naive = 0
    for i in range(400):
        groups = []
        for _ in range(20):
            lean = rng.normal(0, 0.6)
            groups.append(np.clip(np.round(3.2 + lean + rng.normal(0, 0.5, size=7)), 1, 5))
        # truth: the expected score of the population of raters (estimated once by a large simulation below)
        iv = stats.bootstrap_cluster_mean(groups, n_boot=800, seed=i)
        flat = stats.bootstrap_mean(np.concatenate(groups), n_boot=800, seed=i)
        hits += iv.low <= TRUE_LENIENT <= iv.high
        naive += flat.low <= TRUE_LENIENT <= flat.high
    assert 0.90 <= hits / 400 <= 0.99, hits
    assert naive < hits


def _true_lenient() -> float:
    rng = np.random.default_rng(99)
    lean = rng.normal(0, 0.6, size=(200_000, 1))
    return float(np.clip(np.round(3.2 + lean + rng.normal(0, 0.5, size=(200_000, 7))), 1, 5).mean())


TRUE_LENIENT = _true_lenient()


def test_jeffreys_interval_known_values_and_coverage() -> None:
    # Brown, Cai & DasGupta (2001): the Jeffreys interval is the equal-tailed interval of Beta(k+.5, n-k+.5).
    # Checked here by integrating that density numerically (independent of scipy's quantile function).
    for k, n in ((0, 20), (5, 50), (17, 40)):
        iv = stats.beta_interval(k, n)
        t = np.linspace(0, 1, 2_000_001)[1:-1]  # x = t^2 removes the x^-1/2 singularity at 0
        x = t * t
        logpdf = 2 * k * np.log(t) + (n - k - 0.5) * np.log1p(-x)
        pdf = np.exp(logpdf - logpdf.max())
        cdf = np.cumsum(pdf) / pdf.sum()
        assert np.interp(iv.low, x, cdf) == pytest.approx(0.025, abs=2e-3)
        assert np.interp(iv.high, x, cdf) == pytest.approx(0.975, abs=2e-3)
        assert iv.estimate == pytest.approx((k + 0.5) / (n + 1))
    rng = np.random.default_rng(11)
    for p in (0.02, 0.1):
        hits = 0
        for _ in range(400):
            k = int(rng.binomial(300, p))
            r = stats.beta_interval(k, 300)
            hits += r.low <= p <= r.high
        assert 0.90 <= hits / 400 <= 0.99, (p, hits)
    with pytest.raises(ValueError):
        stats.beta_interval(5, 3)


def test_compare_variants_says_when_data_cannot_tell() -> None:
    rates, s = stats.compare_variants({"A v1": (3, 1000), "B v2": (5, 1000)})
    assert "cannot tell" in s and rates[0].variant == "B v2"
    rates, s = stats.compare_variants({"A v1": (2, 5000), "B v2": (60, 5000)})
    assert "higher outcome rate" in s and rates[0].variant == "B v2"
    _, s = stats.compare_variants({"A v1": (1, 100)})
    assert "nothing to compare" in s


def _panel(item: str, mean: float, n: int, rng: np.random.Generator) -> list[stats.RatingRow]:
    rows = []
    for r in range(n):
        lean = rng.normal(0, 0.3)
        for d in stats.DIMENSIONS:
            score = int(np.clip(round(mean + lean + rng.normal(0, .5)), 1, 5))
            rows.append(stats.RatingRow(f"R{r:02d}", item, d, score))
    return rows


def test_summary_and_ranking() -> None:
    rng = np.random.default_rng(5)
    rows = _panel("a", 4.3, 12, rng) + _panel("b", 2.2, 12, rng) + _panel("c", 2.3, 12, rng)
    s = stats.summarise_item(rows, "a")
    assert s.n_raters == 12 and s.n_ratings == 84 and set(s.dimensions) == set(stats.DIMENSIONS)
    for iv in s.dimensions.values():
        assert iv.low <= iv.estimate <= iv.high
    assert s.overall.estimate == pytest.approx(np.mean([r.score for r in rows if r.item == "a"]), abs=1e-9)
    assert sum(s.spread["comprehension"]["hist"]) == 12
    assert len(s.raters) == 12 and abs(sum(r["leniency"] for r in s.raters)) < 0.01
    ranked = stats.rank_items(rows)
    assert [r.item for r in ranked][0] == "a"
    assert ranked[0].ties == () and set(ranked[1].ties) == {ranked[2].item}
    assert {r.item for r in ranked[1:]} == {"b", "c"}
    text = stats.ranking_statement(ranked, {"a": "v1", "b": "v2", "c": "v3"})
    assert text.startswith("v1 rates above")
    text = stats.ranking_statement(ranked[1:], {"b": "v2", "c": "v3"})
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert "cannot be told apart" in text


def test_summary_of_nothing_is_not_a_crash() -> None:
    s = stats.summarise_item([], "x")
    assert s.n_raters == 0 and math.isnan(s.overall.estimate)
    assert stats.ranking_statement([]) == "no ratings yet"
