"""Numbers as people read them: rounded to what the model can say, never ``-0``.

Why: a drift of 393.70078740157476 s claims a precision the model does not have (the spread of fall
times is tens of seconds), and ``-0 m`` reads as a sign error. JSON and text outputs of ``meari.plan``
round through here; the precision of each quantity is documented in docs/drift.md and docs/range.md.
"""

from __future__ import annotations

import math
import re
from typing import Any


def rnd(x: float | None, ndigits: int) -> float | None:
    """``round(x, ndigits)`` as a plain float, with ``-0.0`` made ``0.0``; None, NaN and inf pass through."""
    if x is None:
        return None
    v = float(x)
    if not math.isfinite(v):
        return v
    r = round(v, ndigits)
    return 0.0 if r == 0 else r


def fmt(x: float, spec: str) -> str:
    """``format(x, spec)`` that never shows a negative zero (``-0``, ``-0.0``; ``+0`` for a ``+`` spec)."""
    s = format(float(x), spec)
    if "-" not in s or any(d != "0" for d in re.findall(r"\d", s.split("e")[0].split("E")[0])):
        return s
    fixed = s.replace("-", "+" if "+" in spec else "", 1)
    # keep a given width: pad on the side the number was aligned away from
    if len(fixed) < len(s) and re.match(r"^(?:.?[<>=^])?[+\- ]?z?#?0?[1-9]", spec):
        fixed = fixed + " " if s.endswith(" ") else " " + fixed
    return fixed


def no_negative_zero(obj: Any) -> Any:
    """A JSON-ready structure with every ``-0.0`` replaced by ``0.0`` (recursively)."""
    if isinstance(obj, float):
        return 0.0 if obj == 0 else obj
    if isinstance(obj, dict):
        return {k: no_negative_zero(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [no_negative_zero(v) for v in obj]
    return obj
