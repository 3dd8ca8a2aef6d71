"""Fonts for leaflets: static Noto Sans KR and Noto Sans weights made once, cached, registered once.

Why: the pip-installable fonts here are variable TrueType files, ``NotoSansKR[wght].ttf``
(``justmytype-intl-cjk``) and ``NotoSans[wdth,wght].ttf`` (``justmytype-western-core``), both
OFL. Their default instances are Thin (KR) or Regular-only, and reportlab embeds only static
TrueType outlines. So each is subset to what leaflets use (see :mod:`meari.glyphs`: Hangul, jamo,
Latin, digits, punctuation for KR, no hanja since North Korean print does not use them; Latin,
Greek and Cyrillic for Noto Sans), then its axes are pinned with ``fontTools.varLib.instancer``
to make Regular/Bold/Black. That costs about 15 s the first time, so the results live in a user
cache dir under a version key.

One type family on a leaflet: Korean text *and its digits* (serials, step numbers) are set in
Noto Sans KR; the captor's languages in Noto Sans, whose Latin and Cyrillic were drawn to sit
beside Noto Sans KR. A box that meets a character its face lacks sets that run in the other face
(:func:`meari.glyphs.runs`); a character neither covers is refused with the same function the
review uses (:func:`meari.glyphs.missing_glyphs`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from meari.errors import MeariError
from meari.glyphs import FAMILIES, KEEP_RANGES, LABELS, coverage, font_sources

# Bump when the subset/instance recipe changes: the cache key includes it.
RECIPE_VERSION = "3"

# Weights on the wght axes (100..900 in both fonts, see their fvar tables).
WEIGHTS = {"Regular": 400, "Bold": 700, "Black": 900}
KR_WEIGHTS = WEIGHTS  # kept for callers of the first version
# Other axes pinned at their normal value (Noto Sans: width 100 = normal, not condensed).
PINNED = {"wdth": 100}
NAMES = {"kr": ("Noto Sans KR", "NotoSansKR"), "latin": ("Noto Sans", "NotoSans")}

# Template font roles -> reportlab font names registered below.
ROLES = {
    "kr-regular": "MeariKR-Regular",
    "kr-bold": "MeariKR-Bold",
    "kr-black": "MeariKR-Black",
    "latin-regular": "MeariLatin-Regular",
    "latin-bold": "MeariLatin-Bold",
    "latin-black": "MeariLatin-Black",
}


def family_of(role: str) -> str:
    """``kr-bold`` -> ``kr``."""
    return role.split("-", 1)[0]


def role_in(role: str, family: str) -> str:
    """The same weight in another family: ``role_in('kr-bold', 'latin') == 'latin-bold'``."""
    return f"{family}-{role.split('-', 1)[1]}"


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
    return font_sources()["kr"]


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


def _set_names(font, family_key: str, weight: str) -> None:
    name = font["name"]
    family, ps_base = NAMES[family_key]
    ps = f"{ps_base}-{weight}"
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


def _build_instances(family: str, src: Path, out: dict[str, Path]) -> None:
    """Subset once, then pin the axes for each wanted weight; write each file atomically."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    try:
        font = TTFont(str(src))
    except Exception as e:  # corrupt or not a font: name it instead of a traceback
        raise MeariError(f"cannot read {LABELS[family]} {src}: {e}", "fonts") from None
    if "fvar" not in font:
        raise MeariError(f"{src} is not the variable {NAMES[family][0]} font (no fvar table)", "fonts")
    axes = {a.axisTag for a in font["fvar"].axes}
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "STAT", "MVAR", "HVAR"]
    unicodes = {c for a, b in KEEP_RANGES[family] for c in range(a, b + 1)}
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    _trim_cmap(font, coverage()[family])
    for weight, path in out.items():
        if path.is_file():
            continue
        loc = {"wght": WEIGHTS[weight], **{k: v for k, v in PINNED.items() if k in axes}}
        static = instancer.instantiateVariableFont(font, loc)
        _set_names(static, family, weight)
        static["OS/2"].usWeightClass = WEIGHTS[weight]
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


def _all_readable(paths) -> bool:
    try:
        return all(p.is_file() and os.access(p, os.R_OK) for p in paths)
    except OSError:  # e.g. another user's cache directory we may not even look into
        return False


_fallback: Path | None = None


def _fallback_dir(cdir: Path, why: str) -> Path:
    """A private temporary font directory for this process, when the cache cannot be written.

    The cache is only a speed-up: an unwritable or foreign cache directory costs the ~15 s build on
    every run, says so once on stderr, and never stops the leaflet.
    """
    global _fallback
    if _fallback is None:
        import atexit
        import shutil
        import sys

        _fallback = Path(tempfile.mkdtemp(prefix="meari-fonts-"))
        atexit.register(shutil.rmtree, _fallback, True)
        print(f"meari: warning: font cache {cdir} cannot be written ({why}); building the fonts in a "
              "temporary directory for this run (set MEARI_CACHE to a writable directory to keep them)",
              file=sys.stderr)
    return _fallback


def _build_into(cdir: Path, family: str, src: Path, key: str) -> dict[str, Path]:
    want = {w: cdir / f"{NAMES[family][1]}-{w}-{key}.ttf" for w in WEIGHTS}
    if not _all_readable(want.values()):
        with _locked(cdir / ".lock"):
            missing = {w: p for w, p in want.items() if not _all_readable([p])}
            if missing:
                _build_instances(family, src, missing)
    return want


def ensure_fonts() -> FontSet:
    """Return the static font files, building the instances into the cache if needed.

    A cache directory that cannot be created or written (read-only, another user's) falls back to a
    temporary directory for this process (see :func:`_fallback_dir`).
    """
    srcs = font_sources()
    cdir = cache_dir() / "fonts"
    paths: dict[str, Path] = {}
    for family in FAMILIES:
        src = srcs[family]
        key = _cache_key(src)
        try:
            want = _build_into(cdir, family, src, key)
        except OSError as e:
            tmp = _fallback_dir(cdir, e.strerror or type(e).__name__)
            try:
                want = _build_into(tmp, family, src, key)
            except OSError as e2:
                raise MeariError(f"cannot write font cache in {cdir} ({e.strerror}) nor in {tmp} "
                                 f"({e2.strerror})", "fonts") from None
        paths.update({f"{family}-{w.lower()}": p for w, p in want.items()})
    return FontSet(paths)


_registered: dict[str, str] = {}


def register_fonts() -> dict[str, str]:
    """Register every role with reportlab once per process; return role -> reportlab font name.

    Re-checks the sources each call (cheap) so a missing font is reported even after an earlier
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
