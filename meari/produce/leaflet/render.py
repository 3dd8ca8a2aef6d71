"""Drawing a laid-out leaflet into a reportlab canvas, single leaflets with boxes and crop marks.

Each side's static content is one PDF form XObject, drawn once per document and placed on every
page or imposition cell; per copy only the serial is drawn. Forms carry a BBox equal to the bleed
box, so nothing a template draws can print beyond the bleed.

Single-leaflet pages: MediaBox = bleed box + ``SLUG_MM`` on every side (room for crop marks, which
sit outside the bleed so they never print on the piece); BleedBox = trim + 3 mm; TrimBox = the
finished size. CropBox is left equal to the MediaBox so viewers show the marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import colour as C
from . import pictograms
from .layout import DynOp, Layout, SideLayout
from .sizes import BLEED_MM, MARK_LEN_MM, MARK_OFFSET_MM, MM, SLUG_MM

# Registration targets (circle + cross) in the slug, centred on each side of the piece.
TARGET_R_MM = 2.2
MARK_WIDTH = 0.25  # points: hairline marks, as presses expect

STAMP_TEXT = "NOT APPROVED"


@dataclass
class DocMeta:
    """PDF document information, including meari's provenance signature and output intent."""

    title: str
    author: str
    subject: str
    signature: str
    extra: dict[str, str] = field(default_factory=dict)
    intent: object | None = None  # an icc.OutputIntent, written into the catalog


def _info_class():
    from reportlab.pdfbase import pdfdoc

    class MeariInfo(pdfdoc.PDFInfo):
        """PDFInfo plus custom keys (/MeariSignature...), which reportlab's own class cannot hold."""

        extra: dict[str, str] = {}

        def format(self, document):
            D = {
                "Title": pdfdoc.PDFString(self.title),
                "Author": pdfdoc.PDFString(self.author),
                "Producer": pdfdoc.PDFString(self.producer),
                "Creator": pdfdoc.PDFString(self.creator),
                "Subject": pdfdoc.PDFString(self.subject),
                "Keywords": pdfdoc.PDFString(self.keywords),
                "Trapped": pdfdoc.PDFName(self.trapped),
            }
            D["ModDate"] = D["CreationDate"] = pdfdoc.PDFDate(ts=document._timeStamp,
                                                               dateFormatter=self._dateFormatter)
            for k, v in self.extra.items():
                D[k] = pdfdoc.PDFString(v)
            return pdfdoc.PDFDictionary(D).format(document)

    return MeariInfo


def new_canvas(path, meta: DocMeta, pagesize: tuple[float, float]):
    """A canvas with deterministic output (invariant) and meari's metadata."""
    from reportlab.pdfgen import canvas

    from meari import __version__

    from .fonts import ROLES

    # initialFontName: otherwise every page references an unembedded Helvetica.
    # enforceColorSpace: a safety net; every colour meari sets is CMYK or the registration
    # separation already, and any RGB or grey one is now a bug caught here, not DeviceRGB in a file.
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1,
                      initialFontName=ROLES["kr-regular"], enforceColorSpace=C.enforce_cmyk)
    info = _info_class()()
    info.title = meta.title
    info.author = meta.author
    info.subject = meta.subject
    info.keywords = meta.signature
    info.creator = f"meari {__version__}"
    info.extra = {"MeariSignature": meta.signature, **meta.extra}
    c._doc.info = info  # reportlab has no public hook for custom Info keys
    if meta.intent is not None:
        from .icc import add_output_intent

        add_output_intent(c, meta.intent)
    return c


def _draw_op(c, op) -> None:
    kind = op[0]
    if kind == "fill":
        _, x, y, w, h, cmyk = op
        c.setFillColorCMYK(*cmyk)
        c.rect(x, y, w, h, stroke=0, fill=1)
    elif kind == "frame":
        _, x, y, w, h, lw, cmyk = op
        c.setStrokeColorCMYK(*cmyk)
        c.setLineWidth(lw)
        c.rect(x, y, w, h, stroke=1, fill=0)
    elif kind == "rule":
        _, x0, y0, x1, y1, lw, cmyk = op
        c.setStrokeColorCMYK(*cmyk)
        c.setLineWidth(lw)
        c.line(x0, y0, x1, y1)
    elif kind == "picto":
        _, name, x, y, s, cmyk = op
        pictograms.draw(c, name, x, y, s, cmyk)
    elif kind == "disc":
        _, cx, cy, r, label, font, size, cmyk = op
        c.setFillColorCMYK(*cmyk)
        c.circle(cx, cy, r, stroke=0, fill=1)
        c.setFillColorCMYK(*C.WHITE)
        c.setFont(font, size)
        c.drawCentredString(cx, cy - size * 0.36, label)
    elif kind == "text":
        t = op[1]
        tx = c.beginText()
        tx.setFont(t.font, t.size)
        tx.setFillColorCMYK(*t.color)
        cur = t.font
        for (x, y, _s), runs in zip(t.lines, t.runs or [[(t.font, ln[2])] for ln in t.lines], strict=True):
            tx.setTextOrigin(x, y)
            for font, part in runs:
                if font != cur:
                    tx.setFont(font, t.size)
                    cur = font
                tx.textOut(part)
        c.drawText(tx)
    else:  # pragma: no cover - layout only emits the kinds above
        raise ValueError(kind)


