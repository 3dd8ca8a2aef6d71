"""The layout engine: template (data) + size + content -> positioned drawing operations.

Layout is computed once per leaflet design and reused for every copy: only the serial number
changes between copies, so it is the one *dynamic* operation, drawn per copy; everything else is
*static* and goes into one PDF form XObject per side. That is what makes 1,000 numbered leaflets
a second-scale job.

Coordinates: templates give rects as fractions of the trim box with the origin top-left. Ops use
points with the origin at the trim box's lower-left corner (PDF convention). Text and pictogram
boxes are clipped to the safe area (``SAFE_MM`` inside the trim) so a template cannot put words
where the guillotine may cut; only fills may run out to the bleed.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field

from meari.errors import MeariError
from meari.glyphs import FAMILIES, coverage, describe, missing_glyphs, runs

from . import colour as C
from . import templates as T
from .colour import CMYK
from .fonts import family_of, role_in
from .sizes import BLEED_MM, MM, SAFE_MM, Size
from .text import break_lines, foreign_letters

ASCENT = {"kr": 0.88, "latin": 0.76}  # baseline to top of Hangul / Latin ascenders, in em
SIZE_STEP = 0.25  # points between auto-fit attempts
COARSE = 4  # auto-fit walks down in steps of COARSE * SIZE_STEP, then refines upwards
FILL_MAX_RATIO = 1.5  # a fill box without max_size may grow to 1.5x its size
FILL_MAX_LEADING = 1.25  # ... and open its leading to 1.25x (unless max_leading says otherwise)


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # lower-left, points from the trim's lower-left
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h


@dataclass
class TextOp:
    font: str
    size: float
    color: CMYK
    lines: list[tuple[float, float, str]]  # (x, baseline y, text)
    # Per line, (reportlab font, text) runs: one run unless a character needs the other face.
    runs: list[list[tuple[str, str]]] = field(default_factory=list)


@dataclass
class DynOp:
    """Text with ``{serial}`` drawn per copy, aligned inside ``box`` at a fixed size."""

    font: str
    size: float
    color: CMYK
    fmt: str
    values: dict[str, str]
    box: Box
    align: str
    baseline: float
    # For characters the box's face lacks (set per copy, so kept cheap): the other family's font
    # and the code points the box's own face covers.
    alt_font: str = ""
    own: frozenset[int] = frozenset()
    family: str = "kr"


@dataclass
class SideLayout:
    name: str
    ops: list = field(default_factory=list)  # ("fill"|"frame"|"rule"|"picto"|"text"|"disc", ...)
    dyn: list[DynOp] = field(default_factory=list)


@dataclass
class Layout:
    template: T.Template
    size: Size
    sides: list[SideLayout]
    fonts: dict[str, str]  # role -> reportlab font name
    text_out: str  # every static text laid out, in drawing order (hashed for provenance)


class _Ctx:
    """Per-layout helpers: measuring, glyph checks, scaling, error wording."""

    def __init__(self, template: T.Template, size: Size, fonts: dict[str, str]) -> None:
        from reportlab.pdfbase import pdfmetrics

        self.t = template
        self.size = size
        self.fonts = fonts
        self.pdfmetrics = pdfmetrics
        ref_w, ref_h = template.reference_mm
        # Type scales with the square root of the area ratio: an A6 (taller than 6x3) gets larger
        # type, not just more white space; auto-fit shrinks it again where boxes are narrow.
        self.scale = (size.w_mm / ref_w * size.h_mm / ref_h) ** 0.5
        safe = SAFE_MM * MM
        self.safe = Box(safe, safe, size.w - 2 * safe, size.h - 2 * safe)
        self.texts: list[str] = []
        self.cov = coverage()

    def color(self, v) -> CMYK:
        return C.resolve(v, self.t.colors)

    def where(self, side: str, item) -> str:
        ident = item.id or item.kind
        return f"template {self.t.id}, {side} side, box {ident!r}"

    def box(self, rect: list[float], clip: bool = True) -> Box:
        x, y, w, h = rect
        bx, by = x * self.size.w, self.size.h - (y + h) * self.size.h
        b = Box(bx, by, w * self.size.w, h * self.size.h)
        if not clip:
            return b
        s = self.safe
        x0, y0 = max(b.x, s.x), max(b.y, s.y)
        x1, y1 = min(b.x + b.w, s.x + s.w), min(b.top, s.top)
        return Box(x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0))

    def sizes(self, style: T.TextStyle) -> tuple[float, float]:
        """(largest, smallest) size to try. A ``fill`` box starts at its ``max_size``."""
        size = style.size * self.scale
        lo = style.min_size if style.min_size is not None else style.size
        lo = min(size, max(lo, lo * self.scale))
        if getattr(style, "fill", False):
            size = max(size, (style.max_size or style.size * FILL_MAX_RATIO) * self.scale)
        return size, lo

    def measure(self, font_role: str, size: float):
        """Width of a string in ``font_role``, runs its face lacks measured in the other family's face."""
        fam = family_of(font_role)
        name = self.fonts[font_role]
        names = {f: self.fonts[role_in(font_role, f)] for f in FAMILIES}
        own = self.cov[fam]
        cov = self.cov
        sw = self.pdfmetrics.stringWidth

        def m(s: str) -> float:
            if all(ord(ch) in own for ch in s):
                return sw(s, name, size)
            return sum(sw(t, names[f], size) for f, t in runs(s, fam, cov))

        return m

    def runs_of(self, font_role: str, lines) -> list[list[tuple[str, str]]]:
        """(reportlab font, text) runs for each placed line."""
        fam = family_of(font_role)
        own = self.cov[fam]
        out = []
        for _, _, s in lines:
            if all(ord(ch) in own for ch in s):
                out.append([(self.fonts[font_role], s)])
            else:
                out.append([(self.fonts[role_in(font_role, f)], t) for f, t in runs(s, fam, self.cov)])
        return out

    def text_op(self, font_role: str, size: float, color: CMYK, placed) -> TextOp:
        return TextOp(self.fonts[font_role], size, color, placed, self.runs_of(font_role, placed))

    def check_glyphs(self, text: str, font_role: str, where: str) -> None:
        """Refuse characters no leaflet font has: the same test the review reports (meari.glyphs)."""
        missing = missing_glyphs(text)
        if missing:
            raise MeariError(f"the leaflet fonts have no glyph for {describe(missing)}; remove or replace "
                             "these characters", where)

    def check_script(self, text: str, style: T.TextStyle, where: str) -> None:
        if style.script == "ko":
            bad = foreign_letters(text)
            if bad:
                words = [w for w in text.split() if foreign_letters(w)]
                shown = ", ".join(repr(w) for w in words[:3]) + (" ..." if len(words) > 3 else "")
                raise MeariError(
                    f"non-Korean letters in a Korean text box: {shown}; Korean boxes take Hangul, digits and "
                    "punctuation only (put other languages in the template's language boxes)", where
                )

    def ascent(self, font_role: str) -> float:
        return ASCENT["kr" if font_role.startswith("kr") else "latin"]


