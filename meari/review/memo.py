"""Per-sentence memo shared across reviews: what the checks derive from a sentence, computed once.

Everything a check derives from one sentence (concept occurrences, negation and tense flags, pattern
matches, question and negated-ending tests) depends only on that sentence's text and morphemes, never
on the message around it. So the per-sentence memo (``Sentence.cache``) is looked up in a bounded LRU
keyed by a *signature* of the sentence: its text, each token's lemma key, tag, offsets relative to the
sentence, surface and hanja, and whether it opens the text (``has_name`` reads that). A sentence that
comes back, in the same message or in a later review (the workbench's live endpoint re-reviews a draft
on every edit; a campaign's variants share most sentences), reuses what was worked out for it.

Findings do not change: a hit returns exactly what the same computation would give, and
``tests/review/test_memo.py`` compares the cached and uncached paths on every labelled item.
What depends on the message (sponsor, guarantees, the sentences around) is never memoised here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

# About 4,000 distinct sentences: a long campaign's worth. One entry holds a few kilobytes (occurrence
# lists, flags, match results), so the memo stays within tens of megabytes at worst.
MAXSIZE = 4096

_memo: OrderedDict[Key, dict] = OrderedDict()
_enabled = True


def shared(signature: Key | None) -> dict:
    """The memo dict for a sentence with this signature (a fresh one when memoising is off or on a miss)."""
    if not _enabled or signature is None:
        return {}
    d = _memo.get(signature)
    if d is not None:
        _memo.move_to_end(signature)
        return d
    d = _memo[signature] = {}
    if len(_memo) > MAXSIZE:
        _memo.popitem(last=False)
    return d


class Key:
    """A signature with its hash worked out once: a run of sentences is keyed by its parts' keys, and a
    tuple would rehash every token of every part on each lookup."""

    __slots__ = ("sig", "h")

    def __init__(self, sig: tuple) -> None:
        self.sig = sig
        self.h = hash(sig)

    def __hash__(self) -> int:
        return self.h

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and self.h == other.h and self.sig == other.sig


def signature(text: str, tokens: list, base: int, at_start: bool) -> Key:  # list[Token]
    """What a sentence's derived data depends on: its text and its tokens relative to ``base``."""
    return Key((text, at_start, tuple((t.key, t.tag, t.start - base, t.end - base, t.morph.surface, t.morph.hanja)
                                      for t in tokens)))


def clear() -> None:
    """Forget every memoised sentence, paragraph analysis and converted line (tests; after changing review
    data in a running process: the memo assumes the concepts and rules it was filled with)."""
    from meari.review.checks.orthography import _line_edits
    from meari.review.document import _paragraph

    _memo.clear()
    _paragraph.cache_clear()
    _line_edits.cache_clear()


@contextmanager
def disabled() -> Iterator[None]:
    """Review without the shared memo (each sentence's memo starts empty), e.g. to compare both paths."""
    global _enabled
    old = _enabled
    _enabled = False
    try:
        yield
    finally:
        _enabled = old


def size() -> int:
    return len(_memo)


def enabled() -> bool:
    return _enabled