def draw_stamp(c, w: float, h: float, font: str) -> None:
    """A diagonal red NOT APPROVED across the trim: unmistakable on screen and on paper."""
    import math

    from reportlab.pdfbase import pdfmetrics

    ang = math.degrees(math.atan2(h, w))
    diag = math.hypot(w, h)
    size = min(diag * 0.8 / max(1.0, pdfmetrics.stringWidth(STAMP_TEXT, font, 1.0)), h * 0.3)
    c.saveState()
    c.translate(w / 2, h / 2)
    c.rotate(ang)
    c.setFillColorCMYK(*C.STAMP_RED)
    c.setStrokeColorCMYK(*C.WHITE)
    c.setLineWidth(size * 0.04)
    tx = c.beginText()
    tx.setTextRenderMode(2)  # fill + white outline: readable over dark bands too
    tx.setFont(font, size)
    tx.setTextOrigin(-pdfmetrics.stringWidth(STAMP_TEXT, font, size) / 2, -size * 0.36)
    tx.textOut(STAMP_TEXT)
    c.drawText(tx)
    c.restoreState()


def make_forms(c, layout: Layout, stamp: bool, prefix: str = "side") -> list[str]:
    """Draw each side's static content once as a form XObject; return the form names."""
    bleed = BLEED_MM * MM
    w, h = layout.size.w, layout.size.h
    names = []
    for i, side in enumerate(layout.sides):
        name = f"{prefix}{i}"
        c.beginForm(name, lowerx=-bleed, lowery=-bleed, upperx=w + bleed, uppery=h + bleed)
        for op in side.ops:
            _draw_op(c, op)
        if stamp:
            draw_stamp(c, w, h, layout.fonts["latin-bold"])
        end_form(c)
        names.append(name)
    return names


def draw_dynamic(c, side: SideLayout, serial: str | None) -> None:
    """Per-copy text (the serial), aligned in its box."""
    from reportlab.pdfbase import pdfmetrics

    if serial is None:
        return
    for d in side.dyn:
        _draw_dyn(c, d, serial, pdfmetrics.stringWidth)


def _draw_dyn(c, d: DynOp, serial: str, sw) -> None:
    s = d.fmt.format_map({**d.values, "serial": serial})
    own = d.own
    if not own or all(ord(ch) in own for ch in s):
        parts = [(d.font, s)]
    else:  # a character the box's face lacks: set that run in the other family's face
        from meari.glyphs import runs

        parts = [(d.font if fam == d.family else d.alt_font, t) for fam, t in runs(s, d.family)]
    w = sum(sw(t, f, d.size) for f, t in parts)
    b = d.box
    x = b.x if d.align == "left" else b.x + b.w - w if d.align == "right" else b.x + (b.w - w) / 2
    c.setFillColorCMYK(*d.color)
    for f, t in parts:
        c.setFont(f, d.size)
        c.drawString(x, d.baseline, t)
        x += sw(t, f, d.size)


def _largest_gap(marks: list[float], lo: float, hi: float) -> tuple[float, float]:
    """(centre, width) of the widest free stretch between ``lo``, the marks, and ``hi``."""
    pts = sorted([lo, *[m for m in marks if lo < m < hi], hi])
    a, b = max(zip(pts, pts[1:], strict=False), key=lambda p: p[1] - p[0])
    return (a + b) / 2, b - a


def _target(c, x: float, y: float, r: float) -> None:
    """A registration target: circle and cross, stroked in the current (registration) colour."""
    c.circle(x, y, r, stroke=1, fill=0)
    c.circle(x, y, r * 0.45, stroke=1, fill=0)
    c.line(x - r * 1.4, y, x + r * 1.4, y)
    c.line(x, y - r * 1.4, x, y + r * 1.4)