# Breaking inside words is accepted only if keeping words whole would cost more than this share
# of the type size (short captions like 내려놓으십시오 read better a little smaller but whole).
WHOLE_WORDS_MIN_RATIO = 0.75


def _fit(ctx: _Ctx, texts: list[str], font: str, style: T.TextStyle, width: float, height: float,
         max_lines: int | None, where: str, extra_height=None) -> tuple[float, list[list[str]]]:
    """Largest size (from the template's down to its minimum) at which every text fits.

    Tried twice: with breaks inside words allowed (Korean allows them; long NK runs need them) and
    with whole words only; whole words win unless they cost more than 25 % of the size.
    ``extra_height(size)`` adds height used by other parts of the same box (column titles).
    Raises MeariError naming the box and by how much it overflows at the minimum size.
    """
    best = _fit_pass(ctx, texts, font, style, width, height, max_lines, where, extra_height, True)
    split = True
    try:
        whole = _fit_pass(ctx, texts, font, style, width, height, max_lines, where, extra_height, False)
        if whole[0] >= WHOLE_WORDS_MIN_RATIO * best[0]:
            best, split = whole, False
    except MeariError:
        pass
    if getattr(style, "fill", False):
        best = _avoid_widows(ctx, texts, font, style, width, best, split)
    return best


