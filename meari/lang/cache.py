"""Where meari caches what it builds from installed packages (lexicon, fonts).

``$MEARI_CACHE`` if set, else ``$XDG_CACHE_HOME/meari``, else ``~/.cache/meari``.
If none is writable the caller builds in memory every time.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("MEARI_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "meari"
