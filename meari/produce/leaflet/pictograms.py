"""Surrender-step pictograms drawn in code as vector paths (no bitmaps).

Why code, not images: vector paths stay sharp at any leaflet size, add a few hundred bytes to a
PDF instead of kilobytes, and can be re-coloured by a template. Each pictogram is drawn in a
100x100 unit square (y up) and scaled into its box; figures are stick figures with round caps,
the style of ISO 7010-like safety signs that read at a glance and across languages.
"""

from __future__ import annotations

from collections.abc import Callable

STROKE = 6.5  # limb width in pictogram units (of 100)
HEAD_R = 7.5


def _figure(c, head: tuple[float, float], neck: tuple[float, float], hip: tuple[float, float],
            limbs: list[list[tuple[float, float]]]) -> None:
    """Head disc, torso and limbs as polylines."""
    c.circle(head[0], head[1], HEAD_R, stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(*neck)
    p.lineTo(*hip)
    for limb in limbs:
        p.moveTo(*limb[0])
        for pt in limb[1:]:
            p.lineTo(*pt)
    c.drawPath(p, stroke=1, fill=0)


def _arrow(c, x0: float, y0: float, x1: float, y1: float, head: float = 9.0, dashed: bool = False) -> None:
    import math

    ang = math.atan2(y1 - y0, x1 - x0)
    bx, by = x1 - head * 0.9 * math.cos(ang), y1 - head * 0.9 * math.sin(ang)
    c.saveState()
    c.setLineWidth(STROKE * 0.7)
    if dashed:
        c.setDash(6, 5)
    c.line(x0, y0, bx, by)
    c.restoreState()
    p = c.beginPath()
    p.moveTo(x1, y1)
    for da in (2.6, -2.6):
        p.lineTo(x1 + head * math.cos(ang + da), y1 + head * math.sin(ang + da))
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _ground(c, y: float = 4.0) -> None:
    c.saveState()
    c.setLineWidth(2.0)
    c.line(4, y, 96, y)
    c.restoreState()


def weapon_down(c) -> None:
    """A soldier lays his rifle on the ground; an arrow points down to it."""
    _ground(c)
    _figure(c, (26, 84), (26, 74), (26, 42),
            [[(26, 42), (18, 22), (16, 6)], [(26, 42), (36, 24), (38, 6)],
             [(26, 70), (40, 56), (50, 44)], [(26, 70), (20, 54), (18, 44)]])
    # Rifle lying on the ground, muzzle to the right: stock, receiver, magazine, barrel.
    p = c.beginPath()
    p.moveTo(44, 8)
    p.lineTo(58, 11)
    p.lineTo(58, 19)
    p.lineTo(44, 18)
    p.close()
    p.rect(57, 12, 20, 8)
    p.moveTo(64, 12)
    p.lineTo(70, 12)
    p.lineTo(72, 4)
    p.lineTo(67, 4)
    p.close()
    p.rect(76, 15, 21, 3)
    c.drawPath(p, stroke=0, fill=1, fillMode=0)
    _arrow(c, 70, 64, 70, 27)


def hands_up(c) -> None:
    """Both hands raised, a white cloth in the right hand."""
    _ground(c)
    _figure(c, (46, 62), (46, 53), (46, 28),
            [[(46, 28), (38, 16), (36, 6)], [(46, 28), (54, 16), (56, 6)],
             [(46, 50), (32, 64), (28, 84)], [(46, 50), (60, 64), (64, 84)]])
    c.saveState()
    c.setFillColorCMYK(0, 0, 0, 0)
    c.setLineWidth(2.8)
    p = c.beginPath()
    p.moveTo(65, 96)
    p.curveTo(74, 99, 84, 93, 95, 96)
    p.lineTo(94, 76)
    p.curveTo(84, 73, 74, 79, 66, 76)
    p.close()
    c.drawPath(p, stroke=1, fill=1)
    c.restoreState()
    c.setLineWidth(STROKE * 0.6)
    c.line(64, 84, 65, 97)
    c.setLineWidth(STROKE)


def walk_slowly(c) -> None:
    """Walking with hands raised; a dashed arrow for slow, steady movement."""
    _ground(c)
    _figure(c, (40, 70), (40, 61), (38, 36),
            [[(38, 36), (48, 20), (52, 6)], [(38, 36), (30, 20), (20, 8)],
             [(40, 58), (28, 72), (26, 88)], [(40, 58), (52, 72), (54, 88)]])
    _arrow(c, 62, 30, 96, 30, head=8, dashed=True)


def follow_instructions(c) -> None:
    """Standing still, hands up, listening: a speech bubble with an exclamation mark."""
    _ground(c)
    _figure(c, (26, 58), (26, 49), (26, 26),
            [[(26, 26), (19, 14), (18, 6)], [(26, 26), (33, 14), (34, 6)],
             [(26, 46), (15, 60), (13, 76)], [(26, 46), (37, 60), (39, 76)]])
    c.saveState()
    c.setLineWidth(3.2)
    c.setFillColorCMYK(0, 0, 0, 0)
    p = c.beginPath()
    p.roundRect(50, 52, 46, 40, 9)
    c.drawPath(p, stroke=1, fill=1)
    c.restoreState()
    t = c.beginPath()
    t.moveTo(56, 54)
    t.lineTo(44, 40)
    t.lineTo(66, 53)
    t.close()
    c.drawPath(t, stroke=0, fill=1)
    c.roundRect(70, 68, 6.5, 19, 3, stroke=0, fill=1)
    c.circle(73.25, 60, 3.6, stroke=0, fill=1)


def lie_down(c) -> None:
    """Lying face down, arms stretched forward, legs apart (what captors often order)."""
    _ground(c)
    c.circle(24, 14, HEAD_R, stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(34, 11)
    p.lineTo(64, 10)
    p.lineTo(95, 8)
    p.moveTo(64, 10)
    p.lineTo(93, 17)
    p.moveTo(34, 13)
    p.lineTo(18, 26)
    p.lineTo(4, 26)
    c.drawPath(p, stroke=1, fill=0)


def show_pass(c) -> None:
    """Holding this pass up with both hands."""
    _ground(c)
    _figure(c, (50, 56), (50, 47), (50, 24),
            [[(50, 24), (43, 13), (41, 5)], [(50, 24), (57, 13), (59, 5)],
             [(50, 44), (36, 56), (30, 74)], [(50, 44), (64, 56), (70, 74)]])
    c.saveState()
    c.setFillColorCMYK(0, 0, 0, 0)
    c.setLineWidth(3.2)
    c.rect(22, 72, 56, 26, stroke=1, fill=1)
    c.setLineWidth(2.2)
    for y in (90, 84, 78):
        c.line(29, y, 71, y)
    c.restoreState()


PICTOGRAMS: dict[str, Callable] = {
    "weapon-down": weapon_down,
    "hands-up": hands_up,
    "walk-slowly": walk_slowly,
    "follow-instructions": follow_instructions,
    "lie-down": lie_down,
    "show-pass": show_pass,
}


def draw(c, name: str, x: float, y: float, size: float,
         color: tuple[float, float, float, float] = (0, 0, 0, 1)) -> None:
    """Draw pictogram ``name`` with its lower-left corner at (x, y), ``size`` points square, in CMYK ``color``."""
    c.saveState()
    c.translate(x, y)
    c.scale(size / 100.0, size / 100.0)
    c.setStrokeColorCMYK(*color)
    c.setFillColorCMYK(*color)
    c.setLineWidth(STROKE)
    c.setLineCap(1)
    c.setLineJoin(1)
    PICTOGRAMS[name](c)
    c.restoreState()