# A fill box set as large as it fits may end a paragraph on one short word (리유가 / 없습니다.).
# It may then step down, by at most WIDOW_MAX_SHRINK of its size, to a size without such a line.
WIDOW_FRAC = 0.25  # a paragraph's last line shorter than this share of the width is a widow
WIDOW_MAX_SHRINK = 0.12


def _widows(ctx: _Ctx, texts: list[str], font: str, size: float, width: float, split: bool) -> int:
    """How many paragraphs end on a line shorter than WIDOW_FRAC of the width at ``size``."""
    measure = ctx.measure(font, size)
    n = 0
    for t in texts:
        for para in t.split("\n"):
            if not para.strip():
                continue
            lines = break_lines(para, width, measure, split_words=split) or []
            if len(lines) > 1 and measure(lines[-1]) < WIDOW_FRAC * width:
                n += 1
    return n


def _avoid_widows(ctx: _Ctx, texts: list[str], font: str, style: T.TextStyle, width: float,
                  best: tuple[float, list[list[str]]], split: bool) -> tuple[float, list[list[str]]]:
    size, broken = best
    if not _widows(ctx, texts, font, size, width, split):
        return best
    _, lo = ctx.sizes(style)
    floor = max(lo, size * (1 - WIDOW_MAX_SHRINK))
    s = round(size - SIZE_STEP, 4)
    while s >= floor - 1e-6:
        if not _widows(ctx, texts, font, s, width, split):
            out = []
            for t in texts:
                lines = break_lines(t, width, ctx.measure(font, s), split_words=split)
                if lines is None:
                    return best
                out.append(lines)
            return s, out
        s = round(s - SIZE_STEP, 4)
    return best


def _fit_pass(ctx: _Ctx, texts: list[str], font: str, style: T.TextStyle, width: float, height: float,
              max_lines: int | None, where: str, extra_height, split_words: bool) -> tuple[float, list[list[str]]]:
    hi, lo = ctx.sizes(style)
    last: tuple[float, list[list[str]] | None] = (lo, None)

    def attempt(size: float) -> list[list[str]] | None:
        nonlocal last
        broken: list[list[str]] = []
        for t in texts:
            lines = break_lines(t, width, ctx.measure(font, size), split_words=split_words)
            if lines is None:
                return None
            broken.append(lines)
        need = max(_block(size, style.leading, len(b)) for b in broken)
        if extra_height:
            need += extra_height(size)
        too_many = max_lines is not None and any(len(b) > max_lines for b in broken)
        if need <= height + 1e-6 and not too_many:
            return broken
        last = (size, broken)
        return None

    # Walk down coarsely, then refine upwards between the first fit and the last miss.
    sizes = []
    size = hi
    while size >= lo - 1e-6:
        sizes.append(size)
        size = round(size - SIZE_STEP, 4)
    if sizes and _cannot_fit(ctx, texts, font, style, width, height, lo, extra_height):
        sizes = sizes[-1:]  # hopeless even at the minimum: break the lines once, for the error message
    i = 0
    while i < len(sizes):
        broken = attempt(sizes[i])
        if broken is not None:
            best = (sizes[i], broken)
            for j in range(i - 1, max(-1, i - COARSE), -1):
                finer = attempt(sizes[j])
                if finer is None:
                    break
                best = (sizes[j], finer)
            return best
        if i == len(sizes) - 1:
            break
        i = min(i + COARSE, len(sizes) - 1)
    # Overflow: say which box and by how much, at the minimum size.
    size, broken = last
    if broken is None:
        raise MeariError(f"a single syllable does not fit the box width ({width / MM:.1f} mm) even at {lo:.1f} pt",
                         where)
    n = max(len(b) for b in broken)
    if max_lines is not None and n > max_lines:
        raise MeariError(f"text needs {n} lines at the minimum size {size:.1f} pt but the box allows {max_lines}; "
                         "shorten it", where)
    need = max(_block(size, style.leading, len(b)) for b in broken) + (extra_height(size) if extra_height else 0)
    over = need - height
    line_h = size * style.leading
    raise MeariError(
        f"text does not fit at the minimum size {size:.1f} pt: it needs {need / MM:.1f} mm of height, the box has "
        f"{height / MM:.1f} mm ({over / MM:.1f} mm, about {max(1, round(over / line_h))} line(s), too much); "
        "shorten the text or choose a larger --size", where)


