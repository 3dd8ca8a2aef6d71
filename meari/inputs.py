"""Reading user input files with errors that name the file and the problem.

Shared by the message loader, the drift target loader and others, so every
command reports a missing file, a directory or an oversized file the same way.
"""

from __future__ import annotations

from pathlib import Path

from meari.errors import MeariError


def read_input(path: str | Path, kind: str, max_bytes: int | None = None) -> bytes:
    """Read a whole input file; ``kind`` names what it should be ("message file", "GeoJSON file")."""
    p = Path(path)
    where = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise MeariError("no such file", where) from None
    except IsADirectoryError:
        raise MeariError(f"is a directory, not a {kind}", where) from None
    except OSError as e:
        raise MeariError(f"cannot read: {e.strerror}", where) from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise MeariError(f"file is {len(raw):,} bytes; a {kind} may be at most {max_bytes:,}", where)
    return raw
