"""The offline ratings form as CSV (no Django): a blank form to print or fill in a spreadsheet, and a strict
parser that names the row of any mistake.

One row per rater and dimension::

    rater,dimension,score,comment
    R01,comprehension,4,"읽기 쉽다"

The parser checks the whole file before anything is stored, so a file is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from meari.campaign.stats import DIMENSIONS
from meari.errors import MeariError

HEADER = ("rater", "dimension", "score", "comment")
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class FormRow:
    line: int
    rater: str
    dimension: str
    score: int
    comment: str


def blank_form(rater_codes: list[str], *, header_note: str = "") -> str:
    """A CSV with one empty score per rater and dimension (``header_note`` goes into a leading comment row
    only if given; the parser skips rows whose first cell starts with #)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if header_note:
        w.writerow([f"# {header_note}"])
    w.writerow(HEADER)
    for r in rater_codes:
        for d in DIMENSIONS:
            w.writerow([r, d, "", ""])
    return out.getvalue()


def parse_form(data: bytes | str, where: str = "ratings") -> list[FormRow]:
    """Parse a filled-in form. Errors are ``MeariError("row N: ...")``; blank score rows are skipped (not
    rated), a rater and dimension given twice is an error, as is anything outside 1-5."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise MeariError(f"file larger than {MAX_BYTES // 1_000_000} MB", where)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise MeariError(f"not UTF-8 (byte {e.start})", where) from None
    else:
        text = data.lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise MeariError(f"not a CSV file: {e}", where) from None
    header_at = None
    for i, r in enumerate(rows):
        if not r or not "".join(r).strip() or r[0].lstrip().startswith("#"):
            continue
        header_at = i
        break
    if header_at is None:
        raise MeariError("empty file: expected a header rater,dimension,score,comment", where)
    head = [c.strip().lower() for c in rows[header_at]]
    if head[:3] != list(HEADER[:3]):
        raise MeariError(f"row {header_at + 1}: header must start rater,dimension,score (found "
                         f"{','.join(rows[header_at][:4])})", where)
    seen: dict[tuple[str, str], int] = {}
    out: list[FormRow] = []
    for i in range(header_at + 1, len(rows)):
        r = rows[i]
        line = i + 1
        if not r or not "".join(r).strip() or r[0].lstrip().startswith("#"):
            continue
        if len(r) < 3:
            raise MeariError(f"row {line}: expected rater,dimension,score[,comment], found {len(r)} column(s)",
                             where)
        if len(r) > 4:
            raise MeariError(f"row {line}: {len(r)} columns, at most 4 (quote a comment that has commas)", where)
        rater, dim, score = r[0].strip(), r[1].strip().lower(), r[2].strip()
        comment = r[3].strip() if len(r) > 3 else ""
        if not rater:
            raise MeariError(f"row {line}: no rater code", where)
        if dim not in DIMENSIONS:
            raise MeariError(f"row {line}: unknown dimension {r[1].strip()!r} (one of {', '.join(DIMENSIONS)})",
                             where)
        if not score:
            if comment:
                raise MeariError(f"row {line}: a comment without a score", where)
            continue
        if score not in {"1", "2", "3", "4", "5"}:
            raise MeariError(f"row {line}: score {score!r} is not a whole number 1-5", where)
        key = (rater, dim)
        if key in seen:
            raise MeariError(f"row {line}: rater {rater} rated {dim} already on row {seen[key]}", where)
        seen[key] = line
        out.append(FormRow(line, rater, dim, int(score), comment))
    if not out:
        raise MeariError("no scores in the file (every score cell is empty)", where)
    return out