def _cannot_fit(ctx: _Ctx, texts: list[str], font: str, style: T.TextStyle, width: float, height: float,
                size: float, extra_height) -> bool:
    """True if the words alone, laid end to end, need more lines than the box holds at ``size``.

    A lower bound (every line holds at most ``width`` of words), so it never rejects a text that fits;
    it spares a text far too long for the box the walk through every size (a pasted book took minutes).
    """
    measure = ctx.measure(font, size)
    lines = max(math.ceil(sum(measure(w) for w in t.split()) / width) for t in texts) if texts else 0
    need = _block(size, style.leading, lines) + (extra_height(size) if extra_height else 0)
    return need > height * 1.001 + 1e-6


def _block(size: float, leading: float, n: int) -> float:
    return size * (leading * (n - 1) + 1.0) if n else 0.0


def _place_lines(ctx: _Ctx, lines: list[str], font: str, size: float, style, box: Box, valign: str,
                 top: float | None = None, leading: float | None = None) -> list[tuple[float, float, str]]:
    leading = leading or style.leading
    need = _block(size, leading, len(lines))
    if top is None:
        top = box.top
        if valign == "middle":
            top -= (box.h - need) / 2
        elif valign == "bottom":
            top -= box.h - need
    base = top - ctx.ascent(font) * size
    measure = ctx.measure(font, size)
    out = []
    for i, line in enumerate(lines):
        w = measure(line)
        x = box.x if style.align == "left" else box.x + box.w - w if style.align == "right" else box.x + (box.w - w) / 2
        out.append((x, base - i * size * leading, line))
    return out


_FMT = string.Formatter()


def _fields(fmt: str) -> list[str]:
    return [f for _, f, _, _ in _FMT.parse(fmt) if f]


def _resolve(ctx: _Ctx, fmt: str, content: dict[str, str], where: str) -> str | None:
    """Fill a template format string; None if a referenced field is empty (item skipped)."""
    vals: dict[str, str] = {}
    for f in _fields(fmt):
        if f in content:
            v = content[f]
        elif f in ctx.t.texts:
            v = ctx.t.texts[f]
        else:
            raise MeariError(f"template refers to unknown field {{{f}}}", where)
        if v is None or not str(v).strip():
            return None
        vals[f] = str(v)
    return fmt.format_map(vals)


def build_layout(template: T.Template, size: Size, content: dict[str, str | None], steps: list[tuple[str, str]],
                 languages: list[str], fonts: dict[str, str]) -> Layout:
    """Lay out both sides. ``steps`` are (pictogram, caption) pairs; ``languages`` order the columns."""
    ctx = _Ctx(template, size, fonts)
    sides = []
    for side in template.sides:
        sl = SideLayout(side.name)
        for item in side.items:
            where = ctx.where(side.name, item)
            if item.when and not content.get(item.when):
                continue
            handler = _HANDLERS[item.kind]
            handler(ctx, sl, item, content, steps, languages, where)
        sides.append(sl)
    return Layout(template, size, sides, fonts, "\n".join(ctx.texts))


