"""Atomic output (kept for the produce code that writes through it): see :mod:`meari.outputs`.

Every artefact meari writes goes through :mod:`meari.outputs`, so a failure never leaves a
half-written PDF, WAV or JSON next to good ones, a device or symlink is never replaced, and every
OS error is ``PATH: cannot write: REASON``. These names are the original small API over it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from meari import outputs


@contextmanager
def atomic_path(path: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path; it becomes ``path`` on success (see :func:`meari.outputs.staged_path`)."""
    with outputs.staged_path(path, suffix) as tmp:
        yield tmp


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temp file for writing; it replaces ``path`` only if the block succeeds."""
    with outputs.open_output(path, mode, encoding) as fh:
        yield fh


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Atomically write UTF-8 text."""
    outputs.write_text(path, text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically write bytes."""
    outputs.write_bytes(path, data)
