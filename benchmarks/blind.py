"""Edit precision and recall per class on a blind TSV (id, source, expected, rules, note).

An edit is one difflib opcode (span of the source and its replacement) from source to
output; it is correct when the same opcode takes the source to the expected text.
Prints per-class recall and the wrong edits; last line: key=value figures.
Usage: python benchmarks/blind.py tests/data/blind2_sk2nk.tsv [sk2nk|nk2sk] [-v]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from difflib import SequenceMatcher

from meari.lang.convert import convert_line
from meari.lang.evaluate import load_gold


def edits(a: str, b: str) -> set[tuple[int, int, str]]:
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return {(i1, i2, b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"}


def main() -> None:
    path = sys.argv[1]
    direction = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("-") else (
        "nk2sk" if "nk2sk" in path else "sk2nk")
    verbose = "-v" in sys.argv
    rows = load_gold(path)
    made = right = wanted = 0
    cls_want: dict[str, int] = defaultdict(int)
    cls_got: dict[str, int] = defaultdict(int)
    exact = 0
    for r in rows:
        out, _ = convert_line(r.source, direction)
        got, exp = edits(r.source, out), edits(r.source, r.expected)
        ok = got & exp
        made += len(got)
        right += len(ok)
        wanted += len(exp)
        exact += out == r.expected
        for c in (r.rules or {"-"}):
            cls_want[c] += len(exp)
            cls_got[c] += len(ok)
        if verbose and out != r.expected:
            print(f"{r.id} [{','.join(sorted(r.rules)) or '-'}] wrong={len(got - exp)} missed={len(exp - got)}")
            print(f"   src: {r.source}\n   exp: {r.expected}\n   got: {out}")
    for c in sorted(cls_want):
        if cls_want[c]:
            print(f"  {c:20s} recall={cls_got[c] / cls_want[c]:.3f} ({cls_got[c]}/{cls_want[c]})")
    wrong = made - right
    print(f"{direction}: rows={len(rows)} exact={exact / max(1, len(rows)):.3f} edits={made} wrong={wrong} "
          f"wrong_per_100={100 * wrong / max(1, made):.2f} precision={right / max(1, made):.3f} "
          f"recall={right / max(1, wanted):.3f}")


if __name__ == "__main__":
    main()
