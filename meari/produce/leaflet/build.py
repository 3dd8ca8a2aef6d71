"""From a message to leaflet files: content, conversion, review gate, provenance, outputs.

``prepare`` does every check and the whole layout before any file is opened, so a bad input
never leaves a partial PDF; the ``write_*`` functions then only draw, each into a temp file that
is renamed into place (``meari.atomic``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from meari.atomic import atomic_path
from meari.errors import MeariError
from meari.message import Message

from . import impose as _impose
from .fonts import register_fonts
from .icc import OutputIntent, load_icc
from .layout import Layout, build_layout, check_step_count
from .render import DocMeta, write_single
from .sizes import Size, parse_size
from .templates import Template, load_template

SERIAL_DIGITS = 6
MAX_SERIAL = 99_999_999  # the serial boxes are fitted for 8 digits


def _readable(tmp: Path) -> None:
    """Temp files are created 0600; a finished PDF is an ordinary file (0666 minus umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)


@dataclass
class Prepared:
    """A leaflet design ready to draw: layout, serial range, provenance, approval state."""

    message: Message
    template: Template
    size: Size
    layout: Layout
    serial_start: int | None
    approved: bool
    signature: str
    rules_applied: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)
    # What the build decided for the user (a default headline or steps): for the command or the
    # workbench to show, not errors.
    notes: list[str] = field(default_factory=list)
    intent: OutputIntent | None = None  # the print shop's ICC profile, as a PDF output intent
    legal_note: str = ""  # "2 unresolved legal warnings: ihl.emblem, ihl.perfidy" (meari.review.LegalWarnings)

    def serials(self, count: int, start_offset: int = 0) -> list[str | None]:
        if self.serial_start is None:
            return [None] * count
        s0 = self.serial_start + start_offset
        if s0 + count - 1 > MAX_SERIAL:
            raise MeariError(f"serials would run past {MAX_SERIAL:,} (the layout fits 8 digits)", "--serial")
        return [format_serial(s0 + i) for i in range(count)]

    def meta(self, kind: str = "leaflet") -> DocMeta:
        m = self.message
        title = f"meari {kind}: {self.template.id} {self.size.name}"
        if not self.approved:
            title += " (NOT APPROVED)"
        return DocMeta(title=title, author=m.sponsor or "", subject=self.layout.text_out.split("\n", 1)[0][:200],
                       signature=self.signature,
                       extra={"MeariApproved": "yes" if self.approved else "NO (forced past review errors)",
                              "MeariTemplate": self.template.id,
                              "MeariLegalWarnings": self.legal_note or "none"},
                       intent=self.intent)


def format_serial(n: int) -> str:
    return f"{n:0{SERIAL_DIGITS}d}"


def _convert(message: Message) -> tuple[dict[str, str | None], list[str] | None, list[str], list[str]]:
    """Headline, body and steps in the message's target standard; rules applied and signatures."""
    spec = message.leaflet
    head, body, steps = spec.headline, message.text, spec.steps
    if not message.needs_conversion:
        return {"headline": head, "body": body}, steps, [], []
    from meari.lang.convert import to_nk, to_sk

    convert = to_nk if message.language == "nk" else to_sk

    rules: set[str] = set()
    sigs: list[str] = []

    def conv(t: str) -> str:
        c = convert(t)
        rules.update(c.rules_applied)
        sigs.append(c.signature)
        return c.text

    fields = {"body": conv(body)}
    fields["headline"] = conv(head) if head else head
    steps = [conv(s) for s in steps] if steps else steps
    return fields, steps, sorted(rules), sigs


def _uses(tpl: Template, what: str) -> bool:
    """Does the template print the headline (a ``{headline}`` text) or the steps (a steps box)?"""
    for side in tpl.sides:
        for item in side.items:
            if what == "steps" and item.kind == "steps":
                return True
            if what == "headline" and item.kind == "text" and "{headline}" in item.text:
                return True
    return False


def _pick_pictograms(template: Template, steps: list[str]) -> list[tuple[str, str]]:
    order = list(template.pictogram_keywords) or ["weapon-down", "hands-up", "walk-slowly", "follow-instructions"]
    out = []
    for i, s in enumerate(steps):
        picto = None
        for name, words in template.pictogram_keywords.items():
            if any(w in s for w in words):
                picto = name
                break
        out.append((picto or order[min(i, len(order) - 1)], s))
    return out


