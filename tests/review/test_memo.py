"""The shared per-sentence memo (meari.review.memo) must not change a single finding.

The memo keys what checks derive from a sentence by the sentence's text and analysis; a key that
missed something a check reads (an offset, the hanja, whether the sentence opens the text) would
hand one sentence another's results. So every labelled item is reviewed three ways: without the
memo, with an empty memo, and again with the memo filled by the whole set (every sentence then comes
from the memo, many of them filled by other items), and the findings must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.message import Message
from meari.review import memo, review
from meari.review.evaluate import load_items, to_message

DATA = Path(__file__).resolve().parents[1] / "data"
SETS = ("review_labelled.yaml", "review_probe_recall.yaml", "review_blind_k.yaml")


def _findings(msgs: list[Message]) -> list[list[tuple]]:
    return [[(f.id, f.severity, f.field, f.start, f.end, f.line, f.col, f.why, f.fix) for f in review(m).findings]
            for m in msgs]


@pytest.mark.parametrize("name", SETS)
def test_memo_gives_the_same_findings_as_no_memo(name):
    msgs = [to_message(it) for it in load_items(DATA / name)]
    with memo.disabled():
        plain = _findings(msgs)
    memo.clear()
    cold = _findings(msgs)
    assert memo.size() > 0  # the memo was really used
    warm = _findings(msgs)
    assert sum(map(len, plain)) >= len(msgs) // 2  # a set with findings to compare, not a silent one
    assert cold == plain
    assert warm == plain


def test_a_sentence_reused_elsewhere_in_another_text_keeps_its_own_offsets():
    # The same sentence first at the start of a text, then after another sentence and on another line:
    # the memo serves the second from the first, yet spans, lines and columns are the second text's own.
    s = "포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다. 항복하면 모두 죽인다."
    memo.clear()
    first = review(Message(text=s, sponsor="x", language="nk")).findings
    second = review(Message(text="병사 여러분.\n" + s, sponsor="x", language="nk")).findings
    with memo.disabled():
        expected = review(Message(text="병사 여러분.\n" + s, sponsor="x", language="nk")).findings
    assert any(f.id.startswith("ihl.") for f in first)
    assert second == expected
    assert {f.line for f in second if f.id.startswith("ihl.")} == {2}


def test_the_memo_is_bounded():
    memo.clear()
    for i in range(memo.MAXSIZE + 50):
        memo.shared(memo.signature(f"문장 {i}", [], 0, True))
    assert memo.size() == memo.MAXSIZE
