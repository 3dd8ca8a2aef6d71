"""Plain data the language engine returns: ``Edit`` and ``Conversion``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Edit:
    """One change the converter made.

    ``start``/``end`` are character offsets into the *input* text (NFC);
    ``before`` is ``input[start:end]`` and ``after`` what replaced it.
    ``line``/``col`` are 1-based and point at ``start``.
    """

    start: int
    end: int
    before: str
    after: str
    rule_id: str
    why: str
    line: int = 1
    col: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Conversion:
    """Converted text with every edit and the provenance signature."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    direction: str = "sk2nk"
    signature: str = ""

    @property
    def rules_applied(self) -> list[str]:
        return sorted({r for e in self.edits for r in e.rule_id.split("+")})

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "direction": self.direction,
            "signature": self.signature,
            "edits": [e.to_dict() for e in self.edits],
        }
