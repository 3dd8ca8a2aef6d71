"""Which characters the leaflet fonts can set: the one definition the leaflet and the review share.

Why a bottom module: the review must report characters the fonts lack (emoji, hanja, rare
symbols) as an error *before* anyone tries to print, and the leaflet must refuse exactly the
same characters. If each kept its own idea of "what the fonts cover", a message could pass the
review and then fail at the press, or the reverse. So this module names the font files the
leaflet embeds, which part of each it keeps, and reads their cmaps with fontTools (once per
process, cached); ``meari.produce.leaflet.fonts`` builds its static instances from the same
:func:`font_sources` and ranges, and the layout picks a font per character with :func:`family_for`.

The leaflet sets text in two faces of one family (Noto, designed to be set side by side):

- ``kr``: Noto Sans KR (``justmytype-intl-cjk``), subset to Hangul, jamo, Latin, digits and
  punctuation (no hanja: North Korean print does not use them);
- ``latin``: Noto Sans (``justmytype-western-core``), for the captor's languages: Latin, Greek
  and Cyrillic including the Ukrainian letters і ї є ґ that Noto Sans KR lacks.

A character is settable when either face covers it; each text box prefers its own face and falls
back to the other one character run at a time. Whitespace is never "missing".
"""

from __future__ import annotations

import functools
import os
import unicodedata
from pathlib import Path

from meari.errors import MeariError

# Families the leaflet embeds, in fallback order.
FAMILIES = ("kr", "latin")

# What the Korean subset keeps: ASCII, Latin-1, general punctuation, letterlike symbols (№),
# arrows, geometric shapes, Hangul jamo, CJK symbols (《》「」), compatibility jamo, Hangul
# syllables, fullwidth forms.
KR_KEEP_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x215F), (0x2190, 0x21FF),
    (0x25A0, 0x25FF), (0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xAC00, 0xD7A3),
    (0xFF00, 0xFF5F),
)

# What the Latin/Cyrillic subset of Noto Sans keeps: Basic Latin, Latin-1, Latin Extended-A/B,
# combining marks, Greek, Cyrillic (with Ukrainian і ї є ґ) and its supplement, general
# punctuation, currency, letterlike symbols (№), arrows.
LATIN_KEEP_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x2000, 0x206F),
    (0x20A0, 0x20CF), (0x2100, 0x215F), (0x2190, 0x21FF),
)

KEEP_RANGES = {"kr": KR_KEEP_RANGES, "latin": LATIN_KEEP_RANGES}

KR_PACKAGE = "justmytype-intl-cjk==0.1.0"
LATIN_PACKAGE = "justmytype-western-core==0.1.0"


def kr_source() -> Path:
    """The variable Noto Sans KR file (``$MEARI_KR_FONT`` overrides, for tests and custom installs)."""
    override = os.environ.get("MEARI_KR_FONT")
    if override:
        p = Path(override)
    else:
        try:
            import justmytype_intl_cjk
        except ImportError:
            raise MeariError(
                f"Korean font package is missing: install {KR_PACKAGE} (pip)", "fonts"
            ) from None
        p = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanskr" / "NotoSansKR[wght].ttf"
    if not p.is_file():
        raise MeariError(f"Korean font not found: {p} (install {KR_PACKAGE} or set MEARI_KR_FONT)",
                         "fonts")
    return p


def latin_source() -> Path:
    """The variable Noto Sans file (``$MEARI_LATIN_FONT`` overrides, for tests and custom installs)."""
    override = os.environ.get("MEARI_LATIN_FONT")
    if override:
        p = Path(override)
    else:
        try:
            import justmytype_western_core
        except ImportError:
            raise MeariError(f"Latin/Cyrillic font package is missing: install {LATIN_PACKAGE} (pip)",
                             "fonts") from None
        p = Path(justmytype_western_core.__file__).parent / "fonts" / "ofl" / "notosans" / "NotoSans[wdth,wght].ttf"
    if not p.is_file():
        raise MeariError(f"Latin/Cyrillic font not found: {p} (install {LATIN_PACKAGE} or set MEARI_LATIN_FONT)",
                         "fonts")
    return p