def _fill(ctx, sl, item: T.Fill, *_):
    b = ctx.box(item.rect, clip=False)
    bleed = BLEED_MM * MM
    x0, y0, x1, y1 = b.x, b.y, b.x + b.w, b.top
    eps = 0.01
    if "left" in item.bleed and x0 <= eps:
        x0 = -bleed
    if "right" in item.bleed and x1 >= ctx.size.w - eps:
        x1 = ctx.size.w + bleed
    if "bottom" in item.bleed and y0 <= eps:
        y0 = -bleed
    if "top" in item.bleed and y1 >= ctx.size.h - eps:
        y1 = ctx.size.h + bleed
    sl.ops.append(("fill", x0, y0, x1 - x0, y1 - y0, ctx.color(item.color)))


def _frame(ctx, sl, item: T.Frame, *_):
    b = ctx.box(item.rect)
    w = item.width * ctx.scale
    inset = w / 2
    sl.ops.append(("frame", b.x + inset, b.y + inset, b.w - w, b.h - w, w, ctx.color(item.color)))
    if item.inner:
        d = item.inner * MM * ctx.scale + w
        sl.ops.append(("frame", b.x + d, b.y + d, b.w - 2 * d, b.h - 2 * d, max(0.3, w * 0.35), ctx.color(item.color)))


def _rule(ctx, sl, item: T.Rule, *_):
    b = ctx.box(item.rect)
    sl.ops.append(("rule", b.x, b.top, b.x + b.w, b.y, item.width * ctx.scale, ctx.color(item.color)))


def _picto(ctx, sl, item: T.Picto, *_):
    b = ctx.box(item.rect)
    s = min(b.w, b.h)
    sl.ops.append(("picto", item.name, b.x + (b.w - s) / 2, b.y + (b.h - s) / 2, s, ctx.color(item.color)))


def _fill_leading(style: T.TextStyle, size: float, n: int, height: float) -> float:
    """A ``fill`` box opens its leading so the block reaches the box's height (within a cap)."""
    if not getattr(style, "fill", False) or n < 2:
        return style.leading
    cap = style.max_leading or style.leading * FILL_MAX_LEADING
    want = (height / size - 1.0) / (n - 1)
    return max(style.leading, min(cap, want))


def _text(ctx, sl, item: T.Text, content, steps, languages, where):
    text = _resolve(ctx, item.text, content, where)
    if text is None:
        return
    b = ctx.box(item.rect)
    if "serial" in _fields(item.text):
        _dyn_text(ctx, sl, item, content, b, where)
        return
    ctx.check_script(text, item, where)
    ctx.check_glyphs(text, item.font, where)
    size, (lines,) = _fit(ctx, [text], item.font, item, b.w, b.h, item.max_lines, where)
    leading = _fill_leading(item, size, len(lines), b.h)
    placed = _place_lines(ctx, lines, item.font, size, item, b, item.valign,
                          top=_middle_top(ctx, item, b, size, len(lines), leading), leading=leading)
    sl.ops.append(("text", ctx.text_op(item.font, size, ctx.color(item.color), placed)))
    ctx.texts.append(text)


def _middle_top(ctx, item: T.Text, b: Box, size: float, n: int, leading: float | None = None) -> float | None:
    """Centre a middle-aligned block on the template rect (e.g. a band reaching into the bleed),
    not on its safe-clipped part, as long as the block stays inside the safe part."""
    if item.valign != "middle":
        return None
    full = ctx.box(item.rect, clip=False)
    need = _block(size, leading or item.leading, n)
    top = full.y + full.h / 2 + need / 2
    return min(b.top, max(b.y + need, top))


