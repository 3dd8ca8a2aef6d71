"""Which characters the leaflet fonts can print (a bottom module: review and produce both ask it).

Why here and not in ``meari.produce.leaflet``: the review must refuse, before anything is
built, text that the leaflet would refuse later (emoji, hanja, rare symbols), and the review
sits below produce. So this module reads the same source fonts the leaflet uses
(``meari/produce/leaflet/fonts.py``): Noto Sans KR from ``justmytype-intl-cjk`` (or
``$MEARI_KR_FONT``), cut to the ranges the leaflet subset keeps, and DejaVu Sans from
matplotlib for Latin and Cyrillic. Only the fonts' ``cmap`` tables are read (fontTools, lazily),
once per process; about 0.2 s.

NOTE for the lead: the print helper provides its own ``meari/glyphs.py``; this one exists so
the review's glyph check works until that is merged. Keep ``missing_glyphs(text) -> list[str]``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

# The ranges the leaflet's Noto Sans KR subset keeps (copy of meari.produce.leaflet.fonts._KEEP_RANGES:
# this module may not import produce). Hanja are not kept: North Korean print does not use them.
KR_KEEP_RANGES = (
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x215F), (0x2190, 0x21FF),
    (0x25A0, 0x25FF), (0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xAC00, 0xD7A3),
    (0xFF00, 0xFF5F),
)
# What the Latin/Cyrillic fallback font is used for (DejaVu Sans also has emoji and dingbats, which
# the leaflet's Korean boxes never set in it): Latin, Greek, Cyrillic, their extensions, punctuation
# and currency signs.
LATIN_RANGES = ((0x0000, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x20A0, 0x20CF))
# Characters that are layout, not ink: never "missing".
_LAYOUT = frozenset("\n\r\t \u00a0\u200b\u200c\u200d\ufeff")


def _kr_path() -> Path | None:
    override = os.environ.get("MEARI_KR_FONT")
    if override:
        return Path(override)
    try:
        import justmytype_intl_cjk
    except ImportError:
        return None
    return Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanskr" / "NotoSansKR[wght].ttf"


def _latin_paths() -> list[Path]:
    try:
        import matplotlib
    except ImportError:
        return []
    d = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    return [d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"]


def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points a leaflet prints: Noto Sans KR (within the kept ranges), or the Latin/Cyrillic fallback."""
    out: set[int] = set()
    kr = _kr_path()
    if kr is not None and kr.is_file():
        cm = _cmap(kr)
        out.update(c for a, b in KR_KEEP_RANGES for c in range(a, b + 1) if c in cm)
    latin = [p for p in _latin_paths() if p.is_file()]
    if latin:
        # A character counts only if every weight has it (bold headlines use the bold face).
        common = None
        for p in latin:
            cm = _cmap(p)
            common = cm if common is None else common & cm
        out.update(c for c in (common or ()) if any(a <= c <= b for a, b in LATIN_RANGES))
    return frozenset(out)


def available() -> bool:
    """Are the fonts installed? (Without them nothing can be checked, and nothing printed.)"""
    return bool(covered())


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` that no leaflet font has, in order of first appearance."""
    cov = covered()
    if not cov:
        return []
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in _LAYOUT and ord(ch) not in cov and ch not in seen:
            seen[ch] = None
    return list(seen)
