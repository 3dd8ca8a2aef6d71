"""Print-ready leaflets and safe-conduct passes.

    prep = prepare(message, template="appeal", size="6x3")   # every check + layout, no files
    write_pdf(prep, "out.pdf", count=1)                        # two-sided leaflet(s), atomic
    write_imposed(prep, "out-A4.pdf", sheet="A4")              # n-up duplex sheet
    write_previews("out.pdf", "png/", "out")                   # PNG of each side

Templates are YAML data in ``meari/data/templates/`` (see docs/leaflet.md); the layout engine
(``layout.py``) turns them into positioned text, pictograms and fills.
"""

from __future__ import annotations

from .build import Prepared, format_serial, prepare, write_imposed, write_pdf
from .preview import write_previews
from .sizes import Size, parse_size
from .templates import list_templates, load_template

__all__ = [
    "Prepared",
    "Size",
    "format_serial",
    "list_templates",
    "load_template",
    "parse_size",
    "prepare",
    "write_imposed",
    "write_pdf",
    "write_previews",
]