def _dyn_text(ctx, sl, item: T.Text, content, b: Box, where):
    """Serial-bearing text: fit once with the widest serial, then draw per copy."""
    vals = {f: str(content.get(f) or ctx.t.texts.get(f) or "") for f in _fields(item.text)}
    # Fit the widest serial a run may reach (8 digits), so numbering never overflows mid-run.
    sample = item.text.format_map({**vals, "serial": "8" * max(8, len(vals.get("serial", "")))})
    ctx.check_script(sample, item, where)
    ctx.check_glyphs(sample, item.font, where)
    size, (lines,) = _fit(ctx, [sample], item.font, item, b.w, b.h, 1, where)
    placed = _place_lines(ctx, lines, item.font, size, item, b, item.valign,
                          top=_middle_top(ctx, item, b, size, len(lines)))
    vals.pop("serial", None)
    fam = family_of(item.font)
    other = next(f for f in FAMILIES if f != fam)
    sl.dyn.append(DynOp(ctx.fonts[item.font], size, ctx.color(item.color), item.text, vals, b, item.align,
                        placed[0][1], alt_font=ctx.fonts[role_in(item.font, other)], own=ctx.cov[fam], family=fam))


def check_step_count(template: T.Template, n: int, where: str) -> None:
    """A template lays out at most ``max_steps`` steps; more would crowd pictograms and numbers."""
    if n > template.max_steps:
        raise MeariError(f"{n} steps given, but the {template.id!r} template lays out at most {template.max_steps} "
                         "(each step needs room for its pictogram, number and caption); merge steps or shorten "
                         "the list", where)


# A step's number disc: radius as a share of the pictogram, and at least this share of the caption size.
DISC_FRAC = 0.11
DISC_MIN_CAPTION = 0.8
CAPTION_WIDTH = 0.9  # share of the cell width a step caption may use


def _steps(ctx, sl, item: T.Steps, content, steps, languages, where):
    """Equal cells, each: number disc, pictogram, caption below.

    The disc goes beside the pictogram (top-left) or above it, whichever leaves the larger
    pictogram: wide, low boxes (the appeal's back) put it beside; tall cells (the instructions
    front, where four pictograms are width-bound) put it above, so the pictograms take the whole
    cell width instead of leaving empty bands above and below the row. Disc and pictogram never
    overlap.
    """
    if not steps:
        return
    check_step_count(ctx.t, len(steps), where)
    b = ctx.box(item.rect)
    n = len(steps)
    gap = item.gap_mm * MM * ctx.scale
    cw = (b.w - gap * (n - 1)) / n
    pad = 1.2 * MM * ctx.scale
    room = b.h * item.picto_frac  # height for pictogram (and a disc row above it)
    if item.numbered:
        beside = min(cw / (1 + 2 * DISC_FRAC), room)
        above = min(cw, (room - pad) / (1 + 2 * DISC_FRAC))
        disc_above = above > beside * 1.05
        ps = above if disc_above else beside
    else:
        disc_above, ps = False, min(cw, room)
    disc_row = (2 * DISC_FRAC * ps + pad) if disc_above else 0.0
    cap_h = b.h - disc_row - ps - pad
    if cap_h <= 0:
        raise MeariError("no room left for step captions under the pictograms", where)
    caps = [c for _, c in steps]
    for c in caps:
        ctx.check_script(c, item, where)
        ctx.check_glyphs(c, item.font, where)
    # Captions keep a margin inside their cell so neighbouring captions never read as one line.
    cap_w = cw * CAPTION_WIDTH
    size, broken = _fit(ctx, caps, item.font, item, cap_w, cap_h, item.max_lines, where)
    color = ctx.color(item.color)
    pcolor = ctx.color(item.picto_color)
    # Step numbers are Latin digits set in the Korean face (one family with the captions).
    num_font = ctx.fonts["kr-bold"]
    cap_block = max(_block(size, item.leading, len(x)) for x in broken)
    r = max(ps * DISC_FRAC, size * DISC_MIN_CAPTION) if item.numbered else 0.0
    if item.numbered and not disc_above and 2 * r + ps > cw:  # large captions: shrink the pictogram
        ps = max(0.0, cw - 2 * r)
    if disc_above:
        disc_row = 2 * r + pad
        over = disc_row + ps + pad + cap_block - b.h
        if over > 0:  # a larger disc (large captions) takes its height from the pictogram
            ps = max(0.0, ps - over)
    used = disc_row + ps + pad + cap_block
    top = b.top
    if item.valign == "middle":  # centre discs, pictograms and captions as a block in the rect
        top = b.top - (b.h - used) / 2
    for i, ((picto, _), lines) in enumerate(zip(steps, broken, strict=True)):
        x = b.x + i * (cw + gap)
        py = top - disc_row - ps
        if disc_above:
            px = x + (cw - ps) / 2
            sl.ops.append(("disc", x + cw / 2, top - r, r, str(i + 1), num_font, r * 1.2, pcolor))
        elif item.numbered:
            # Beside: the disc in the cell's top-left corner, the pictogram to its right, centred
            # in the cell when there is room.
            px = x + min(cw - ps, max((cw - ps) / 2, 2 * r))
            sl.ops.append(("disc", x + r, top - r, r, str(i + 1), num_font, r * 1.2, pcolor))
        else:
            px = x + (cw - ps) / 2
        sl.ops.append(("picto", picto, px, py, ps, pcolor))
        cap_box = Box(x + (cw - cap_w) / 2, py - pad - cap_block, cap_w, cap_block)
        placed = _place_lines(ctx, lines, item.font, size, item, cap_box, "top")
        sl.ops.append(("text", ctx.text_op(item.font, size, color, placed)))
        ctx.texts.append(steps[i][1])