def prepare(message: Message, *, template: str | None = None, size: str | None = None, force: bool = False,
            serial_start: int | None = None, where: str = "message", icc: str | Path | None = None) -> Prepared:
    """Check, convert, review-gate and lay out a leaflet. Raises MeariError; writes nothing.

    ``icc``: the print shop's CMYK ICC profile, checked here and written as the PDF's output intent.
    A message without a headline or steps gets the template's defaults, listed in ``notes``.
    """
    tpl = load_template(template or message.leaflet.template or "appeal")
    sz = parse_size(size or message.leaflet.size or "6x3")
    intent = load_icc(icc) if icc is not None else None
    notes: list[str] = []
    ref_w, ref_h = tpl.reference_mm
    shape = (sz.w_mm / sz.h_mm) / (ref_w / ref_h)
    if shape < 0.6 or shape > 1.7:
        notes.append(f"the {tpl.id!r} template is designed for {ref_w:g}x{ref_h:g} mm; on {sz.w_mm:g}x{sz.h_mm:g} mm "
                     "its boxes keep their proportions and may leave wide empty areas: check the preview")
    defaults: list[str] = []  # which template defaults were used (named in the provenance signature)
    if message.leaflet.steps:
        check_step_count(tpl, len(message.leaflet.steps), f"{where}: leaflet.steps")

    from meari.review import gate

    rv = gate(message, force, where)
    findings = list(rv.findings)
    approved = not rv.has_errors

    fields, steps, rules, conv_sigs = _convert(message)
    if not steps and tpl.default_steps and _uses(tpl, "steps"):
        steps = list(tpl.default_steps)
        defaults.append("steps")
        notes.append(f"no leaflet.steps in the message: the {tpl.id!r} template's {len(steps)} default steps are "
                     "printed")
    if not (fields.get("headline") or "").strip() and tpl.default_headline and _uses(tpl, "headline"):
        fields["headline"] = tpl.default_headline
        defaults.append("headline")
        notes.append(f"no leaflet.headline in the message: the {tpl.id!r} template's default headline "
                     f"《{tpl.default_headline}》 is printed")
    start = serial_start if serial_start is not None else message.leaflet.serial_start
    if start is None and tpl.needs_serial:
        start = 1
    content: dict[str, str | None] = {
        **fields,
        "sponsor": message.sponsor,
        "serial": format_serial(start) if start is not None else None,
    }
    for req in tpl.requires:
        if not (content.get(req) or "").strip():
            key = {"headline": "leaflet.headline", "body": "text"}.get(req, req)
            raise MeariError(f"the {tpl.id!r} template needs {key!r}, which is missing or empty", where)

    fonts = register_fonts()
    layout = build_layout(tpl, sz, content, _pick_pictograms(tpl, steps or []), list(message.leaflet.languages), fonts)

    from meari import __version__

    out_hash = hashlib.sha256(layout.text_out.encode("utf-8")).hexdigest()[:16]
    parts = [
        f"meari:{__version__}",
        f"template:{tpl.id}@{tpl.version}",
        f"size:{sz.w_mm:g}x{sz.h_mm:g}mm",
        f"src:sha256={message.text_hash()}",
        f"text:sha256={out_hash}",
        f"conv:{message.source_language + '2' + message.language if message.needs_conversion else 'none'}",
        f"rules:{','.join(rules) or '-'}",
    ]
    if conv_sigs and conv_sigs[0]:
        # The body's conversion signature names the lexicon versions; rules above cover every field.
        parts.append(f"lang:[{conv_sigs[0]}]")
    parts.append("review:ok" if approved else "review:ERRORS-FORCED")
    if defaults:
        parts.append("defaults:" + ",".join(defaults))
    legal = rv.legal_warnings
    parts.append(legal.signature)
    return Prepared(message, tpl, sz, layout, start, approved, "|".join(parts), rules, findings, notes, intent,
                    legal.note)


def write_pdf(prep: Prepared, out: str | Path, count: int = 1) -> Path:
    """``count`` two-sided leaflets with consecutive serials, atomically written to ``out``."""
    if count < 1:
        raise MeariError("count must be at least 1", "--count")
    out = Path(out)
    with atomic_path(out) as tmp:
        write_single(tmp, prep.layout, prep.serials(count), prep.meta(), stamp=not prep.approved)
        _readable(tmp)
    return out


def write_imposed(prep: Prepared, out: str | Path, sheet: str = "A4", count: int | None = None,
                  gutter_mm: float | None = None) -> Path:
    """Imposed duplex sheets (fronts page, backs page per sheet) atomically written to ``out``."""
    grid = _impose.plan(sheet, prep.size, gutter_mm)
    n = count if count is not None else grid.n_up
    if n < 1:
        raise MeariError("count must be at least 1", "--count")
    out = Path(out)
    with atomic_path(out) as tmp:
        _impose.write(tmp, prep.layout, grid, prep.serials(n), prep.meta(f"{grid.sheet_name} sheet"),
                      stamp=not prep.approved)
        _readable(tmp)
    return out
