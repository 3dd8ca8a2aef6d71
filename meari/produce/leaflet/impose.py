"""Imposition: n-up copies on a press sheet, fronts on one page, mirrored backs on the next.

Layout: leaflets are placed unrotated in a grid centred on the sheet, portrait or landscape,
whichever holds more. By default copies are ``2 x bleed`` apart so each keeps its full bleed and
is cut free with two cuts per gutter; ``gutter_mm=0`` butts the trims (shared cuts; bleed only
on the outside of the grid). A margin of ``MARGIN_MM`` around the grid's outer bleed holds the
crop marks, which are drawn on every trim line, outside the grid, so they never print on a piece.

Duplex: backs are placed so that they back up their fronts when the sheet is turned over its
*long edge* (the printer's "flip on long edge"). On a portrait sheet the long edge is vertical,
so a cell at x on the front is at ``W - x - w`` on the back; on a landscape sheet it is
horizontal, so y is mirrored instead. The back content stays upright on the back page.

Counts with the defaults: 6x3 in on A4 = 3 (portrait, 1x3); on SRA3 = 6 (landscape, 2x3).
SRA3 holds 8 or more only with shared cuts (``gutter_mm=0``: 10, portrait 2x5, with short 3 mm
crop marks in a 4.5 mm margin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from meari.errors import MeariError

from .layout import Layout
from .render import DocMeta, draw_dynamic, make_forms, marks_form, new_canvas, printer_marks
from .sizes import BLEED_MM, MARK_LEN_MM, MARK_OFFSET_MM, MM, Size

SHEETS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "SRA3": (320.0, 450.0)}
EDGE_MM = 1.0  # paper left beyond the crop marks
# (offset from the bleed, mark length): normal marks, and short marks used only when they let the
# sheet hold more copies (a press that prints close to the sheet edge; SRA3 with shared cuts).
MARKS_MM = [(MARK_OFFSET_MM, MARK_LEN_MM), (0.5, 3.0)]


@dataclass(frozen=True)
class Grid:
    sheet_name: str
    w: float  # sheet, points
    h: float
    cols: int
    rows: int
    cell_w: float  # trim, points
    cell_h: float
    gutter: float
    fronts: list[tuple[float, float]]  # trim lower-left of each copy, reading order
    backs: list[tuple[float, float]]
    mark_offset: float = MARK_OFFSET_MM * MM
    mark_len: float = MARK_LEN_MM * MM

    @property
    def n_up(self) -> int:
        return self.cols * self.rows

    @property
    def landscape(self) -> bool:
        return self.w > self.h


MAX_GUTTER_MM = 50.0  # wider gutters waste the sheet; a typo (60 for 6) is caught


def _count(avail: float, cell: float, gutter: float) -> int:
    return max(0, math.floor((avail + gutter + 1e-6) / (cell + gutter)))


def plan(sheet: str, size: Size, gutter_mm: float | None = None) -> Grid:
    """Choose orientation and grid for ``size`` on ``sheet``; MeariError if nothing fits."""
    key = (sheet or "").upper()
    if key not in SHEETS_MM:
        raise MeariError(f"unknown sheet {sheet!r}; use {', '.join(SHEETS_MM)}", "--impose")
    g_mm = 2 * BLEED_MM if gutter_mm is None else gutter_mm
    if not 0 <= g_mm <= MAX_GUTTER_MM:  # also refuses NaN
        raise MeariError(f"gutter {g_mm:g} mm must be between 0 and {MAX_GUTTER_MM:g}", "--gutter")
    sw, sh = SHEETS_MM[key]
    best = None
    for off, ln in MARKS_MM:
        margin = EDGE_MM + ln + off
        for W, H in ((sw, sh), (sh, sw)):  # portrait first: wins ties; normal marks win ties too
            avail_w = W - 2 * (margin + BLEED_MM)
            avail_h = H - 2 * (margin + BLEED_MM)
            cols, rows = _count(avail_w, size.w_mm, g_mm), _count(avail_h, size.h_mm, g_mm)
            if best is None or cols * rows > best[2] * best[3]:
                best = (W, H, cols, rows, off, ln)
    W, H, cols, rows, off, ln = best
    if cols * rows == 0:
        raise MeariError(f"a {size.w_mm:g}x{size.h_mm:g} mm leaflet with bleed and crop marks does not fit on {key}",
                         "--impose")
    W, H, g = W * MM, H * MM, g_mm * MM
    cw, ch = size.w, size.h
    gw = cols * cw + (cols - 1) * g
    gh = rows * ch + (rows - 1) * g
    x0, y0 = (W - gw) / 2, (H - gh) / 2
    fronts, backs = [], []
    for r in range(rows):
        for col in range(cols):
            x = x0 + col * (cw + g)
            y = y0 + gh - ch - r * (ch + g)  # first row at the top
            fronts.append((x, y))
            backs.append((W - x - cw, y) if H >= W else (x, H - y - ch))
    return Grid(key, W, H, cols, rows, cw, ch, g, fronts, backs, off * MM, ln * MM)


def _marks(c, grid: Grid) -> None:
    """Crop marks on every trim line, outside the grid's outer bleed, and registration targets."""
    b = BLEED_MM * MM
    xs = sorted({round(v, 3) for x, _ in grid.fronts for v in (x, x + grid.cell_w)})
    ys = sorted({round(v, 3) for _, y in grid.fronts for v in (y, y + grid.cell_h)})
    outer = (min(xs) - b, min(ys) - b, max(xs) + b, max(ys) + b)
    printer_marks(c, xs, ys, outer, (grid.w, grid.h), grid.mark_offset, grid.mark_len)


def write(path, layout: Layout, grid: Grid, serials: list[str | None], meta: DocMeta, stamp: bool) -> None:
    """Sheets of ``grid.n_up`` copies: page 2k = fronts, 2k+1 = backs; empty cells stay blank."""
    c = new_canvas(path, meta, (grid.w, grid.h))
    forms = make_forms(c, layout, stamp)
    marks = marks_form(c, (grid.w, grid.h), lambda: _marks(c, grid))
    b = BLEED_MM * MM
    reach = min(b, grid.gutter / 2) if grid.gutter < 2 * b else b  # never print into a neighbour's piece
    for start in range(0, len(serials), grid.n_up):
        chunk = serials[start:start + grid.n_up]
        for side_i, positions in ((0, grid.fronts), (1, grid.backs)):
            side = layout.sides[side_i]
            for serial, (x, y) in zip(chunk, positions, strict=False):
                c.saveState()
                c.translate(x, y)
                clip = c.beginPath()
                clip.rect(-reach, -reach, grid.cell_w + 2 * reach, grid.cell_h + 2 * reach)
                c.clipPath(clip, stroke=0, fill=0)
                c.doForm(forms[side_i])
                draw_dynamic(c, side, serial)
                c.restoreState()
            c.doForm(marks)
            c.showPage()
    c.save()