def printer_marks(c, xs: list[float], ys: list[float], outer: tuple[float, float, float, float],
                  page: tuple[float, float], off: float = MARK_OFFSET_MM * MM, ln: float = MARK_LEN_MM * MM) -> None:
    """Crop marks on every trim line ``xs``/``ys``, outside ``outer`` (the bleed box or the imposed
    grid's outer bleed), and a registration target in the middle of each side where it fits, all
    in the registration colour so they print on every plate (press operators check register by them).
    """
    ox0, oy0, ox1, oy1 = outer
    pw, ph = page
    c.saveState()
    reg = C.registration()
    c.setStrokeColor(reg)
    c.setFillColor(reg)
    c.setLineWidth(MARK_WIDTH)
    p = c.beginPath()
    for x in xs:
        p.moveTo(x, oy0 - off)
        p.lineTo(x, oy0 - off - ln)
        p.moveTo(x, oy1 + off)
        p.lineTo(x, oy1 + off + ln)
    for y in ys:
        p.moveTo(ox0 - off, y)
        p.lineTo(ox0 - off - ln, y)
        p.moveTo(ox1 + off, y)
        p.lineTo(ox1 + off + ln, y)
    c.drawPath(p, stroke=1, fill=0)
    r = TARGET_R_MM * MM
    reach = 1.4 * r
    need = 2 * reach + 2 * MM  # free length along the edge: the cross plus 1 mm each side
    depth = off + 2 * reach  # distance from the outer box to the far end of the target
    # Bottom and top: centred in the widest gap between crop marks; left and right likewise.
    cx, gap = _largest_gap(xs, ox0, ox1)
    if gap >= need:
        if oy0 - depth >= 0:
            _target(c, cx, oy0 - off - reach, r)
        if oy1 + depth <= ph:
            _target(c, cx, oy1 + off + reach, r)
    cy, gap = _largest_gap(ys, oy0, oy1)
    if gap >= need:
        if ox0 - depth >= 0:
            _target(c, ox0 - off - reach, cy, r)
        if ox1 + depth <= pw:
            _target(c, ox1 + off + reach, cy, r)
    c.restoreState()


def crop_marks(c, x0: float, y0: float, x1: float, y1: float, outer: tuple[float, float, float, float],
               page: tuple[float, float] | None = None) -> None:
    """Crop marks and registration targets for one trim rect (x0,y0)-(x1,y1), outside ``outer``."""
    page = page or (outer[2] + outer[0], outer[3] + outer[1])
    printer_marks(c, [x0, x1], [y0, y1], outer, page)


MARKS_FORM = "marks"


def marks_form(c, page: tuple[float, float], draw) -> str:
    """The page's printer marks as one form XObject, drawn once and placed on every page (a
    1,000-copy run repeats the same marks 2,000 times: one form keeps the file small and fast)."""
    c.beginForm(MARKS_FORM, lowerx=0, lowery=0, upperx=page[0], uppery=page[1])
    draw()
    end_form(c)
    return MARKS_FORM


def end_form(c) -> None:
    """``c.endForm()``, giving the form the colour space resources it uses.

    reportlab writes a form's /Resources without /ColorSpace, so a form that sets the
    registration separation (``/All cs``) would name a colour space it does not define, which
    preflight rejects and viewers may render as black or not at all.
    """
    from reportlab.pdfbase import pdfdoc

    used = dict(c._colorsUsed)
    if not used:
        c.endForm()
        return
    res = pdfdoc.PDFResourceDictionary()
    res.basicFonts()
    res.allProcs()
    res.setColorSpace(used)
    c.endForm(Resources=res)


def page_geometry(layout: Layout) -> dict[str, tuple[float, float, float, float]]:
    """MediaBox, BleedBox and TrimBox (points) of a single-leaflet page."""
    bleed, slug = BLEED_MM * MM, SLUG_MM * MM
    w, h = layout.size.w, layout.size.h
    m = bleed + slug
    return {
        "media": (0.0, 0.0, w + 2 * m, h + 2 * m),
        "bleed": (slug, slug, slug + w + 2 * bleed, slug + h + 2 * bleed),
        "trim": (m, m, m + w, m + h),
    }


def write_single(path, layout: Layout, serials: list[str | None], meta: DocMeta, stamp: bool) -> None:
    """Write ``len(serials)`` two-sided leaflets (front, back pages) into one PDF at ``path``."""
    g = page_geometry(layout)
    mw, mh = g["media"][2], g["media"][3]
    c = new_canvas(path, meta, (mw, mh))
    c.setBleedBox(g["bleed"])
    c.setTrimBox(g["trim"])
    forms = make_forms(c, layout, stamp)
    marks = marks_form(c, (mw, mh), lambda: crop_marks(c, *g["trim"], outer=g["bleed"], page=(mw, mh)))
    tx, ty = g["trim"][0], g["trim"][1]
    for serial in serials:
        for form, side in zip(forms, layout.sides, strict=True):
            c.saveState()
            c.translate(tx, ty)
            c.doForm(form)
            draw_dynamic(c, side, serial)
            c.restoreState()
            c.doForm(marks)
            c.showPage()
    c.save()
