"""Leaflet sizes, bleed and slug: the print geometry every template is laid out into.

6x3 in (152.4x76.2 mm) is the doctrinal leaflet size (US Army GTA 33-01-003 tables are given for
it); A6 and A5 are common in ISO print shops and are used landscape so templates keep their shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from meari.errors import MeariError

MM = 72.0 / 25.4  # points per millimetre

BLEED_MM = 3.0  # printers' usual bleed
SLUG_MM = 8.0  # extra paper around the bleed on single leaflets, where the crop marks go
SAFE_MM = 4.0  # nothing but bleed fills comes closer than this to the trim (guillotine tolerance)
MARK_OFFSET_MM = 1.0  # crop marks start this far outside the bleed so they never print on the piece
MARK_LEN_MM = 5.0

NAMED_MM = {
    "6x3": (152.4, 76.2),
    "A6": (148.0, 105.0),
    "A5": (210.0, 148.0),
}

MIN_MM = (50.0, 30.0)
MAX_MM = (420.0, 297.0)


@dataclass(frozen=True)
class Size:
    """A trim size in millimetres with its name (``6x3``, ``A6``, ``120x80``)."""

    name: str
    w_mm: float
    h_mm: float

    @property
    def w(self) -> float:
        return self.w_mm * MM

    @property
    def h(self) -> float:
        return self.h_mm * MM


def parse_size(text: str) -> Size:
    """``6x3`` (inches, doctrinal), ``A6``, ``A5`` (landscape) or ``WxH`` in millimetres."""
    raw = (text or "").strip()
    for name, (w, h) in NAMED_MM.items():
        if raw.lower() == name.lower():
            return Size(name, w, h)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*(mm)?", raw)
    if not m:
        raise MeariError(f"unknown size {raw!r}; use 6x3, A6, A5 or WxH in mm (e.g. 120x80)", "--size")
    w, h = float(m.group(1)), float(m.group(2))
    short, long_ = min(w, h), max(w, h)
    if not (min(MIN_MM) <= short <= min(MAX_MM) and max(MIN_MM) <= long_ <= max(MAX_MM)):
        raise MeariError(
            f"size {w:g}x{h:g} mm is outside what meari lays out: the short side {min(MIN_MM):g}..{min(MAX_MM):g} mm, "
            f"the long side {max(MIN_MM):g}..{max(MAX_MM):g} mm (A3)", "--size"
        )
    return Size(f"{w:g}x{h:g}", w, h)
