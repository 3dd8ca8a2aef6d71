"""PNG previews of leaflet sides, rasterised from the real PDF with pypdfium2 (no poppler).

A preview shows the bleed box: what the press prints on the piece before it is trimmed. It is
made from the PDF itself, so what you see is what was written (NOT APPROVED stamp included).
"""

from __future__ import annotations

import os
from pathlib import Path

from meari.atomic import atomic_path
from meari.errors import MeariError

DPI = 200


def render_pages(pdf: str | Path, pages: list[int], dpi: int = DPI, box: str = "bleed"):
    """Yield PIL images of ``pages`` (0-based), cropped to the page's ``box`` (bleed|trim|media)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        for i in pages:
            page = doc[i]
            mb = page.get_mediabox()
            if box == "media":
                crop = (0, 0, 0, 0)
            else:
                r = page.get_bleedbox() if box == "bleed" else page.get_trimbox()
                crop = (r[0] - mb[0], r[1] - mb[1], mb[2] - r[2], mb[3] - r[3])
            bitmap = page.render(scale=dpi / 72.0, crop=crop)
            yield bitmap.to_pil()
    finally:
        doc.close()


def write_previews(pdf: str | Path, outdir: str | Path, stem: str, sides: tuple[str, ...] = ("front", "back"),
                   dpi: int = DPI) -> list[Path]:
    """One PNG per side of the first leaflet in ``pdf``: ``outdir/<stem>-<side>.png``."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise MeariError("is not a directory", str(outdir))
    written = []
    for side, img in zip(sides, render_pages(pdf, list(range(len(sides))), dpi), strict=True):
        path = outdir / f"{stem}-{side}.png"
        with atomic_path(path) as tmp:
            img.save(tmp, format="PNG", optimize=False)
            os.chmod(tmp, 0o644)
        written.append(path)
    return written
