"""Score the review against a labelled set (tests/data/review_labelled.yaml).

Used by the test that asserts precision/recall floors and by
``benchmarks/review.py``. An item lists the rule ids that must fire; every
other evaluated id that fires is a false positive. Scores are per family
(the id's prefix: ihl, truth, vocab, nk, read, broadcast), micro-averaged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from meari.message import Message
from meari.review import review

NOT_EVALUATED = frozenset({"broadcast.duration"})  # always reported for loudspeaker texts
TIERED = ("ihl", "truth")  # families with two tiers: errors (high precision) and warnings (possible, for a human)
TIERS = ("error", "any")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    families: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    mistakes: list[tuple[str, set[str], set[str]]] = field(default_factory=list)  # (id, missed, extra)
    clean: int = 0
    clean_with_error: int = 0
    clean_with_warning: int = 0  # clean items with an ihl/truth finding of warning severity (and no such error)

    @property
    def false_error_rate(self) -> float:
        return self.clean_with_error / self.clean if self.clean else 0.0

    @property
    def false_warning_rate(self) -> float:
        return self.clean_with_warning / self.clean if self.clean else 0.0


def load_items(path: str | Path) -> list[dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    items = []
    for it in data["items"]:
        merged = {**defaults, **it}
        items.append(merged)
    return items


def to_message(item: dict) -> Message:
    """The Message an item describes (its scoring keys such as ``expect`` and ``families`` left out)."""
    keys = ("sponsor", "channel", "language", "guarantees", "text", "drafted_in")
    return Message.model_validate({k: item[k] for k in keys if k in item})


def evaluate(items: list[dict], tier: str = "error") -> Report:
    """Score every item; an item's ``families`` (e.g. [ihl, truth] in the blind sets) limits which ids are judged.

    ``tier`` says which ihl/truth findings count as fired: ``"error"`` only errors (the high-precision tier,
    what blocks production), ``"any"`` errors and warnings (the second tier: possible violations a human
    must check). Other families always count at any severity (their findings are warnings by nature).
    """
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}")
    rep = Report()
    for it in items:
        expected = set(it.get("expect") or [])
        r = review(to_message(it))
        fired = {f.id for f in r.findings
                 if tier == "any" or f.severity == "error" or f.id.split(".", 1)[0] not in TIERED} - NOT_EVALUATED
        fams = it.get("families")
        if fams:
            fired = {x for x in fired if x.split(".", 1)[0] in fams}
        if it.get("language", "sk") == "nk" and "nk.orthography" not in expected and not it.get("check_nk"):
            fired.discard("nk.orthography")  # spelling is the converter's domain; scored only where labelled
        for rid in expected | fired:
            fam = rid.split(".", 1)[0]
            s = rep.families[fam]
            if rid in expected and rid in fired:
                s.tp += 1
            elif rid in fired:
                s.fp += 1
            else:
                s.fn += 1
        if expected != fired:
            rep.mistakes.append((it["id"], expected - fired, fired - expected))
        if not any(x.split(".")[0] in ("ihl", "truth") for x in expected):
            rep.clean += 1
            # a false *legal* error: an ihl/truth error on an item without such a violation (a glyph
            # error on an emoji is a true error of another family, scored in that family)
            if any(f.severity == "error" and f.id.split(".", 1)[0] in TIERED for f in r.findings):
                rep.clean_with_error += 1
            elif any(f.id.split(".", 1)[0] in TIERED and f.severity != "error" for f in r.findings):
                rep.clean_with_warning += 1
    return rep


def per_id(items: list[dict]) -> dict[str, dict[str, float | int]]:
    """Recall per expected ihl/truth id at any severity and errors only, plus false errors and false
    ihl/truth warnings on clean items (the figures issue 9 asks for, per blind batch).

    Returns ``{id: {"expected", "any", "errors"}, "_clean": {"items", "false_errors", "false_warnings"}}``.
    """
    out: dict[str, dict] = {}
    clean = false_err = false_warn = 0
    for it in items:
        exp = {x for x in (it.get("expect") or []) if x.split(".", 1)[0] in TIERED}
        got: dict[str, str] = {}
        for f in review(to_message(it)).findings:
            if f.id.split(".", 1)[0] in TIERED and got.get(f.id) != "error":
                got[f.id] = f.severity
        for x in exp:
            d = out.setdefault(x, {"expected": 0, "any": 0, "errors": 0})
            d["expected"] += 1
            d["any"] += x in got
            d["errors"] += got.get(x) == "error"
        if not exp:
            clean += 1
            false_err += "error" in got.values()
            false_warn += bool(got) and "error" not in got.values()
    out["_clean"] = {"items": clean, "false_errors": false_err, "false_warnings": false_warn}
    return out