def _columns(ctx, sl, item: T.Columns, content, steps, languages, where):
    if not languages:
        return
    b = ctx.box(item.rect)
    n = len(languages)
    gap = item.gap_mm * MM * ctx.scale
    cw = (b.w - gap * (n - 1)) / n
    titles, bodies = [], []
    for lang in languages:
        tkey, bkey = item.title.format(lang=lang), item.body.format(lang=lang)
        if tkey not in ctx.t.texts or bkey not in ctx.t.texts:
            have = sorted({k.split(".")[1] for k in ctx.t.texts if k.count(".") >= 2})
            raise MeariError(f"no text for language {lang!r} in this template (has: {', '.join(have)}); "
                             "set leaflet.languages in the message", where)
        titles.append(ctx.t.texts[tkey])
        bodies.append(_resolve(ctx, ctx.t.texts[bkey], content, where) or "")
    for t in titles:
        ctx.check_glyphs(t, item.title_font, where)
    for t in bodies:
        ctx.check_script(t, item, where)
        ctx.check_glyphs(t, item.font, where)
    title_scale = 1.15

    def title_h(size: float) -> float:
        ts = size * title_scale
        hs = []
        for t in titles:
            lines = break_lines(t, cw, ctx.measure(item.title_font, ts)) or [t]
            hs.append(_block(ts, item.leading, len(lines)) + size * 0.5)
        return max(hs)

    size, broken = _fit(ctx, bodies, item.font, item, cw, b.h, None, where, extra_height=title_h)
    color = ctx.color(item.color)
    ts = size * title_scale
    th = title_h(size)
    # One leading for all columns (they sit side by side): the longest column fills the box.
    leading = _fill_leading(item, size, max(len(x) for x in broken), b.h - th)
    for i, (title, lines) in enumerate(zip(titles, broken, strict=True)):
        x = b.x + i * (cw + gap)
        col = Box(x, b.y, cw, b.h)
        tlines = break_lines(title, cw, ctx.measure(item.title_font, ts)) or [title]
        tplaced = _place_lines(ctx, tlines, item.title_font, ts, item, col, "top")
        sl.ops.append(("text", ctx.text_op(item.title_font, ts, color, tplaced)))
        placed = _place_lines(ctx, lines, item.font, size, item, col, "top", top=b.top - th, leading=leading)
        sl.ops.append(("text", ctx.text_op(item.font, size, color, placed)))
        ctx.texts.append(title + "\n" + bodies[i])
        if item.divider and i:
            xm = x - gap / 2
            sl.ops.append(("rule", xm, b.top, xm, b.y, 0.4 * ctx.scale, color))


_HANDLERS = {
    "fill": _fill,
    "frame": _frame,
    "rule": _rule,
    "pictogram": _picto,
    "text": _text,
    "steps": _steps,
    "columns": _columns,
}
