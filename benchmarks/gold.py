"""Accuracy on the hand-checked gold sets (tests/data/gold_*.tsv).

Prints per-rule precision/recall and failures (with -v); last line:
sk2nk_exact=… nk2sk_exact=… sk2nk_unchanged_ok=… nk2sk_unchanged_ok=…
"""

from __future__ import annotations

import sys
from pathlib import Path

from meari.lang.evaluate import format_score, load_gold, score

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    verbose = "-v" in sys.argv
    figures = []
    for direction in ("sk2nk", "nk2sk"):
        path = DATA / f"gold_{direction}.tsv"
        if not path.exists():
            continue
        s = score(load_gold(path), direction)
        print(format_score(s))
        if verbose:
            for row, out, fired in s.failures:
                print(f"  ✗ {row.id} [{','.join(sorted(row.rules)) or '-'}] fired={','.join(sorted(fired)) or '-'}")
                print(f"      src: {row.source}\n      exp: {row.expected}\n      got: {out}")
        figures.append(f"{direction}_exact={s.accuracy:.3f} {direction}_unchanged_ok="
                       f"{s.unchanged_ok / max(1, s.unchanged_n):.3f}")
    print(" ".join(figures))


if __name__ == "__main__":
    main()
