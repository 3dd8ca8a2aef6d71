"""Diffs between two message versions, as rows a template prints (no HTML built here).

Line diff of the YAML (the stored form: every key, so a changed sponsor or headline shows as clearly
as a changed sentence), and within a replaced line a character diff, because one changed syllable in a
Korean sentence is what a linguist must spot.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass
class Piece:
    text: str
    changed: bool = False


@dataclass
class Row:
    kind: str  # same | add | del | change
    old_no: int | None
    new_no: int | None
    old: list[Piece] = field(default_factory=list)
    new: list[Piece] = field(default_factory=list)


def _chars(a: str, b: str) -> tuple[list[Piece], list[Piece]]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old, new = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            old.append(Piece(a[i1:i2]))
            new.append(Piece(b[j1:j2]))
        else:
            if i2 > i1:
                old.append(Piece(a[i1:i2], True))
            if j2 > j1:
                new.append(Piece(b[j1:j2], True))
    return old, new


def diff_rows(old_text: str, new_text: str, context: int = 2) -> list[Row]:
    """Side-by-side rows of the changed lines with ``context`` unchanged lines around each change."""
    a, b = old_text.splitlines(), new_text.splitlines()
    rows: list[Row] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in sm.get_grouped_opcodes(context):
        if rows:
            rows.append(Row("gap", None, None))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                for k in range(i2 - i1):
                    rows.append(Row("same", i1 + k + 1, j1 + k + 1, [Piece(a[i1 + k])], [Piece(b[j1 + k])]))
            elif op == "replace":
                n = max(i2 - i1, j2 - j1)
                for k in range(n):
                    ia, jb = i1 + k, j1 + k
                    if ia < i2 and jb < j2:
                        o, w = _chars(a[ia], b[jb])
                        rows.append(Row("change", ia + 1, jb + 1, o, w))
                    elif ia < i2:
                        rows.append(Row("del", ia + 1, None, [Piece(a[ia], True)], []))
                    else:
                        rows.append(Row("add", None, jb + 1, [], [Piece(b[jb], True)]))
            elif op == "delete":
                for k in range(i1, i2):
                    rows.append(Row("del", k + 1, None, [Piece(a[k], True)], []))
            elif op == "insert":
                for k in range(j1, j2):
                    rows.append(Row("add", None, k + 1, [], [Piece(b[k], True)]))
    return rows
