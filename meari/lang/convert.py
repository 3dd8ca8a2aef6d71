"""The conversion pipeline: ``to_nk`` (sk2nk) and ``to_sk`` (nk2sk).

(Work in progress: currently a pass-through with the final API.)
"""

from __future__ import annotations

import unicodedata

from meari.lang.types import Conversion, Edit

__all__ = ["Conversion", "Edit", "to_nk", "to_sk"]


def to_nk(text: str) -> Conversion:
    """Convert South Korean standard text to North Korean standard."""
    return Conversion(unicodedata.normalize("NFC", text), [], "sk2nk", "")


def to_sk(text: str) -> Conversion:
    """Convert North Korean standard text to South Korean standard."""
    return Conversion(unicodedata.normalize("NFC", text), [], "nk2sk", "")
