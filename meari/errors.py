"""One error type for every bad input meari can name.

The CLI prints ``MeariError`` as ``meari: <where>: <problem>`` and exits 2; it
never shows a traceback for input the user can fix.
"""

from __future__ import annotations


class MeariError(Exception):
    """A problem with the user's input or environment, with where it happened."""

    def __init__(self, problem: str, where: str | None = None) -> None:
        self.problem = problem
        self.where = where
        super().__init__(f"{where}: {problem}" if where else problem)
