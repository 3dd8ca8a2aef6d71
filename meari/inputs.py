"""Reading user input files with errors that name the file and the problem.

Shared by the message loader, the drift target loader and others, so every
command reports a missing file, a directory or an oversized file the same way.
"""

from __future__ import annotations

from pathlib import Path

from meari.errors import MeariError

#: Whatever the caller's limit, no input is read past this (``/dev/zero`` would otherwise fill memory).
HARD_MAX_BYTES = 200_000_000


def read_input(path: str | Path, kind: str, max_bytes: int | None = None) -> bytes:
    """Read a whole input file; ``kind`` names what it should be ("message file", "GeoJSON file").

    Reads at most ``max_bytes`` + 1 bytes, so an endless source (``/dev/zero``, a FIFO that never
    closes its end is the caller's business) is refused by size instead of filling memory.
    """
    p = Path(path)
    where = str(p)
    limit = min(max_bytes if max_bytes is not None else HARD_MAX_BYTES, HARD_MAX_BYTES)
    try:
        with open(p, "rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise MeariError("no such file", where) from None
    except IsADirectoryError:
        raise MeariError(f"is a directory, not a {kind}", where) from None
    except OSError as e:
        raise MeariError(f"cannot read: {e.strerror}", where) from None
    if len(raw) > limit:
        raise MeariError(f"file is more than {limit:,} bytes; a {kind} may be at most {limit:,}", where)
    return raw
