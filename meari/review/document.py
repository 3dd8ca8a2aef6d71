"""The analysed message text shared by every check.

The text is analysed once: each paragraph (block of lines without a blank
line) goes through MeCab + NK-HanDic in one call with its newlines replaced by
spaces (same length, so spans stay valid), and is cut into sentences at
sentence punctuation, or at a line break after a final ending. Checks read
``Document.sentences``; none re-analyses the text. NK-HanDic is used for both
standards: it carries the South Korean entries too, so 노동자 and 로동자 both
come back as one noun.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from meari.lang.analyse import Morpheme, analyse
from meari.review import memo

# Tags of morphemes that carry grammar, not meaning (Sejong tag set).
FUNCTION_PREFIXES = ("J", "E", "XS", "XP", "VCP", "VCN", "SF", "SP", "SS", "SE", "SO", "SW")
_SENT_END_TAGS = {"EF", "SF"}
_CONTINUE_TAGS_PREFIX = ("J", "ETM", "MM")
_PARA = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Token:
    """A morpheme with the key used for matching (lemma, or surface for numbers and Latin)."""

    key: str
    tag: str
    start: int  # offsets into the whole message text
    end: int
    morph: Morpheme

    @property
    def function(self) -> bool:
        return self.tag.startswith(FUNCTION_PREFIXES)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: list[Token]
    index: int = 0
    cache: dict = field(default_factory=dict)  # per-sentence memo shared by checks (concept occurrences)
    sig: object = None  # what the memo is keyed by (meari.review.memo.signature), kept for runs of sentences


@dataclass(slots=True)
class Document:
    text: str
    sentences: list[Sentence]
    line_starts: list[int]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the text."""
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1


def _key(m: Morpheme) -> str:
    lemma = m.lemma
    if not lemma or lemma == "*":
        s = m.surface
        return s.upper() if m.tag == "SL" else s
    return m.lemma_plain


@lru_cache(maxsize=256)
def _paragraph(flat: str) -> tuple[Morpheme, ...]:
    return tuple(analyse(flat, "nk"))


def _analyse(flat: str) -> tuple[Morpheme, ...] | list[Morpheme]:
    """A paragraph's morphemes, memoised by its text while the shared memo is on: the workbench re-reviews
    a draft on every edit, and the unchanged paragraphs need no second pass through MeCab. (The review never
    mutates a morpheme, and they carry paragraph-relative offsets, so one analysis serves every text that holds it.)"""
    return _paragraph(flat) if memo.enabled() else analyse(flat, "nk")


def build(text: str) -> Document:
    """Analyse ``text`` once and split it into sentences with global offsets."""
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    sentences: list[Sentence] = []
    pos = 0
    paras: list[tuple[int, int]] = []
    for m in _PARA.finditer(text):
        paras.append((pos, m.start()))
        pos = m.end()
    paras.append((pos, len(text)))
    for ps, pe in paras:
        chunk = text[ps:pe]
        if not chunk.strip():
            continue
        flat = chunk.replace("\n", " ").replace("\r", " ").replace("\t", " ")
        morphs = _analyse(flat)
        toks = [Token(_key(m), m.tag, m.start + ps, m.end + ps, m) for m in morphs]
        _split(text, toks, sentences)
    for i, s in enumerate(sentences):
        s.index = i
    return Document(text, sentences, line_starts)


def _split(text: str, toks: list[Token], out: list[Sentence]) -> None:
    start = 0  # index of the current sentence's first token
    n = len(toks)
    find = text.find
    for i in range(n):
        t = toks[i]
        if i + 1 == n:
            boundary = True
        else:
            nxt = toks[i + 1]
            if t.tag == "SF":
                boundary = nxt.tag not in ("SF", "SS", "SE")
            elif find("\n", t.end, nxt.start) >= 0:
                # A line break ends a sentence unless the line stops mid-clause (particle, modifier).
                boundary = not t.tag.startswith(_CONTINUE_TAGS_PREFIX) and t.tag != "EC"
            else:
                boundary = False
        if boundary:
            cur = toks[start:i + 1]
            s, e = cur[0].start, t.end
            body = text[s:e]
            sig = memo.signature(body, cur, s, s == 0) if memo.enabled() else None
            out.append(Sentence(s, e, body, cur, cache=memo.shared(sig), sig=sig))
            start = i + 1
