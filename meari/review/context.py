"""What every check receives: the message and its analysed text (built once)."""

from __future__ import annotations

from dataclasses import dataclass, field

from meari.review import Finding
from meari.review.document import Document, Sentence, build


@dataclass(slots=True)
class Context:
    message: object  # meari.message.Message
    doc: Document
    joined: dict = field(default_factory=dict)  # sentence index -> that sentence joined with the one before

    @classmethod
    def create(cls, message, text: str | None = None) -> Context:  # noqa: ANN001
        """Analyse ``text`` (default: the message text) once for all checks."""
        return cls(message, build(message.text if text is None else text))

    def finding(self, id: str, severity: str, start: int, end: int, why: str, fix: str = "") -> Finding:
        """A Finding for text[start:end] with its 1-based line/column in the text."""
        line, col = self.doc.position(start)
        snippet = self.doc.text[start:end].replace("\n", " ")
        if len(snippet) > 80:
            snippet = snippet[:77] + "…"
        return Finding(id, severity, line, col, snippet, why, fix, start, end)

    def sentence_finding(self, id: str, severity: str, sent: Sentence, first: int, last: int, why: str,
                         fix: str = "") -> Finding:
        """A Finding spanning tokens ``first..last`` of a sentence."""
        toks = sent.tokens
        return self.finding(id, severity, toks[first].start, toks[last].end, why, fix)
