"""Accuracy floors on the hand-checked gold sets (see tests/data/GOLD.md).

Floors sit a little below the measured figures (benchmarks/gold.py prints
them), so a change that makes the converter worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.lang.evaluate import load_gold, score

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module", params=["sk2nk", "nk2sk"])
def scored(request):  # noqa: ANN001, ANN201
    rows = load_gold(DATA / f"gold_{request.param}.tsv")
    return rows, score(rows, request.param)


def test_gold_set_is_big_enough(scored) -> None:  # noqa: ANN001
    rows, s = scored
    assert len(rows) >= 300
    assert len({r.id for r in rows}) == len(rows)
    for rule in s.rules():
        assert s.rule_rows[rule] >= 20, f"{rule} has only {s.rule_rows[rule]} gold rows"


def test_exact_match_accuracy(scored) -> None:  # noqa: ANN001
    _, s = scored
    assert s.accuracy >= 0.94, f"{s.direction} exact {s.accuracy:.3f}"


def test_sentences_that_must_not_change_do_not(scored) -> None:  # noqa: ANN001
    _, s = scored
    assert s.unchanged_n >= 60
    assert s.unchanged_ok / s.unchanged_n >= 0.98


def test_every_rule_is_precise(scored) -> None:  # noqa: ANN001
    _, s = scored
    for rule in s.rules():
        assert s.precision(rule) >= 0.93, f"{rule} precision {s.precision(rule):.3f}"
        assert s.recall(rule) >= 0.8, f"{rule} recall {s.recall(rule):.3f}"
