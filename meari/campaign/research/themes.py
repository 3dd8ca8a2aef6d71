"""The shipped theme catalogue (``meari/data/themes/*.yaml``), loaded and validated as plain data.

A theme is reviewable data, not code: its lines of persuasion, do/don't guidance, the review rules most at
stake, sources, and example messages per channel in North Korean standard (tests hold every example to
``meari review`` without an ihl./truth. finding and to ``meari nk`` leaving it unchanged).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

from meari.errors import MeariError

THEMES_DIR = Path(__file__).resolve().parents[2] / "data" / "themes"
CHANNELS = ("leaflet", "loudspeaker", "interpreter")
LIST_FIELDS = ("lines", "do", "dont", "rules", "sources")


def _nfc(x: object) -> str:
    return unicodedata.normalize("NFC", str(x or "")).strip()


def validate_theme(data: object, where: str = "theme") -> dict:
    """A theme in canonical form; MeariError naming the field otherwise."""
    if not isinstance(data, dict):
        raise MeariError("a theme is a mapping", where)
    key = str(data.get("key", "")).strip()
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,63}$", key):
        raise MeariError(f"theme key {key!r} must be lower-case letters, digits and dashes", where)
    title = data.get("title") or {}
    if isinstance(title, str):
        title = {"en": title, "ko": title}
    if not isinstance(title, dict) or not (title.get("en") or title.get("ko")):
        raise MeariError("a theme needs a title (ko and en)", f"{where}.title")
    out: dict = {"key": key, "title": {"ko": _nfc(title.get("ko") or title.get("en")),
                                       "en": _nfc(title.get("en") or title.get("ko"))},
                 "summary": _nfc(data.get("summary"))}
    for f in LIST_FIELDS:
        v = data.get(f) or []
        if isinstance(v, str):
            v = [x for x in v.splitlines() if x.strip()]
        if not isinstance(v, list):
            raise MeariError(f"{f} is a list", f"{where}.{f}")
        out[f] = [_nfc(x) for x in v if _nfc(x)]
    ex = data.get("examples") or {}
    if not isinstance(ex, dict):
        raise MeariError("examples is a mapping channel -> text", f"{where}.examples")
    for ch in ex:
        if ch not in CHANNELS:
            raise MeariError(f"unknown channel {ch!r} (one of {', '.join(CHANNELS)})", f"{where}.examples")
    out["examples"] = {ch: _nfc(ex[ch]) + "\n" for ch in CHANNELS if _nfc(ex.get(ch))}
    return out


@functools.lru_cache(maxsize=1)
def _load() -> tuple[dict, ...]:
    out = []
    for p in sorted(THEMES_DIR.glob("*.yaml")):
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise MeariError(f"bad YAML: {e}", str(p)) from None
        t = validate_theme(data, p.name)
        if t["key"] != p.stem:
            raise MeariError(f"key {t['key']!r} differs from the file name", p.name)
        out.append(t)
    return tuple(out)


def catalogue() -> list[dict]:
    """The shipped themes (copies: callers may change them)."""
    import copy

    return [copy.deepcopy(t) for t in _load()]


def get(key: str) -> dict:
    for t in _load():
        if t["key"] == key:
            return dict(t)
    raise MeariError(f"no theme {key!r}", "theme")
