"""What a conversion rule is, and the context it works on.

A rule is a small object with a stable ``id``, a one-line ``explanation`` and
an ``apply(ctx)`` that *proposes* changes through the context:

* ``ctx.replace(i, new_jamo, rule, why)`` rewrites morpheme ``i`` (its jamo);
  the pipeline recomposes the whole syllable run around it, so a replacement
  is never spliced next to half a syllable;
* ``ctx.join(word)`` removes the space before word ``word``;
* ``ctx.split(i, rule, why)`` inserts a space before morpheme ``i``.

The first rule to claim a morpheme wins (vocabulary before spelling rules), so
two rules never rewrite the same morpheme. The pipeline turns proposals into
``Edit`` records: nothing changes without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from meari.lang.analyse import Morpheme
from meari.lang.lexicon import Lexicon


@dataclass(slots=True)
class Context:
    """One analysed line and the changes proposed for it."""

    line: str
    morphs: list[Morpheme]
    words: list[tuple[int, int]]
    lex: Lexicon
    replaced: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # i -> (jamo, rule, why)
    joins: dict[int, tuple[str, str]] = field(default_factory=dict)  # word -> (rule, why)
    splits: dict[int, tuple[str, str]] = field(default_factory=dict)  # morpheme i -> (rule, why)
    char_splits: dict[int, tuple[str, str]] = field(default_factory=dict)  # char offset -> (rule, why)
    _first: list[int] | None = None
    cache: dict = field(default_factory=dict)  # per-line results shared by rules (e.g. noun runs)
    protected: set[int] = field(default_factory=set)  # morphemes no rule may rewrite (names, ambiguous ranks)

    def replace(self, i: int, new_jamo: str, rule: str, why: str) -> bool:
        if i in self.replaced or i in self.protected or new_jamo == self.morphs[i].jamo:
            return False
        self.replaced[i] = (new_jamo, rule, why)
        return True

    def join(self, word: int, rule: str, why: str) -> None:
        if word > 0:
            self.joins.setdefault(word, (rule, why))

    def split(self, i: int, rule: str, why: str) -> None:
        self.splits.setdefault(i, (rule, why))

    def first_of_word(self) -> list[int]:
        """Index of the first morpheme of each word (-1 if none)."""
        if self._first is None:
            first = [-1] * len(self.words)
            for i, m in enumerate(self.morphs):
                if first[m.word] < 0:
                    first[m.word] = i
            self._first = first
        return self._first

    def is_word_start(self, i: int) -> bool:
        return i == 0 or self.morphs[i - 1].word != self.morphs[i].word


class Rule(Protocol):
    id: str
    explanation: str

    def apply(self, ctx: Context) -> None: ...
