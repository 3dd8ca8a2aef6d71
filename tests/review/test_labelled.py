"""Precision/recall of the review on the labelled set (tests/data/review_labelled.yaml).

Floors are set slightly below the figures measured when the set was last
scored (see docs/review.md); a change that loses recall or precision fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.review.evaluate import evaluate, load_items

LABELLED = Path(__file__).resolve().parents[1] / "data" / "review_labelled.yaml"

# family: (precision floor, recall floor)
FLOORS = {
    "ihl": (0.97, 0.97),
    "truth": (0.97, 0.97),
    "vocab": (0.95, 0.95),
    "nk": (0.95, 0.95),
    "read": (0.9, 0.9),
    "broadcast": (0.9, 0.9),
}


@pytest.fixture(scope="module")
def report():
    return evaluate(load_items(LABELLED))


def test_labelled_set_is_big_and_covers_every_family():
    items = load_items(LABELLED)
    assert len(items) >= 150
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids)), "item ids must be unique"
    expected = {r.split(".")[0] for it in items for r in it.get("expect") or []}
    assert expected >= set(FLOORS)
    assert sum(1 for it in items if not it.get("expect")) >= 50  # clean appeals and traps


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_precision_recall_floor(report, family):
    s = report.families[family]
    p_floor, r_floor = FLOORS[family]
    detail = [m for m in report.mistakes if any(x.startswith(family + ".") for x in m[1] | m[2])]
    assert s.precision >= p_floor, f"{family} precision {s.precision:.3f} < {p_floor}: {detail}"
    assert s.recall >= r_floor, f"{family} recall {s.recall:.3f} < {r_floor}: {detail}"


def test_false_error_rate_on_clean_messages(report):
    assert report.clean >= 50
    assert report.false_error_rate <= 0.05, report.mistakes


@pytest.fixture(scope="module")
def report_any():
    return evaluate(load_items(LABELLED), "any")


# Counting warnings too. Before the recall tier (issue 9) measured ihl P 0.994 R 1.000, truth 1.000 / 1.000;
# with it ihl P 0.885 R 1.000, truth 0.971 / 1.000. The lower precision floor is by design (written reason):
# the recall tier reports every protected subject a message touches, so an order to fire from behind a white
# flag (labelled ihl.perfidy) also gets an ihl.no-quarter warning, and the scorer counts that second id as a
# false positive although a legal reviewer wants both questions asked. Errors keep their precision (0.994).
ANY_FLOORS = {"ihl": (0.85, 0.99), "truth": (0.95, 0.99)}


@pytest.mark.parametrize("family", ["ihl", "truth"])
def test_warnings_do_not_cost_precision_on_the_labelled_set(report_any, family):
    s = report_any.families[family]
    p_floor, r_floor = ANY_FLOORS[family]
    assert s.precision >= p_floor and s.recall >= r_floor, report_any.mistakes


def test_false_warning_rate_on_clean_messages(report_any):
    assert report_any.false_warning_rate <= 0.02, [m for m in report_any.mistakes if not m[1]]


def test_evaluate_rejects_an_unknown_tier():
    with pytest.raises(ValueError):
        evaluate([], "warnings")
