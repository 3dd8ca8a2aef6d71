"""The catalogue: every check, in the order they run and are listed."""

from __future__ import annotations

from functools import lru_cache

from meari.review import Check


@lru_cache(maxsize=1)
def _all() -> tuple[Check, ...]:
    from meari.review.checks import broadcast, orthography, rank, read, rules, vocab

    return (*rules.checks(), rules.ATTRIBUTION, *vocab.CHECKS, *orthography.CHECKS, *rank.CHECKS, *read.CHECKS,
            *broadcast.CHECKS)


def all_checks() -> list[Check]:
    """Every registered check (IHL, truth, vocab, nk, read, broadcast)."""
    return list(_all())


def get(check_id: str) -> Check:
    for c in _all():
        if c.id == check_id:
            return c
    raise KeyError(check_id)
