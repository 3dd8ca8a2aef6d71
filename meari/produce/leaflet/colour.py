"""Print colour for leaflets: CMYK process colours, 100 % black text, and the registration colour.

Why CMYK, not RGB: a press prints cyan, magenta, yellow and black; an RGB file is converted by
the shop's RIP with a profile we do not know, and text set in RGB black comes out as four-colour
"rich black" that blurs when the plates are a hair out of register. So templates name their
brand colours as CMYK percentages, text is 100 % K only (or white, i.e. no ink on a colour
band), and crop marks and registration targets use the *registration* colour, a Separation
named ``All`` that prints on every plate (PDF 1.7, 8.6.6.4).

Template colour values are ``[C, M, Y, K]`` percentages, a name from the template's ``colors:``
map, or one of the built-in names below.
"""

from __future__ import annotations

from collections.abc import Mapping

CMYK = tuple[float, float, float, float]  # fractions 0..1, as the PDF operators take them

BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)  # 100 % K: the only ink text may use
WHITE: CMYK = (0.0, 0.0, 0.0, 0.0)  # paper: text knocked out of a colour band
# The NOT APPROVED stamp: a warm red (0/100/100/10) the operator cannot miss.
STAMP_RED: CMYK = (0.0, 1.0, 1.0, 0.1)
BUILTIN = {"black": BLACK, "white": WHITE}
# A sane total area coverage for uncoated leaflet paper; brand colours must stay below it.
MAX_INK = 300.0


def naive_cmyk(hex_color: str) -> list[int]:
    """The device-naive CMYK of ``#rrggbb`` (percentages): only a starting point for an error message."""
    v = int(hex_color[1:], 16)
    r, g, b = (v >> 16) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0
    k = 1 - max(r, g, b)
    if k >= 1:
        return [0, 0, 0, 100]
    return [round(100 * (1 - x - k) / (1 - k)) for x in (r, g, b)] + [round(100 * k)]


def check_value(v) -> str | list[float]:
    """Validate a colour value as a template gives it (a name or ``[C, M, Y, K]`` percentages)."""
    if isinstance(v, str):
        if v.startswith("#"):
            hint = ""
            try:
                if len(v) == 7:
                    hint = f" (a device-naive conversion gives {naive_cmyk(v)}; ask the print shop)"
            except ValueError:
                pass
            raise ValueError(f"colour {v!r} is RGB; leaflets print in CMYK: give [C, M, Y, K] percentages{hint} "
                             "or a name from the template's colors")
        if not v.strip():
            raise ValueError("empty colour name")
        return v
    if isinstance(v, (list, tuple)) and len(v) == 4 and all(isinstance(x, (int, float)) for x in v):
        if not all(0 <= x <= 100 for x in v):
            raise ValueError(f"CMYK percentages {list(v)} must each be 0..100")
        if sum(v) > MAX_INK:
            raise ValueError(f"CMYK {list(v)} puts {sum(v):g} % ink on paper; keep the total under {MAX_INK:g} %")
        return [float(x) for x in v]
    raise ValueError(f"colour {v!r} must be [C, M, Y, K] percentages or a colour name")


def resolve(v: str | list[float], named: Mapping[str, list[float]]) -> CMYK:
    """A template colour value -> CMYK fractions. Raises KeyError for an unknown name."""
    if isinstance(v, str):
        if v in named:
            v = named[v]
        elif v in BUILTIN:
            return BUILTIN[v]
        else:
            raise KeyError(v)
    c, m, y, k = (float(x) / 100.0 for x in v)
    return (c, m, y, k)


def is_text_ink(c: CMYK) -> bool:
    """Text may be 100 % K (printed) or white (no ink: knocked out of a band), nothing else."""
    return c in (BLACK, WHITE)


def registration():
    """The registration colour: /Separation /All, alternate DeviceCMYK 100/100/100/100."""
    from reportlab.lib.colors import CMYKColorSep

    return CMYKColorSep(1, 1, 1, 1, spotName="All")


def enforce_cmyk(c):
    """reportlab colour check: DeviceCMYK or a CMYK-based separation pass; anything else raises.

    (reportlab's own ``enforceColorSpace="cmyk"`` turns separations into process CMYK, which would
    put the crop marks on the four process plates as a rich black instead of /All.)
    """
    from reportlab.lib.colors import CMYKColor, toColor

    tc = c if isinstance(c, CMYKColor) else toColor(c)
    if not isinstance(tc, CMYKColor):
        raise ValueError(f"leaflets print in CMYK; refusing non-CMYK colour {c!r}")
    return tc
