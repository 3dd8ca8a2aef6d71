"""broadcast.*: spoken duration and structure of loudspeaker texts (channel: loudspeaker)."""

from __future__ import annotations

import re
from functools import lru_cache

from meari.review import Check, Finding
from meari.review.data import load
from meari.review.patterns import Requirement, matcher

_SYL = re.compile(r"[\uac00-\ud7a3]")
_DIGIT = re.compile(r"\d")
_INSTR = Requirement("INSTRUCTION", "~")


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load("broadcast")


def spoken_seconds(text: str, syllables_per_s: float) -> float:
    """Seconds to speak ``text``: Hangul syllables plus about 1.5 syllables per digit, at the given rate."""
    syl = len(_SYL.findall(text)) + 1.5 * len(_DIGIT.findall(text))
    return syl / syllables_per_s


def _loudspeaker(ctx) -> bool:  # noqa: ANN001
    return ctx.message.channel == "loudspeaker"


def _duration(ctx) -> list[Finding]:  # noqa: ANN001
    if not _loudspeaker(ctx):
        return []
    b = ctx.message.broadcast
    secs = spoken_seconds(ctx.doc.text, b.syllables_per_s)
    n = max(1, len(ctx.doc.sentences))
    loop = b.repeats * (secs + b.pause_s * n)
    limit = _cfg()["max_pass_s"]["value"]
    first = ctx.doc.sentences[0] if ctx.doc.sentences else None
    s, e = (first.start, first.end) if first else (0, 0)
    out = [ctx.finding("broadcast.duration", "info", s, e,
                       f"spoken duration {secs:.1f} s per pass at {b.syllables_per_s:g} syllables/s; "
                       f"{b.repeats} repeats with {b.pause_s:g} s pauses after each of {n} sentences: "
                       f"{loop:.1f} s per loop", "")]
    if secs > limit:
        out.append(ctx.finding("broadcast.too-long", "warning", s, e,
                               f"one pass takes {secs:.1f} s (limit {limit} s): {_cfg()['max_pass_s']['note']}",
                               "cut the text to the instruction and the reasons to live"))
    return out


def _instruction_sentences(ctx) -> list[int]:  # noqa: ANN001
    m = matcher()
    return [i for i, s in enumerate(ctx.doc.sentences) if m.satisfy(s, _INSTR)]


def _key_late(ctx) -> list[Finding]:  # noqa: ANN001
    if not _loudspeaker(ctx) or not ctx.doc.sentences:
        return []
    k = _cfg()["key_within_sentences"]["value"]
    hits = _instruction_sentences(ctx)
    first = ctx.doc.sentences[0]
    if not hits:
        return [ctx.finding("broadcast.no-instruction", "warning", first.start, first.end,
                            "no surrender instruction (drop the weapon, come out, hands up, white cloth) in the text",
                            "say plainly what to do, early and twice")]
    if hits[0] >= k:
        s = ctx.doc.sentences[hits[0]]
        return [ctx.finding("broadcast.key-late", "warning", s.start, s.end,
                            f"the first surrender instruction is in sentence {hits[0] + 1}: "
                            + _cfg()["key_within_sentences"]["note"],
                            f"move it into the first {k} sentences")]
    return []


def _not_repeated(ctx) -> list[Finding]:  # noqa: ANN001
    if not _loudspeaker(ctx):
        return []
    hits = _instruction_sentences(ctx)
    need = _cfg()["min_instruction_mentions"]["value"]
    if not hits or len(hits) >= need:
        return []
    s = ctx.doc.sentences[hits[0]]
    return [ctx.finding("broadcast.not-repeated", "warning", s.start, s.end,
                        f"the surrender instruction is said {len(hits)} time(s): "
                        + _cfg()["min_instruction_mentions"]["note"],
                        "repeat the instruction at the end of the text")]


CHECKS = [
    Check("broadcast.duration", "info", "Spoken duration per pass and per loop at the message's speaking rate.",
          _duration, "broadcast"),
    Check("broadcast.too-long", "warning", "One pass too long for a loudspeaker loop.", _duration, "broadcast"),
    Check("broadcast.key-late", "warning", "Surrender instruction not within the first sentences.",
          _key_late, "broadcast"),
    Check("broadcast.no-instruction", "warning", "No surrender instruction at all.", _key_late, "broadcast"),
    Check("broadcast.not-repeated", "warning", "Core instruction said only once.", _not_repeated, "broadcast"),
]
