"""Fonts for leaflets: static Noto Sans KR weights made once, cached, registered once per process.

Why: the only pip-installable Korean TrueType font here is ``NotoSansKR[wght].ttf`` from
``justmytype-intl-cjk`` (OFL). It is a variable font whose default instance is Thin, and
reportlab embeds only static TrueType outlines. So we subset it to what Korean leaflets use
(Hangul, jamo, Latin, punctuation; no hanja: North Korean print does not use them), then pin
the ``wght`` axis with ``fontTools.varLib.instancer`` to make Regular/Bold/Black. That costs
about 12 s the first time, so the results live in a user cache dir under a version key.

Noto Sans KR lacks the Ukrainian letters і ї є ґ, so Latin and Cyrillic text (the captor's
languages on a safe-conduct pass, the NOT APPROVED stamp) uses DejaVu Sans, which ships with
matplotlib (a pinned dependency; Bitstream Vera/DejaVu licence, free to embed).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from meari.errors import MeariError
from meari.glyphs import KR_KEEP_RANGES, coverage, kr_source
from meari.glyphs import latin_sources as glyph_latin_sources

# Bump when the subset/instance recipe changes: the cache key includes it.
RECIPE_VERSION = "2"

# Weights on Noto Sans KR's wght axis (100..900), see the font's fvar table.
KR_WEIGHTS = {"Regular": 400, "Bold": 700, "Black": 900}

# Template font roles -> reportlab font names registered below.
ROLES = {
    "kr-regular": "MeariKR-Regular",
    "kr-bold": "MeariKR-Bold",
    "kr-black": "MeariKR-Black",
    "latin-regular": "MeariLatin-Regular",
    "latin-bold": "MeariLatin-Bold",
}

_KEEP_RANGES = KR_KEEP_RANGES


@dataclass(frozen=True)
class FontSet:
    """Paths of the static fonts a leaflet uses, keyed by template role."""

    paths: dict[str, Path]


def cache_dir() -> Path:
    """``$MEARI_CACHE``, else ``$XDG_CACHE_HOME/meari``, else ``~/.cache/meari``."""
    if os.environ.get("MEARI_CACHE"):
        return Path(os.environ["MEARI_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meari"


def korean_source() -> Path:
    """The variable Noto Sans KR file (see :func:`meari.glyphs.kr_source`)."""
    return kr_source()


def latin_sources() -> dict[str, Path]:
    """Latin/Cyrillic faces by role (see :func:`meari.glyphs.latin_sources`)."""
    src = glyph_latin_sources()
    return {"latin-regular": src["Regular"], "latin-bold": src["Bold"]}


def _cache_key(src: Path) -> str:
    import fontTools

    st = src.stat()
    raw = f"{RECIPE_VERSION}|{fontTools.version}|{src.name}|{st.st_size}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


@contextlib.contextmanager
def _locked(path: Path):
    """Exclusive lock so parallel test runs build the cache once, not N times at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX: atomic renames still keep files whole
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _set_names(font, weight: str) -> None:
    name = font["name"]
    family = "Noto Sans KR"
    ps = f"NotoSansKR-{weight}"
    for rec in list(name.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17):
            name.removeNames(nameID=rec.nameID)
    for nid, val in ((1, f"{family} {weight}" if weight != "Regular" else family), (2, "Regular"),
                     (3, f"{ps};meari-{RECIPE_VERSION}"), (4, f"{family} {weight}"), (6, ps)):
        name.setName(val, nid, 3, 1, 0x409)
        name.setName(val, nid, 1, 0, 0)


def _trim_cmap(font, keep: frozenset[int]) -> None:
    """Drop cmap entries outside ``keep``: the subsetter may retain a few extra code points, and the
    embedded file must cover exactly what :func:`meari.glyphs.coverage` tells the review."""
    for table in font["cmap"].tables:
        if hasattr(table, "cmap"):
            table.cmap = {cp: g for cp, g in table.cmap.items() if cp in keep}


def _build_instances(src: Path, out: dict[str, Path]) -> None:
    """Subset once, then pin the weight axis for each wanted weight; write each file atomically."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    try:
        font = TTFont(str(src))
    except Exception as e:  # corrupt or not a font: name it instead of a traceback
        raise MeariError(f"cannot read Korean font {src}: {e}", "fonts") from None
    if "fvar" not in font:
        raise MeariError(f"{src} is not the variable Noto Sans KR font (no fvar table)", "fonts")
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "STAT"]
    unicodes = {c for a, b in _KEEP_RANGES for c in range(a, b + 1)}
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    _trim_cmap(font, coverage()["kr"])
    for weight, path in out.items():
        if path.is_file():
            continue
        static = instancer.instantiateVariableFont(font, {"wght": KR_WEIGHTS[weight]})
        _set_names(static, weight)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            static.save(tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def ensure_fonts() -> FontSet:
    """Return the static font files, building the Korean instances into the cache if needed."""
    src = korean_source()
    latin = latin_sources()
    cdir = cache_dir() / "fonts"
    key = _cache_key(src)
    want = {w: cdir / f"NotoSansKR-{w}-{key}.ttf" for w in KR_WEIGHTS}
    if not all(p.is_file() for p in want.values()):
        try:
            with _locked(cdir / ".lock"):
                missing = {w: p for w, p in want.items() if not p.is_file()}
                if missing:
                    _build_instances(src, missing)
        except OSError as e:
            raise MeariError(f"cannot write font cache in {cdir}: {e.strerror}", "fonts") from None
    paths = {f"kr-{w.lower()}": p for w, p in want.items()}
    paths.update(latin)
    return FontSet(paths)


_registered: dict[str, str] = {}


def register_fonts() -> dict[str, str]:
    """Register every role with reportlab once per process; return role -> reportlab font name.

    Re-checks the source each call (cheap) so a missing font is reported even after an earlier
    success in the same process, but parses each TrueType file only once.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    fs = ensure_fonts()
    for role, path in fs.paths.items():
        name = ROLES[role]
        if _registered.get(name) == str(path):
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except TTFError as e:
            raise MeariError(f"reportlab cannot use font {path}: {e}", "fonts") from None
        _registered[name] = str(path)
    return dict(ROLES)
