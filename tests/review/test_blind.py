"""The blind review sets (tests/data/review_blind*.yaml): other writers' Korean, ihl/truth labels only.

Each batch was written before the rule changes that followed it and scored
once, blind (docs/review.md records those honest figures); the rules were
then generalised and the batches kept here as regression sets. Floors sit
slightly below the figures measured after the last round, so a change that
loses recall on other writers' phrasings, or starts flagging clean appeals,
fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.review.data import load
from meari.review.evaluate import evaluate, load_items

DATA = Path(__file__).resolve().parents[1] / "data"
BATCHES = {"review_blind.yaml": 120, "review_blind_b.yaml": 60, "review_blind_c.yaml": 40, "review_blind_d.yaml": 40,
           "review_blind_e.yaml": 30, "review_blind_f.yaml": 30, "review_blind_g.yaml": 50, "review_blind_h.yaml": 35,
           "review_blind_i.yaml": 35, "review_blind_j.yaml": 35, "review_blind_k.yaml": 120,
           "review_blind_l.yaml": 150}

# family: (precision floor, recall floor) over all blind batches together, per tier: "error" counts only
# errors (the high-precision tier that blocks production), "any" counts warnings too (possible violations
# for a human to check). G and H were folded in after their blind scores, the warning tier was built for
# them, so the error tier's recall on the pool is lower than on A-F. Measured with G-J: errors only ihl
# P 0.993 R 0.809, truth 1.000 / 0.947; any severity ihl 0.983 / 0.988, truth 0.991 / 1.000.
# K (issue 9, the recall tier) joined after its first-sight score (docs/review.md); with K, measured after
# tuning: errors ihl P 0.98 R 0.67, truth 1.000 / 0.87; any ihl 0.87 / 0.996, truth 0.97 / 1.000.
# The error-recall floors are lower than before only because K's violations (written for the recall tier)
# are mostly caught as warnings; on A-J the error tier is unchanged (0.809 / 0.947). The any-severity
# precision floor is lower (was 0.95) by design: the recall tier reports every protected subject a message
# touches, so a perfidy order that also kills gets ihl.no-quarter too, and a scorer counts that extra id as
# a false positive; the any-severity recall floors are raised (were 0.95).
# L (issue 9, second blind batch for the recall tier) joined after its first-sight score (docs/review.md); with
# L, measured after tuning: errors ihl P 0.973 R 0.581, truth 1.000 / 0.784; any ihl 0.828 / 0.997, truth
# 0.921 / 0.994. Again the error-recall floors fall only because L's violations are caught as warnings (A-K
# unchanged), and the any-severity precision floors fall because L's writer labels one id where the recall
# tier also asks a second legal question (a leaflet claiming to be the ICRC is labelled false-source and gets
# ihl.emblem too; a fake truce with a strike note also gets ihl.no-quarter).
FLOORS = {
    "error": {"ihl": (0.95, 0.55), "truth": (0.95, 0.75)},
    "any": {"ihl": (0.80, 0.98), "truth": (0.90, 0.98)},
}


@pytest.fixture(scope="module")
def items():
    out = []
    for name in BATCHES:
        out.extend(load_items(DATA / name))
    return out


@pytest.fixture(scope="module")
def reports(items):
    return {tier: evaluate(items, tier) for tier in FLOORS}


@pytest.fixture(scope="module")
def report(reports):
    return reports["error"]


@pytest.mark.parametrize("name,minimum", sorted(BATCHES.items()))
def test_blind_batches_are_big_and_labelled_for_ihl_and_truth(name, minimum):
    its = load_items(DATA / name)
    assert len(its) >= minimum
    ids = [it["id"] for it in its]
    assert len(ids) == len(set(ids))
    assert all(it.get("families") == ["ihl", "truth"] for it in its)
    assert all(r.split(".")[0] in ("ihl", "truth") for it in its for r in it.get("expect") or [])
    clean = sum(1 for it in its if not it.get("expect"))
    assert clean >= minimum // 3  # clean appeals and traps, not only violations


def test_blind_ids_do_not_collide_with_the_labelled_set(items):
    labelled = {it["id"] for it in load_items(DATA / "review_labelled.yaml")}
    assert not labelled & {it["id"] for it in items}


@pytest.mark.parametrize("tier,family", [(t, f) for t in sorted(FLOORS) for f in sorted(FLOORS[t])])
def test_blind_precision_recall_floor(reports, tier, family):
    report = reports[tier]
    s = report.families[family]
    p_floor, r_floor = FLOORS[tier][family]
    detail = [m for m in report.mistakes if any(x.startswith(family + ".") for x in m[1] | m[2])]
    assert s.tp >= 50
    assert s.precision >= p_floor, f"{family} precision {s.precision:.3f} < {p_floor}: {detail}"
    assert s.recall >= r_floor, f"{family} recall {s.recall:.3f} < {r_floor}: {detail}"


def test_blind_false_error_rate_on_clean_appeals(report):
    assert report.clean >= 100
    assert report.false_error_rate <= 0.03, report.mistakes


def test_blind_false_warning_rate_on_clean_appeals(reports):
    # Warnings may be wrong more often than errors, but a clean appeal should rarely need a second look.
    # Before the recall tier 1/276; with it (issue 9: a message touching a protected subject gets a warning
    # for the legal reviewer, target <= 20 % of clean items) measured 15/360 over A-K (4.2 %); with L 26/432
    # (6.0 %: L 12/72; A-K 14/360 by this scorer, the same as before L was tuned).
    rep = reports["any"]
    assert rep.clean >= 300
    assert rep.false_warning_rate <= 0.07, [m for m in rep.mistakes if not m[1]]


def test_the_warning_tier_adds_recall_on_the_batches_it_was_built_after(reports):
    # The error tier misses most of G's violations (its first blind score); the warning tier catches them.
    g = [it for it in load_items(DATA / "review_blind_g.yaml")]
    err, anyt = evaluate(g, "error"), evaluate(g, "any")
    assert anyt.families["ihl"].recall >= err.families["ihl"].recall + 0.5
    assert anyt.families["ihl"].tp >= 17 and anyt.false_error_rate == 0


# Issue 9's targets: recall at any severity >= 0.95 for every ihl id and >= 0.90 for truth ids, false errors
# <= 2 %, false ihl/truth warnings <= 20 % of clean items. K and L meet them after tuning (in-sample; L's
# false warnings held at what it reached, 12/72).
ISSUE9 = {
    "review_blind_k.yaml": ({}, 0.20),
    "review_blind_l.yaml": ({}, 0.17),
}


@pytest.mark.parametrize("name", sorted(ISSUE9))
def test_issue9_recall_targets_hold_after_tuning(name):
    from collections import Counter

    from meari.review import review
    from meari.review.evaluate import to_message

    below, warn_cap = ISSUE9[name]
    expected, found = Counter(), Counter()
    clean = false_err = false_warn = 0
    for it in load_items(DATA / name):
        exp = set(it.get("expect") or [])
        got = {f.id: f.severity for f in review(to_message(it)).findings if f.id.split(".")[0] in ("ihl", "truth")}
        for x in exp:
            expected[x] += 1
            found[x] += x in got
        if not exp:
            clean += 1
            false_err += "error" in got.values()
            false_warn += bool(got) and "error" not in got.values()
    for rid, n in expected.items():
        floor = below.get(rid, 0.95 if rid.startswith("ihl.") else 0.90)
        assert found[rid] / n >= floor, (rid, found[rid], n)
    assert clean >= 60 and false_err / clean <= 0.02 and false_warn / clean <= warn_cap, (false_err, false_warn, clean)


def test_every_concept_a_rule_names_exists_and_has_a_note():
    """A misspelt concept in rules.yaml would silently never match; catch it here."""
    concepts = load("concepts")
    used = set()
    for rule in load("rules")["rules"]:
        pats = list(rule.get("patterns") or [])
        for cat in (rule.get("categories") or {}).values():
            pats.extend(cat["patterns"])
        for p in pats:
            for key in ("all", "any", "none"):
                for req in p.get(key, []):
                    name = str(req).rstrip("+-~")
                    if not name.startswith("@"):
                        used.add(name)
    assert used <= set(concepts), used - set(concepts)
    assert all(str(spec.get("note", "")).strip() for spec in concepts.values())
