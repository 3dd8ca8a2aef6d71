"""Conversion rules, one module per family. ``SK2NK`` and ``NK2SK`` give the order.

Order matters only in that the first rule to claim a morpheme wins:
curated/harvested vocabulary first, then the spelling rules, then spacing and
punctuation (which never rewrite morphemes).
"""

from __future__ import annotations

from meari.lang.rules import initial_sound, question_ga, quotes, rank, sai_siot, spacing, vocab, vowel_yeo
from meari.lang.rules.base import Context, Rule

SK2NK: list[Rule] = [
    rank.RankToNK(),
    vocab.VocabToNK(),
    sai_siot.SaiSiotToNK(),
    initial_sound.InitialSoundToNK(),
    vowel_yeo.VowelYeoToNK(),
    question_ga.QuestionGaToNK(),
    quotes.QuotesToNK(),
    spacing.SpacingToNK(),
]

NK2SK: list[Rule] = [
    rank.RankToSK(),
    vocab.LexiconToSK(),
    sai_siot.SaiSiotToSK(),
    initial_sound.InitialSoundToSK(),
    vowel_yeo.VowelEoToSK(),
    question_ga.QuestionKkaToSK(),
    quotes.QuotesToSK(),
    spacing.SpacingToSK(),
]

ALL: dict[str, Rule] = {r.id: r for r in SK2NK + NK2SK}

__all__ = ["ALL", "NK2SK", "SK2NK", "Context", "Rule"]
