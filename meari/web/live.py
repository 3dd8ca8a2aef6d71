"""What the editor shows while one types: conversion, review findings, spoken duration, leaflet preview.

Plain functions over a :class:`meari.message.Message`; they call meari's own stages (``meari.lang``
conversion, ``meari.review``, ``meari.produce.leaflet``) and shape the results into segments a template
can print without any HTML built in Python (the template escapes every piece of user text).

Spans: conversion edits and review findings carry character offsets into the *draft* text, so both
are shown over the draft as typed. The converted text is shown too, as the reader will get it.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from meari.errors import MeariError
from meari.message import Message

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Segment:
    """A run of draft text: plain (``kind`` ""), an edit (before/after, rule, why) or a finding mark."""

    text: str
    kind: str = ""
    after: str = ""
    rule: str = ""
    why: str = ""
    number: int = 0

    @property
    def shown_before(self) -> str:
        """What an edit removed, with a removed space made visible (␣)."""
        return "␣" if self.text and not self.text.strip() else self.text

    @property
    def shown_after(self) -> str:
        return "␣" if self.after and not self.after.strip() else self.after

    @property
    def title(self) -> str:
        return f"{self.rule}: {self.why}" if self.rule else ""


@dataclass
class LiveResult:
    """Everything the live panel shows; ``error`` set (and the rest empty) when the input is unusable."""

    error: str = ""
    direction: str = ""
    converted: str = ""
    conversion: list[Segment] = field(default_factory=list)
    edits: list[dict] = field(default_factory=list)
    review: list[Segment] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0
    loop_seconds: float = 0.0
    syllables_per_s: float = 0.0
    preview_key: str = ""
    signature: str = ""
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"error": self.error, "direction": self.direction, "converted": self.converted,
                "edits": self.edits, "findings": self.findings, "summary": self.summary,
                "spoken_seconds": round(self.seconds, 1), "loop_seconds": round(self.loop_seconds, 1),
                "signature": self.signature}


def conversion_segments(source: str, edits: list) -> list[Segment]:
    """The draft cut at every edit: plain runs and edit runs (before → after, rule id and why)."""
    out: list[Segment] = []
    pos = 0
    for e in edits:
        if e.start < pos:
            continue
        if e.start > pos:
            out.append(Segment(source[pos:e.start]))
        out.append(Segment(e.before, "edit", e.after, e.rule_id, e.why))
        pos = e.end
    if pos < len(source):
        out.append(Segment(source[pos:]))
    return out


def finding_segments(source: str, findings: list) -> list[Segment]:
    """The draft with each (non-overlapping) text finding marked, numbered as in the findings list."""
    marks = [(i, f) for i, f in enumerate(findings, 1) if f.field == "text" and 0 <= f.start < f.end]
    marks.sort(key=lambda t: (t[1].start, -t[1].end))
    out: list[Segment] = []
    pos = 0
    for i, f in marks:
        if f.start < pos:
            continue  # overlapping: listed, highlighted once
        if f.start > pos:
            out.append(Segment(source[pos:f.start]))
        out.append(Segment(source[f.start:f.end], f.severity, rule=f.id, why=f.why, number=i))
        pos = f.end
    if pos < len(source):
        out.append(Segment(source[pos:]))
    return out


def preview_key(message: Message, stamped: bool = True) -> str:
    """Content key of a message's leaflet preview (same message and stamp → same image, cacheable)."""
    raw = json.dumps(message.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    raw += "" if stamped else "|legal-signed"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=8192)
def _convert_line(line: str, direction: str):  # noqa: ANN202 - meari.lang.types.Conversion
    from meari.lang.convert import to_nk, to_sk

    return (to_nk if direction == "sk2nk" else to_sk)(line)


