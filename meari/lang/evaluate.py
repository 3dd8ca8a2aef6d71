"""Score the converter on a gold TSV (id, source, expected, rules, note).

Reported per direction:
* exact-match accuracy (output == expected, whole sentence);
* unchanged-row accuracy (rows with rules ``-`` must come out untouched);
* per rule: precision and recall of the rule *firing* on a sentence versus the
  gold rule list, and ``exact`` = share of its gold sentences converted exactly.
Pure functions; ``benchmarks/gold.py`` prints them and tests assert floors.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from meari.lang.convert import convert_line


@dataclass(frozen=True)
class GoldRow:
    id: str
    source: str
    expected: str
    rules: frozenset[str]
    note: str


@dataclass
class Score:
    direction: str
    n: int = 0
    exact: int = 0
    unchanged_n: int = 0
    unchanged_ok: int = 0
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rule_rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rule_exact: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[tuple[GoldRow, str, frozenset[str]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.exact / self.n if self.n else 0.0

    def precision(self, rule: str) -> float:
        d = self.tp[rule] + self.fp[rule]
        return self.tp[rule] / d if d else 1.0

    def recall(self, rule: str) -> float:
        d = self.tp[rule] + self.fn[rule]
        return self.tp[rule] / d if d else 1.0

    def rules(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def load_gold(path: str | Path) -> list[GoldRow]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            rules = frozenset() if r["rules"].strip() in ("-", "") else frozenset(
                x.strip() for x in r["rules"].split(",") if x.strip())
            rows.append(GoldRow(r["id"], unicodedata.normalize("NFC", r["source"]),
                                unicodedata.normalize("NFC", r["expected"]), rules, r.get("note", "")))
    return rows


def score(rows: list[GoldRow], direction: str) -> Score:
    s = Score(direction)
    for row in rows:
        out, edits = convert_line(row.source, direction)
        fired = frozenset(r for e in edits for r in e[3].split("+"))
        s.n += 1
        ok = out == row.expected
        s.exact += ok
        if not row.rules:
            s.unchanged_n += 1
            s.unchanged_ok += ok
        for r in fired | row.rules:
            if r in fired and r in row.rules:
                s.tp[r] += 1
            elif r in fired:
                s.fp[r] += 1
            else:
                s.fn[r] += 1
        for r in row.rules:
            s.rule_rows[r] += 1
            s.rule_exact[r] += ok
        if not ok:
            s.failures.append((row, out, fired))
    return s


def format_score(s: Score) -> str:
    lines = [f"{s.direction}: n={s.n} exact={s.accuracy:.3f} unchanged_ok={s.unchanged_ok}/{s.unchanged_n}"]
    for r in s.rules():
        lines.append(
            f"  {r:18s} P={s.precision(r):.3f} R={s.recall(r):.3f} "
            f"(tp={s.tp[r]} fp={s.fp[r]} fn={s.fn[r]}) exact={s.rule_exact[r]}/{s.rule_rows[r]}"
        )
    return "\n".join(lines)
