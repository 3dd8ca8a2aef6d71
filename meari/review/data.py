"""Load the review's word lists and rule texts from ``meari/data/review/*.yaml``.

The data is reviewable YAML (each entry carries a note saying why it is there);
code only interprets it. Loaded once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meari.errors import MeariError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "review"


@cache
def load(name: str) -> Any:
    """Parse ``meari/data/review/<name>.yaml`` (cached)."""
    path = DATA_DIR / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise MeariError("review data file is missing (broken install?)", str(path)) from None
    except yaml.YAMLError as e:
        raise MeariError(f"bad YAML in review data: {e}", str(path)) from None