def convert(text: str, direction: str):  # noqa: ANN201 - meari.lang.types.Conversion
    """``meari.lang`` conversion of ``text``, line by line with a per-process cache of converted lines.

    The converter works line by line (N lines in, N out), so converting each line on its own gives the
    same text and edits; while one types, all lines but one are unchanged and come from the cache.
    """
    from meari.lang.convert import signature
    from meari.lang.types import Conversion, Edit

    out, edits, offset = [], [], 0
    for n, line in enumerate(text.split("\n"), 1):
        c = _convert_line(line, direction)
        out.append(c.text)
        edits.extend(Edit(e.start + offset, e.end + offset, e.before, e.after, e.rule_id, e.why, n, e.col)
                     for e in c.edits)
        offset += len(line) + 1
    rules = sorted({r for e in edits for r in e.rule_id.split("+")})
    return Conversion("\n".join(out), edits, direction, signature(direction, text, rules))


def analyse(message: Message) -> LiveResult:
    """Conversion, review, duration and preview key of a message (cached per message content)."""
    return _analyse(message.model_dump_json())


@lru_cache(maxsize=256)
def _analyse(raw: str) -> LiveResult:
    return _analyse_message(Message.model_validate_json(raw))


def _analyse_message(message: Message) -> LiveResult:
    """Conversion (when the draft's standard differs from the audience's), review, duration, preview key."""
    from meari.review import review
    from meari.review.checks.broadcast import spoken_seconds

    res = LiveResult()
    text = message.text
    if message.needs_conversion:
        conv = convert(text, "sk2nk" if message.language == "nk" else "nk2sk")
        res.direction = conv.direction
        res.converted = conv.text
        res.conversion = conversion_segments(text, conv.edits)
        res.edits = [e.to_dict() for e in conv.edits]
        res.signature = conv.signature
    else:
        res.converted = text
        res.conversion = [Segment(text)]
    try:
        rv = review(message)
    except MeariError as e:
        res.error = e.problem
        return res
    findings = rv.findings
    res.review = finding_segments(text, findings)
    res.findings = [f.to_dict() for f in findings]
    res.summary = rv.summary()
    b = message.broadcast
    res.syllables_per_s = b.syllables_per_s
    res.seconds = spoken_seconds(res.converted, b.syllables_per_s)
    n = max(1, sum(1 for s in res.converted.replace("?", ".").replace("!", ".").split(".") if s.strip()))
    res.loop_seconds = b.repeats * (res.seconds + b.pause_s * n)
    p = preview_of(message)
    res.preview_key, res.notes = p.preview_key, p.notes
    return res


def preview_of(message: Message) -> LiveResult:
    """Only the preview part of a message's analysis: its preview key (none for a loudspeaker message) and
    the notes the built product would carry (a default headline); no conversion, no review."""
    res = LiveResult()
    res.preview_key = preview_key(message) if message.channel in ("leaflet", "interpreter") else ""
    if message.channel == "leaflet":
        from meari.campaign.products import with_defaults

        res.notes = with_defaults(message, "appeal-leaflet")[1]
    return res


def preview_png(message: Message, dpi: int = 110, stamped: bool = True) -> list[bytes]:
    """PNG images (front, back) of the message's leaflet as it would print, from the real PDF.

    Built with ``force=True`` so that a draft with review errors still shows, stamped NOT APPROVED
    exactly as a forced print would be; the workbench never files this PDF as a product. With
    ``stamped=False`` (a version legal has signed: every remaining error accepted with a reason) it is
    drawn as the store builds the product then, without the stamp.
    """
    import io

    from meari.campaign.products import with_defaults
    from meari.produce import leaflet as lf
    from meari.produce.leaflet.preview import render_pages

    kind = "safe-conduct" if message.channel == "interpreter" else "appeal-leaflet"
    message, _ = with_defaults(message, kind)  # the same defaults the built product gets (e.g. headline)
    template = "safe-conduct" if kind == "safe-conduct" else None
    prep = lf.prepare(message, template=template, force=True, where="message")
    if not stamped:
        import dataclasses

        prep = dataclasses.replace(prep, approved=True)
    with tempfile.TemporaryDirectory(prefix="meari-preview-") as tmp:
        pdf = lf.write_pdf(prep, Path(tmp) / "preview.pdf")
        out = []
        for img in render_pages(pdf, [0, 1], dpi=dpi):
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            out.append(buf.getvalue())
    return out
