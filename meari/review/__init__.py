"""Message review: checks with stable ids producing Findings.

Public API (stable; later stages depend on it):
    review(message: meari.message.Message) -> Review
    Review.findings: list[Finding]; Review.has_errors: bool
(Currently a placeholder with no checks; the review issue fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: str  # error | warning | info
    line: int
    col: int
    text: str
    why: str
    fix: str = ""


@dataclass(slots=True)
class Review:
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def review(message) -> Review:  # noqa: ANN001 - placeholder
    return Review()
