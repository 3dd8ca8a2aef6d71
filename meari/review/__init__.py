"""Message review: checks with stable ids producing Findings.

Public API (stable; later stages depend on it):
    review(message: meari.message.Message) -> Review
    Review.findings: list[Finding]; Review.has_errors: bool

The text is analysed once (:mod:`meari.review.document`) and every check reads
the same sentences and morphemes. A check is a small object with a stable id,
a one-line explanation and a function (:class:`Check`); the pattern checks
(IHL, truthfulness) are built from ``meari/data/review/rules.yaml`` and the
word lists live beside it, so adding a rule is one data entry (or one module)
plus its tests. ``line``/``col`` in a Finding are 1-based and relative to the
message *text*; ``start``/``end`` are character offsets into it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace

from meari.errors import MeariError

SEVERITIES = ("error", "warning", "info")
MIN_HANGUL_SHARE = 0.5  # below this share of Hangul among letters the text is not Korean


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: str  # error | warning | info
    line: int
    col: int
    text: str
    why: str
    fix: str = ""
    start: int = -1  # character offsets into the reviewed field (for highlighting)
    end: int = -1
    field: str = "text"  # which part of the message: text, leaflet.headline, leaflet.steps[N]

    def to_dict(self) -> dict:
        return asdict(self)


LEGAL_FAMILIES = ("ihl", "truth")  # findings a legal reviewer must resolve before sign-off


@dataclass(frozen=True, slots=True)
class LegalWarnings:
    """The ihl./truth. warnings a review left unresolved, as data for products and the workbench.

    Warnings do not block the command line, but every product built from such a message must say so
    (report, provenance, PDF metadata): ``note`` is that sentence ("2 unresolved legal warnings:
    ihl.emblem, ihl.perfidy"); ``ids`` are the distinct rule ids (each one a question the legal
    sign-off answers), ``findings`` the warnings themselves, in text order.
    """

    ids: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def count(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def note(self) -> str:
        if not self.ids:
            return ""
        word = "warning" if len(self.ids) == 1 else "warnings"
        return f"{len(self.ids)} unresolved legal {word}: {', '.join(self.ids)}"

    @property
    def signature(self) -> str:
        """The provenance part: ``legal:ok`` or ``legal:unresolved=ihl.emblem,ihl.perfidy``."""
        return "legal:ok" if not self.ids else "legal:unresolved=" + ",".join(self.ids)

    def to_dict(self) -> dict:
        return {"count": self.count, "ids": list(self.ids), "note": self.note,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(slots=True)
class Review:
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def legal_warnings(self) -> LegalWarnings:
        """ihl./truth. warnings (possible violations and recall-tier subjects) left for the legal reviewer."""
        ws = tuple(f for f in self.findings
                   if f.severity == "warning" and f.id.split(".", 1)[0] in LEGAL_FAMILIES)
        return LegalWarnings(tuple(sorted({f.id for f in ws})), ws)

    def summary(self) -> dict:
        c = Counter(f.severity for f in self.findings)
        return {
            "errors": c.get("error", 0),
            "warnings": c.get("warning", 0),
            "info": c.get("info", 0),
            "rules": dict(sorted(Counter(f.id for f in self.findings).items())),
            "legal_warnings": self.legal_warnings.note,
        }


@dataclass(frozen=True)
class Check:
    """One check: stable ``id``, default ``severity``, a one-line ``summary`` and ``run(ctx) -> [Finding]``."""

    id: str
    severity: str
    summary: str
    run: object  # Callable[[Context], list[Finding]]
    family: str = ""


def hangul_share(text: str) -> float:
    """Share of Hangul syllables and jamo among the letters of ``text`` (digits, punctuation ignored)."""
    letters = hangul = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            o = ord(ch)
            if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
                hangul += 1
    return hangul / letters if letters else 0.0


def review(message, checks: list[Check] | None = None) -> Review:  # noqa: ANN001 - Message (avoid import cycle)
    """Review a message with every registered check (or ``checks``); findings sorted by position.

    Raises MeariError for text that is not Korean (under half of its letters Hangul):
    the checks would have nothing to say and silence would read as approval.
    """
    from meari.review.context import Context
    from meari.review.registry import all_checks

    share = hangul_share(message.text)
    if share < MIN_HANGUL_SHARE:
        raise MeariError(
            f"text is not Korean: {share:.0%} of its letters are Hangul (at least {MIN_HANGUL_SHARE:.0%} needed)",
            "text",
        )
    selected = checks if checks is not None else all_checks()
    if len(message.text) > CHUNK_CHARS:
        findings = _run_chunked(message, selected)
    else:
        findings = _run(Context.create(message), selected)
    # A leaflet prints its headline and steps too: they get the same checks, except those about the
    # whole message (attribution, broadcast timing).
    if message.channel == "leaflet":
        extra = [("leaflet.headline", message.leaflet.headline)]
        extra += [(f"leaflet.steps[{i}]", s) for i, s in enumerate(message.leaflet.steps or [])]
        part_checks = [c for c in selected if c.family != "broadcast" and c.id != "truth.attribution"]
        for name, value in extra:
            if value and value.strip():
                part = Context.create(message, value)
                findings.extend(replace(f, field=name) for f in _run(part, part_checks))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (f.field != "text", f.field, f.line, f.col, order.get(f.severity, 9), f.id))
    return Review(findings)


# Texts longer than this are reviewed in chunks cut at line breaks (blank lines preferred): each chunk is
# analysed, checked and dropped before the next, so memory stays bounded by the chunk, not the text, and
# time stays linear. What is lost: a threat spread over the few sentences that straddle a cut.
CHUNK_CHARS = 100_000


def _cuts(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of chunks of about ``size`` (default CHUNK_CHARS) characters, each cut after a line break."""
    size = size or CHUNK_CHARS
    out = []
    a = 0
    n = len(text)
    while a < n:
        b = min(n, a + size)
        if b < n:
            para = text.rfind("\n\n", a + size // 2, b)
            line = text.rfind("\n", a + size // 2, b)
            cut = para + 2 if para >= 0 else (line + 1 if line >= 0 else b)
            b = cut
        out.append((a, b))
        a = b
    return out


def _run_chunked(message, selected: list[Check]) -> list[Finding]:  # noqa: ANN001
    """Review a long text chunk by chunk; findings shifted back to whole-text offsets and lines.

    Whole-message checks (broadcast timing and structure, attribution) run on the first chunk only;
    the spoken duration of a loudspeaker text is then recomputed over the whole text.
    """
    from meari.review.context import Context

    text = message.text
    per_chunk = [c for c in selected if c.family != "broadcast" and c.id != "truth.attribution"]
    out: list[Finding] = []
    line_off = 0
    for k, (a, b) in enumerate(_cuts(text)):
        ctx = Context.create(message, text[a:b])
        fs = _run(ctx, selected if k == 0 else per_chunk)
        out.extend(replace(f, start=f.start + a, end=f.end + a, line=f.line + line_off) for f in fs)
        line_off += text.count("\n", a, b)
        del ctx, fs
    if message.channel == "loudspeaker" and any(c.family == "broadcast" for c in selected):
        out = [f for f in out if f.id not in ("broadcast.duration", "broadcast.too-long")]
        out.extend(_long_duration(message))
    return out


def _long_duration(message) -> list[Finding]:  # noqa: ANN001
    from meari.review.checks.broadcast import _cfg, spoken_seconds

    b = message.broadcast
    secs = spoken_seconds(message.text, b.syllables_per_s)
    limit = _cfg()["max_pass_s"]["value"]
    first = message.text.split("\n", 1)[0]
    out = [Finding("broadcast.duration", "info", 1, 1, first[:40],
                   f"spoken duration {secs:.1f} s per pass at {b.syllables_per_s:g} syllables/s", "", 0, len(first))]
    if secs > limit:
        out.append(Finding("broadcast.too-long", "warning", 1, 1, first[:40],
                           f"one pass takes {secs:.1f} s (limit {limit} s): {_cfg()['max_pass_s']['note']}",
                           "cut the text to the instruction and the reasons to live", 0, len(first)))
    return out


def _run(ctx, selected: list[Check]) -> list[Finding]:  # noqa: ANN001
    ids = {c.id for c in selected}
    findings: list[Finding] = []
    ran: set[int] = set()
    for check in selected:
        if id(check.run) in ran:  # one function may report several ids (broadcast.duration/too-long)
            continue
        ran.add(id(check.run))
        findings.extend(f for f in check.run(ctx) if f.id in ids)
    return _dedupe(findings)


TIERED_FAMILIES = ("ihl", "truth")  # families with an error tier and a warning tier (possible violations)


class _Spans:
    """Finding spans sorted by start, for overlap tests in O(log n) (a 2 MB text has thousands)."""

    def __init__(self, findings) -> None:  # noqa: ANN001
        spans = sorted((f.start, f.end) for f in findings)
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        # running maximum of ends, so one look tells whether any span before ends after a point
        self.max_end: list[int] = []
        m = -1
        for e in self.ends:
            m = max(m, e)
            self.max_end.append(m)

    def overlaps(self, a: int, b: int) -> bool:
        import bisect

        i = bisect.bisect_left(self.starts, b)  # spans starting before b
        return i > 0 and self.max_end[i - 1] > a


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop findings that repeat another's point.

    An nk.orthography finding that covers the same words as a vocab.outsider one (same fix twice);
    an ihl/truth warning on words an error of the same rule already covers: the reader already has
    the error to act on there (a different rule's warning stays: it is a different legal question).
    """
    vocab = _Spans(f for f in findings if f.id == "vocab.outsider")
    errors: dict[str, _Spans] = {}
    for rid in {f.id for f in findings if f.severity == "error" and f.id.split(".", 1)[0] in TIERED_FAMILIES}:
        errors[rid] = _Spans(f for f in findings if f.id == rid and f.severity == "error")
    out = []
    for f in findings:
        if f.id == "nk.orthography" and vocab.overlaps(f.start, f.end):
            continue
        if f.severity == "warning" and f.id in errors and errors[f.id].overlaps(f.start, f.end):
            continue  # the error of the same rule already speaks about these words
        out.append(f)
    return out


__all__ = ["Check", "Finding", "LegalWarnings", "Review", "SEVERITIES", "gate", "hangul_share", "review"]


def gate(message, force: bool = False, where: str = "message") -> Review:  # noqa: ANN001
    """Review ``message`` for a product; refuse (MeariError) when it has errors, unless ``force``.

    Every producing command goes through here, so no leaflet or broadcast is
    made from an unreviewed or failing message without an explicit override
    (which the product then marks as NOT APPROVED). Warnings do not block; the
    returned review's ``legal_warnings`` (note, ids, provenance part) is what the
    product must carry in its report and provenance.
    """
    rv = review(message)
    if rv.has_errors and not force:
        errs = [f for f in rv.findings if f.severity == "error"]
        first = errs[0]
        part = "" if first.field == "text" else f" in {first.field}"
        raise MeariError(
            f"review found {len(errs)} error(s) (first: {first.id}{part} at {first.line}:{first.col}: "
            f"{first.why}); fix the message (see `meari review`), or pass --force to produce it marked NOT APPROVED",
            where,
        )
    return rv
