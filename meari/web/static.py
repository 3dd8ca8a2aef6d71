"""Static files served by the app itself, from a fixed index built at start (no CDN, no user path).

Why not Django's ``django.views.static.serve``: Django documents it as unfit for production. Why not
whitenoise: not installed, and the set here is a handful of small files (htmx, our CSS and JS). So the
files under ``meari/web/static`` are read once into memory at import; a request can only name a key of
that index, never a path on disk. URLs carry a content hash (``?v=``), so browsers may keep them a year.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "static"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".ico": "image/x-icon",
         ".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def _index() -> dict[str, Asset]:
    out = {}
    for p in sorted(ROOT.rglob("*")):
        if p.is_file() and p.suffix in TYPES:
            body = p.read_bytes()
            ctype = TYPES.get(p.suffix) or mimetypes.guess_type(p.name)[0] or "application/octet-stream"
            out[p.relative_to(ROOT).as_posix()] = Asset(body, ctype, hashlib.sha256(body).hexdigest()[:16])
    return out


ASSETS: dict[str, Asset] = _index()


def url(name: str) -> str:
    """``/static/NAME?v=HASH`` for a file in the index (KeyError for an unknown name: a template bug)."""
    from django.conf import settings

    return f"{settings.STATIC_URL}{name}?v={ASSETS[name].etag}"
