"""Pocket cards for the interpreter: duplex pages of phrases (front) and answer aids (back).

Front: one phrase per row with the North Korean text large (what the prisoner reads), the
reader's language (Ukrainian, Russian or English), the Cyrillic transcription to read aloud,
the pictogram where a command can be shown, and what kind of answer to expect. Back (the
reverse of the same card, printed duplex): the answer aids the prisoner can point at for the
questions on the front: 예 / 아니요, digits 0-9, a calendar for dates, a body outline for
"where does it hurt", and the options of choice questions.

Fonts: Noto Sans KR (Korean) and DejaVu Sans (Cyrillic incl. і ї є ґ, Latin), the leaflet's
font set (:mod:`meari.produce.leaflet.fonts`); reportlab embeds subsets with ToUnicode maps, so
the text is extractable. The page is the trim size (no bleed: cards are white, cut anywhere).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from meari import __version__
from meari.atomic import atomic_path
from meari.errors import MeariError
from meari.produce.cards import pictos
from meari.produce.leaflet.text import break_lines

MM = 72.0 / 25.4
SIZES = {"A6": (105.0, 148.0), "85x55": (85.0, 55.0)}
READERS = ("uk", "ru", "en")
INK = (0.07, 0.07, 0.07)
BLUE = (0.114, 0.208, 0.341)
GREY = (0.38, 0.38, 0.38)
AMBER = (0.55, 0.30, 0.0)

# Words on the cards in the reader's language (written by the project: see docs/interpreter.md).
UI = {
    "uk": {"yes-no": "так / ні", "number": "цифри", "pointing": "покажіть", "choice": "вибір",
           "free": "відповідь словами", "voluntary": "добровільно", "required": "ЖК III ст. 17",
           "back": "зворот", "point": "Покажіть", "draft": "ЧЕРНЕТКА: переклади не перевірені", "yes": "так",
           "no": "ні", "months": "місяць", "days": "день", "where": "де болить?"},
    "ru": {"yes-no": "да / нет", "number": "цифры", "pointing": "покажите", "choice": "выбор",
           "free": "ответ словами", "voluntary": "добровольно", "required": "ЖК III ст. 17",
           "back": "оборот", "point": "Покажите", "draft": "ЧЕРНОВИК: переводы не проверены", "yes": "да",
           "no": "нет", "months": "месяц", "days": "день", "where": "где болит?"},
    "en": {"yes-no": "yes / no", "number": "digits", "pointing": "point", "choice": "choice",
           "free": "spoken answer", "voluntary": "voluntary", "required": "GC III Art. 17",
           "back": "back", "point": "Point", "draft": "DRAFT: translations not checked", "yes": "yes",
           "no": "no", "months": "month", "days": "day", "where": "where does it hurt?"},
}


@dataclass(frozen=True)
class CardStyle:
    """Type sizes and spacing for one card size (points, except the margin in mm)."""

    margin_mm: float
    header: float
    ko: float
    reader: float
    translit: float
    small: float
    picto_mm: float
    gap: float


STYLES = {
    "A6": CardStyle(margin_mm=5.0, header=9.0, ko=15.0, reader=9.0, translit=7.5, small=5.8, picto_mm=11.0, gap=4.0),
    "85x55": CardStyle(margin_mm=3.5, header=6.5, ko=11.0, reader=7.0, translit=6.0, small=4.8, picto_mm=8.0,
                       gap=2.5),
}


@dataclass
class CardsResult:
    path: Path
    pages: int
    cards: int
    phrases: int
    size: str
    reader: str


class _Fonts:
    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics

        from meari.produce.leaflet.fonts import register_fonts

        roles = register_fonts()
        self.kr = roles["kr-bold"]
        self.krr = roles["kr-regular"]
        self.lat = roles["latin-regular"]
        self.latb = roles["latin-bold"]
        self.sw = pdfmetrics.stringWidth

    def lines(self, text: str, font: str, size: float, width: float) -> list[str]:
        out = break_lines(text, width, lambda s: self.sw(s, font, size))
        if out is None:  # a single syllable wider than the line cannot happen at card sizes; keep it whole
            out = [text]
        return out


def _row_blocks(f: _Fonts, e, reader: str, st: CardStyle, width: float) -> list[tuple[str, float, list[str], tuple]]:
    """(font, size, lines, colour) blocks of one phrase row, top to bottom."""
    ui = UI[reader]
    blocks = [(f.kr, st.ko, f.lines(e.nk, f.kr, st.ko, width), INK),
              (f.latb, st.reader, f.lines(e.text(reader), f.latb, st.reader, width), BLUE)]
    if reader in ("uk", "ru"):  # no Latin transcription yet: an English reader gets none rather than Cyrillic
        tr = e.translit_uk if reader == "uk" else e.translit_ru
        blocks.append((f.lat, st.translit, f.lines(f"[{tr}]", f.lat, st.translit, width), GREY))
    meta = [e.id]
    if e.answer != "none":
        meta.append(f"» {ui[e.answer]}" + (f" ({ui['back']})" if e.answer in ("yes-no", "number", "pointing",
                                                                              "choice") else ""))
    if e.art17 in ("voluntary", "required"):
        meta.append(ui[e.art17])
    if reader != "en":
        meta.append(e.en)
    blocks.append((f.lat, st.small, f.lines(" · ".join(meta), f.lat, st.small, width), AMBER
                   if e.art17 == "voluntary" else GREY))
    return blocks


def _blocks_height(blocks) -> float:
    return sum(len(lines) * size * 1.18 for _, size, lines, _ in blocks)


class _Batch:
    """Text drawn on a page, emitted as one PDF text object at the end of the page.

    Why: reportlab writes every drawString as its own BT/ET block with font and colour set
    again; one text object that switches only when font or colour change is several times faster
    and makes a smaller file (the cards target is >= 50 pages/s).
    """

    def __init__(self) -> None:
        self.items: list[tuple[str, float, float, float, str, tuple]] = []

    def add(self, font: str, size: float, x: float, y: float, s: str, color) -> None:
        cmap = _cmap(font)
        lacking = {ch for ch in s if not ch.isspace() and ord(ch) not in cmap}
        if lacking:  # never print a box where a letter should be
            _MISSING.append((font, s, "".join(sorted(lacking))))
        self.items.append((font, size, x, y, s, tuple(color)))

    def flush(self, c) -> None:
        if not self.items:
            return
        tx = c.beginText()
        cur_font = cur_color = None
        for font, size, x, y, s, color in self.items:
            if (font, size) != cur_font:
                tx.setFont(font, size)
                cur_font = (font, size)
            if color != cur_color:
                tx.setFillColorRGB(*color)
                cur_color = color
            tx.setTextOrigin(x, y)
            tx.textOut(s)
        c.drawText(tx)
        self.items = []


_BATCH: dict[int, _Batch] = {}
_MISSING: list[tuple[str, str, str]] = []
_CMAPS: dict[str, frozenset[int]] = {}


def _cmap(font: str) -> frozenset[int]:
    """Code points the registered TrueType font has glyphs for."""
    got = _CMAPS.get(font)
    if got is None:
        from reportlab.pdfbase import pdfmetrics

        got = _CMAPS[font] = frozenset(pdfmetrics.getFont(font).face.charToGlyph)
    return got


def _text(c, font: str, size: float, x: float, y: float, s: str, color=INK) -> None:
    _BATCH.setdefault(id(c), _Batch()).add(font, size, round(x, 2), round(y, 2), s, color)


def _show_page(c) -> None:
    b = _BATCH.get(id(c))
    if b is not None:
        b.flush(c)
    c.showPage()


def _header(c, f: _Fonts, st: CardStyle, w: float, h: float, m: float, left: str, right: str) -> float:
    """Blue band with the module title; returns the y below it."""
    hh = st.header * 1.9
    c.setFillColorRGB(*BLUE)
    c.rect(0, h - hh - m * 0.4, w, hh + m * 0.4, stroke=0, fill=1)
    y = h - hh * 0.5 - st.header * 0.35 - m * 0.2
    _text(c, f.kr, st.header, m, y, left, (1, 1, 1))
    rw = f.sw(right, f.lat, st.header * 0.85)
    _text(c, f.lat, st.header * 0.85, w - m - rw, y, right, (1, 1, 1))
    return h - hh - m * 0.4 - st.gap


def _footer(c, f: _Fonts, st: CardStyle, w: float, m: float, text: str) -> None:
    _text(c, f.lat, st.small, m, m * 0.45, text, GREY)


def _front(c, f: _Fonts, st: CardStyle, w: float, h: float, title: tuple[str, str], rows, reader: str,
           foot: str) -> None:
    m = st.margin_mm * MM
    y = _header(c, f, st, w, h, m, *title)
    ps = st.picto_mm * MM
    for e, blocks, _rh, has_picto in rows:
        x = m + ps + st.gap  # the pictogram column is kept even when empty, so the Korean lines align
        top = y
        if has_picto:
            pictos.draw(c, e.pictogram, m, top - ps, ps, INK)
        for font, size, lines, color in blocks:
            for line in lines:
                y -= size * 1.18
                _text(c, font, size, x, y + size * 0.22, line, color)
        y = min(y, top - ps) if has_picto else y
        y -= st.gap * 0.5
        c.setStrokeColorRGB(0.8, 0.8, 0.8)
        c.setLineWidth(0.4)
        c.line(m, y, w - m, y)
        y -= st.gap * 0.5
    _footer(c, f, st, w, m, foot)


_DATE_WORDS = re.compile(r"\b(date|born|birth|calendar|day|month)\b", re.I)


def _aids_for(rows) -> list[str]:
    got = _needed(rows)
    # Room left is filled with the aids any question may need (yes/no, then digits).
    return got + [a for a in ("yes-no", "number") if a not in got]


def _needed(rows) -> list[str]:
    """The aids the questions on a front need, most specific first."""
    need: set[str] = set()
    for e, *_ in rows:
        if e.answer in ("choice", "yes-no", "number"):
            need.add(e.answer)
        if e.pictogram in ("body", "pain") or (e.answer == "pointing" and e.module == "medical"):
            need.add("body")
        if e.pictogram == "calendar" or _DATE_WORDS.search(e.en):
            need.add("calendar")
    return [a for a in ("choice", "body", "calendar", "yes-no", "number") if a in need]


def _panel_height(aid: str, st: CardStyle, w: float, rows) -> float:
    unit = st.ko * 1.18
    if aid == "yes-no":
        return unit * 3.2
    if aid == "number":
        return unit * 4.4
    if aid == "calendar":
        return unit * 9.0
    if aid == "body":
        return unit * 8.0
    n = sum(len(e.choices) for e, *_ in rows if e.answer == "choice")
    return unit * 1.9 * (n + 1)


def _back(c, f: _Fonts, st: CardStyle, w: float, h: float, rows, reader: str, foot: str) -> list[str]:
    """Answer aids; returns the aids drawn (those that did not fit are named in the footer)."""
    ui = UI[reader]
    m = st.margin_mm * MM
    y = _header(c, f, st, w, h, m, "가리키십시오", ui["point"])
    drawn: list[str] = []
    inner = w - 2 * m
    needed = _needed(rows)
    for aid in _aids_for(rows):
        ph = _panel_height(aid, st, w, rows)
        room = y - m * 1.6
        if aid in ("body", "calendar"):
            # leave room for the aids still needed after this one (예 / 아니요 for the questions on the front)
            later = needed[needed.index(aid) + 1:] if aid in needed else []
            reserve = sum(_panel_height(a, st, w, rows) + st.gap for a in later if a not in ("body", "calendar"))
            fit = room - reserve
            if ph > fit >= 0.6 * ph:
                ph = fit  # a drawing may shrink to fit beside the other aids
        if ph > room and drawn:
            continue
        top = y
        if aid == "yes-no":
            bw = (inner - st.gap) / 2
            bh = ph - st.gap
            for i, (ko, tr) in enumerate((("예", ui["yes"]), ("아니요", ui["no"]))):
                x = m + i * (bw + st.gap)
                c.setStrokeColorRGB(*INK)
                c.setLineWidth(1.2)
                c.roundRect(x, top - bh, bw, bh, 4, stroke=1, fill=0)
                size = st.ko * 1.9
                kw = f.sw(ko, f.kr, size)
                _text(c, f.kr, size, x + (bw - kw) / 2, top - bh * 0.55, ko)
                tw = f.sw(tr, f.lat, st.reader)
                _text(c, f.lat, st.reader, x + (bw - tw) / 2, top - bh + st.reader * 0.6, tr, BLUE)
        elif aid == "number":
            cw = inner / 5
            chh = (ph - st.gap) / 2
            for d in range(10):
                x = m + (d % 5) * cw
                yy = top - (d // 5 + 1) * chh
                c.setStrokeColorRGB(*INK)
                c.setLineWidth(0.8)
                c.rect(x, yy, cw, chh, stroke=1, fill=0)
                s = str(d)
                size = min(chh * 0.7, st.ko * 1.8)
                _text(c, f.kr, size, x + (cw - f.sw(s, f.kr, size)) / 2, yy + chh * 0.25, s)
        elif aid == "calendar":
            lab = st.small * 1.4
            _text(c, f.krr, lab, m, top - lab, "월 · ", GREY)  # Korean and Cyrillic need their own fonts
            _text(c, f.lat, lab, m + f.sw("월 · ", f.krr, lab), top - lab, ui["months"], GREY)
            cw = inner / 6
            rh = st.ko * 1.18
            for i in range(12):
                x = m + (i % 6) * cw
                yy = top - lab * 1.3 - (i // 6 + 1) * rh
                c.setLineWidth(0.6)
                c.rect(x, yy, cw, rh, stroke=1, fill=0)
                s = f"{i + 1}월"
                size = min(st.reader * 1.1, rh * 0.6)
                _text(c, f.kr, size, x + (cw - f.sw(s, f.kr, size)) / 2, yy + rh * 0.3, s)
            y2 = top - lab * 1.3 - 2 * rh - st.gap
            _text(c, f.krr, lab, m, y2 - lab, "일 · ", GREY)
            _text(c, f.lat, lab, m + f.sw("일 · ", f.krr, lab), y2 - lab, ui["days"], GREY)
            cw = inner / 8
            dh = (y2 - lab * 1.3 - (top - ph)) / 4
            for d in range(31):
                x = m + (d % 8) * cw
                yy = y2 - lab * 1.3 - (d // 8 + 1) * dh
                c.rect(x, yy, cw, dh, stroke=1, fill=0)
                s = str(d + 1)
                size = min(st.reader * 1.1, dh * 0.6)
                _text(c, f.kr, size, x + (cw - f.sw(s, f.kr, size)) / 2, yy + dh * 0.3, s)
        elif aid == "body":
            size = ph - st.gap
            pictos.draw(c, "body", m + (inner - size) / 2, top - size, size, INK)
            lab = st.small * 1.5
            _text(c, f.kr, lab * 1.2, m, top - lab * 1.3, "어디가 아픕니까?")
            _text(c, f.lat, lab, m, top - lab * 2.7, ui["where"], BLUE)
            # the prisoner's own right is on the viewer's left in a front view
            _text(c, f.krr, lab, m, top - size * 0.55, "오른쪽", GREY)
            rw = f.sw("왼쪽", f.krr, lab)
            _text(c, f.krr, lab, w - m - rw, top - size * 0.55, "왼쪽", GREY)
        elif aid == "choice":
            yy = top
            for e, *_ in rows:
                if e.answer != "choice":
                    continue
                _text(c, f.krr, st.small * 1.3, m, yy - st.small * 1.3, f"{e.id}: {e.nk}"[:80], GREY)
                yy -= st.small * 1.3 * 1.4
                for ch in e.choices:
                    bh = st.ko * 1.7
                    c.setLineWidth(0.8)
                    c.roundRect(m, yy - bh, inner, bh, 3, stroke=1, fill=0)
                    _text(c, f.kr, st.ko, m + st.gap, yy - bh * 0.62, ch["nk"])
                    tr = ch[reader]
                    tw = f.sw(tr, f.lat, st.reader)
                    _text(c, f.lat, st.reader, w - m - st.gap - tw, yy - bh * 0.62, tr, BLUE)
                    yy -= bh + st.gap * 0.5
        drawn.append(aid)
        y = top - ph - st.gap
    _footer(c, f, st, w, m, foot)
    return drawn


def _back_fits(rows, st: CardStyle, w: float, avail: float) -> bool:
    need = _needed(rows)
    total = sum(_panel_height(a, st, w, rows) + st.gap for a in need)
    # body and calendar drawings may shrink to 60 %
    shrink = sum(0.4 * _panel_height(a, st, w, rows) for a in need if a in ("body", "calendar"))
    return total - shrink <= avail


def paginate(entries, reader: str, size: str) -> list[tuple[str, list]]:
    """Split entries into fronts: [(module, [(entry, blocks, height, has_picto), ...]), ...]."""
    f = _Fonts()
    st = STYLES[size]
    wmm, hmm = SIZES[size]
    w, h = wmm * MM, hmm * MM
    m = st.margin_mm * MM
    avail = h - (st.header * 1.9 + m * 0.4 + st.gap) - m * 1.6
    back_avail = avail
    ps = st.picto_mm * MM
    pages: list[tuple[str, list]] = []
    cur: list = []
    cur_mod = None
    used = 0.0
    for e in entries:
        has_picto = bool(e.pictogram and e.pictogram in pictos.PICTOS)
        width = w - 2 * m - ps - st.gap
        blocks = _row_blocks(f, e, reader, st, width)
        rh = max(_blocks_height(blocks), ps if has_picto else 0) + st.gap
        # A new card when the front is full, or when the back could not hold the aids its questions need.
        if cur and (e.module != cur_mod or used + rh > avail or not _back_fits(cur + [(e, blocks, rh, has_picto)],
                                                                                 st, w, back_avail)):
            pages.append((cur_mod, cur))
            cur, used = [], 0.0
        cur_mod = e.module
        cur.append((e, blocks, rh, has_picto))
        used += rh
    if cur:
        pages.append((cur_mod, cur))
    return pages


def write_cards(book, entries, out: str | Path, size: str = "A6", reader: str = "uk") -> CardsResult:
    """Write the duplex card PDF (front, back, front, back …) atomically."""
    from reportlab.pdfgen import canvas

    if size not in SIZES:
        raise MeariError(f"unknown card size {size!r}; use {' or '.join(SIZES)}", "--size")
    if reader not in READERS:
        raise MeariError(f"unknown reader language {reader!r}; use {', '.join(READERS)}", "--reader")
    entries = [e for e in entries if e.kind == "phrase"]
    if not entries:
        raise MeariError("no phrases to put on cards", "--module")
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise MeariError("output must end in .pdf", str(out))
    if out.is_dir():
        raise MeariError("is a directory; give a file name ending in .pdf", str(out))
    f = _Fonts()
    st = STYLES[size]
    wmm, hmm = SIZES[size]
    w, h = wmm * MM, hmm * MM
    titles = {m.name: m.title for m in book.modules}
    pages = paginate(entries, reader, size)
    digest = hashlib.sha256("\n".join(f"{e.id}\t{e.nk}\t{e.text(reader)}" for e in entries).encode()).hexdigest()[:12]
    signature = f"meari:{__version__}|cards|{size}|{reader}|phrases:{len(entries)}|in:{digest}"
    _MISSING.clear()
    with atomic_path(out) as tmp:
        c = canvas.Canvas(str(tmp), pagesize=(w, h), invariant=1, pageCompression=1, initialFontName=f.lat)
        c.setTitle("meari interpreter cards")
        c.setAuthor("meari")
        c.setSubject(f"{len(entries)} phrases, {size}, reader {reader}; draft translations, check before use")
        c.setKeywords(signature)
        c.setCreator(f"meari {__version__}")
        try:
            for n, (mod, rows) in enumerate(pages, 1):
                t = titles.get(mod, {})
                foot = f"meari · {UI[reader]['draft']} · {n}/{len(pages)}"
                _front(c, f, st, w, h, (t.get("ko", mod), t.get(reader, mod)), rows, reader, foot)
                _show_page(c)
                _back(c, f, st, w, h, rows, reader, foot)
                _show_page(c)
        finally:
            _BATCH.pop(id(c), None)  # never let a failed document's text reach the next canvas
        if _MISSING:
            font, text, chars = _MISSING[0]
            n = len(_MISSING)
            _MISSING.clear()
            raise MeariError(f"font {font} has no glyph for {chars!r} (in {text!r}; {n} string(s)): "
                             "the card would print boxes", str(out))
        from reportlab import rl_config

        a85 = rl_config.useA85
        rl_config.useA85 = 0  # binary zlib streams: ASCII85 only inflates the file and costs time
        try:
            c.save()
        finally:
            rl_config.useA85 = a85
    return CardsResult(out, 2 * len(pages), len(pages), len(entries), size, reader)
