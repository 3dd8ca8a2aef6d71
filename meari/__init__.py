"""meari (메아리): truthful surrender appeals in North Korean Korean, offline.

Public Python API: ``to_nk(text)`` and ``to_sk(text)`` return a
:class:`meari.lang.convert.Conversion` with the converted text and every edit.
They are imported lazily so ``import meari`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from meari.lang.convert import Conversion


def to_nk(text: str) -> Conversion:
    """Convert South Korean standard text to North Korean standard (Munhwaŏ)."""
    from meari.lang.convert import to_nk as _to_nk

    return _to_nk(text)


def to_sk(text: str) -> Conversion:
    """Convert North Korean standard text to South Korean standard (Pyojuneo)."""
    from meari.lang.convert import to_sk as _to_sk

    return _to_sk(text)


__all__ = ["__version__", "to_nk", "to_sk"]