def font_sources() -> dict[str, Path]:
    """family -> the font file whose cmap defines that family's coverage."""
    return {"kr": kr_source(), "latin": latin_source()}


def _in(cp: int, ranges) -> bool:
    return ranges is None or any(a <= cp <= b for a, b in ranges)


LABELS = {"kr": "Korean font", "latin": "Latin/Cyrillic font"}


@functools.lru_cache(maxsize=8)
def _cmap(path: str, size: int, mtime_ns: int, ranges, label: str = "font") -> frozenset[int]:
    """Code points of ``path``'s cmap within ``ranges`` (keyed by size and mtime, so a swapped file is re-read)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception as e:  # corrupt or not a font: name it instead of a traceback
        raise MeariError(f"cannot read {label} {path}: {e}", "fonts") from None
    # The leaflet's font builder trims each subset's cmap to exactly this set (see
    # meari.produce.leaflet.fonts), so the embedded files cover what this says and nothing else.
    return frozenset(cp for cp in cmap if _in(cp, ranges))


def _coverage_of(path: Path, ranges, label: str) -> frozenset[int]:
    try:
        st = path.stat()
    except OSError as e:
        raise MeariError(f"cannot read {label} {path}: {e.strerror}", "fonts") from None
    return _cmap(str(path), st.st_size, st.st_mtime_ns, ranges, label)


def coverage() -> dict[str, frozenset[int]]:
    """family -> code points the embedded face of that family can set."""
    src = font_sources()
    return {fam: _coverage_of(src[fam], KEEP_RANGES[fam], LABELS[fam]) for fam in FAMILIES}


def family_for(ch: str, prefer: str = "kr", cov: dict[str, frozenset[int]] | None = None) -> str | None:
    """The family that sets ``ch``: ``prefer`` if it covers it, else the other; None if neither does."""
    cov = cov or coverage()
    cp = ord(ch)
    if cp in cov[prefer]:
        return prefer
    for fam in FAMILIES:
        if fam != prefer and cp in cov[fam]:
            return fam
    return None


def runs(text: str, prefer: str = "kr", cov: dict[str, frozenset[int]] | None = None) -> list[tuple[str, str]]:
    """Split ``text`` into (family, substring) runs, each set in one face; whitespace joins the run it is in.

    Characters no face covers stay in the preferred face's run (they are refused before drawing by
    :func:`missing_glyphs`; this function never raises).
    """
    cov = cov or coverage()
    out: list[tuple[str, str]] = []
    cur_fam, cur = prefer, ""
    for ch in text:
        fam = cur_fam if ch.isspace() else (family_for(ch, prefer, cov) or prefer)
        if fam != cur_fam and cur:
            out.append((cur_fam, cur))
            cur = ""
        cur_fam = fam
        cur += ch
    if cur:
        out.append((cur_fam, cur))
    return out


def missing_glyphs(text: str) -> list[str]:
    """Distinct characters of ``text`` (first-seen order) that no leaflet font covers; whitespace ignored.

    Linear in the text (one set over it; the order pass runs only when something is missing), so
    the review can call it on a whole message.
    """
    cov = coverage()
    kr, latin = cov["kr"], cov["latin"]
    bad = {ch for ch in set(text) if not ch.isspace() and ord(ch) not in kr and ord(ch) not in latin}
    if not bad:
        return []
    return [ch for ch in dict.fromkeys(text) if ch in bad]


def describe(chars: list[str], limit: int = 5) -> str:
    """``'😀' (U+1F600 GRINNING FACE), ...``: how errors name missing characters."""
    shown = []
    for ch in chars[:limit]:
        name = unicodedata.name(ch, "")
        shown.append(f"{ch!r} (U+{ord(ch):04X}{' ' + name if name else ''})")
    more = f" and {len(chars) - limit} more" if len(chars) > limit else ""
    return ", ".join(shown) + more
