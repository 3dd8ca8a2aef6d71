"""Pictograms for the pocket cards: the leaflet's surrender pictograms plus a few of our own.

Same conventions as :mod:`meari.produce.leaflet.pictograms` (100x100 units, y up, stick figures
with round caps), so the cards and the leaflets look like one family. ``medic`` is a bandage
roll, never a red cross: the emblem is protected (GC I Art. 38, 44).
"""

from __future__ import annotations

from collections.abc import Callable

from meari.produce.leaflet import pictograms as lp

STROKE = lp.STROKE


def _stop(c) -> None:
    """Raised open palm."""
    c.roundRect(30, 10, 40, 48, 10, stroke=0, fill=1)
    for i, (x, top) in enumerate(((32, 84), (43, 92), (54, 90), (65, 80))):
        c.roundRect(x, 44, 9, top - 44, 4.5, stroke=0, fill=1)
        del i
    p = c.beginPath()
    p.moveTo(70, 40)
    p.lineTo(88, 58)
    c.saveState()
    c.setLineWidth(10)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def _water(c) -> None:
    """A cup with a drop above it."""
    p = c.beginPath()
    p.moveTo(28, 66)
    p.lineTo(36, 8)
    p.lineTo(64, 8)
    p.lineTo(72, 66)
    c.drawPath(p, stroke=1, fill=0)
    c.rect(33, 12, 34, 26, stroke=0, fill=1)
    d = c.beginPath()
    d.moveTo(50, 98)
    d.curveTo(44, 86, 40, 80, 50, 72)
    d.curveTo(60, 80, 56, 86, 50, 98)
    c.drawPath(d, stroke=0, fill=1)


def _food(c) -> None:
    """A bowl and a spoon."""
    p = c.beginPath()
    p.moveTo(12, 46)
    p.curveTo(14, 10, 86, 10, 88, 46)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.line(60, 56, 84, 92)
    c.ellipse(52, 48, 66, 62, stroke=0, fill=1)


def _medic(c) -> None:
    """A bandage roll with its loose end (deliberately no cross)."""
    c.circle(38, 50, 26, stroke=1, fill=0)
    c.circle(38, 50, 9, stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(62, 40)
    p.lineTo(94, 40)
    p.lineTo(94, 26)
    p.lineTo(60, 26)
    c.drawPath(p, stroke=1, fill=0)


def _letter(c) -> None:
    """An envelope."""
    c.rect(12, 22, 76, 54, stroke=1, fill=0)
    p = c.beginPath()
    p.moveTo(12, 76)
    p.lineTo(50, 46)
    p.lineTo(88, 76)
    c.drawPath(p, stroke=1, fill=0)


def _vehicle(c) -> None:
    """A truck seen from the side."""
    c.rect(8, 30, 54, 40, stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(64, 30)
    p.lineTo(64, 60)
    p.lineTo(82, 60)
    p.lineTo(92, 44)
    p.lineTo(92, 30)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.circle(26, 26, 11, stroke=0, fill=1)
    c.circle(76, 26, 11, stroke=0, fill=1)
    c.restoreState()
    c.circle(26, 26, 7, stroke=0, fill=1)
    c.circle(76, 26, 7, stroke=0, fill=1)


def body_outline(c) -> None:
    """Front view of a standing body (for "where does it hurt?")."""
    c.saveState()
    c.setLineWidth(3)
    c.circle(50, 88, 8, stroke=1, fill=0)
    p = c.beginPath()
    p.moveTo(46, 80)
    p.lineTo(46, 77)
    p.curveTo(36, 76, 30, 74, 28, 66)  # left shoulder
    p.lineTo(22, 40)  # left arm
    p.lineTo(26, 39)
    p.lineTo(34, 60)
    p.lineTo(36, 46)  # side
    p.lineTo(38, 4)  # left leg
    p.lineTo(46, 4)
    p.lineTo(50, 40)  # crotch
    p.lineTo(54, 4)
    p.lineTo(62, 4)
    p.lineTo(64, 46)
    p.lineTo(66, 60)
    p.lineTo(74, 39)
    p.lineTo(78, 40)
    p.lineTo(72, 66)
    p.curveTo(70, 74, 64, 76, 54, 77)
    p.lineTo(54, 80)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def _calendar(c) -> None:
    c.rect(12, 10, 76, 72, stroke=1, fill=0)
    c.rect(12, 66, 76, 16, stroke=0, fill=1)
    c.saveState()
    c.setLineWidth(2)
    for i in range(1, 4):
        c.line(12 + 19 * i, 10, 12 + 19 * i, 66)
    for j in range(1, 3):
        c.line(12, 10 + 18.7 * j, 88, 10 + 18.7 * j)
    c.restoreState()


def _point(c) -> None:
    """A pointing finger."""
    c.roundRect(14, 30, 40, 34, 8, stroke=0, fill=1)
    c.roundRect(44, 52, 48, 11, 5.5, stroke=0, fill=1)
    c.roundRect(24, 62, 11, 12, 4, stroke=0, fill=1)


PICTOS: dict[str, Callable] = {
    "stop": _stop, "water": _water, "food": _food, "medic": _medic, "bandage": _medic, "letter": _letter,
    "vehicle": _vehicle, "body": body_outline, "pain": body_outline, "calendar": _calendar, "point": _point,
    "hands-up": lp.hands_up, "drop-weapon": lp.weapon_down, "lie-down": lp.lie_down,
    "walk-slowly": lp.walk_slowly, "come": lp.walk_slowly, "follow": lp.walk_slowly,
    "listen": lp.follow_instructions, "card": lp.show_pass,
}


def draw(c, name: str, x: float, y: float, size: float, color=(0, 0, 0)) -> bool:
    """Draw pictogram ``name`` into a ``size`` square at (x, y); False if we have none for it."""
    fn = PICTOS.get(name)
    if fn is None:
        return False
    c.saveState()
    c.translate(x, y)
    c.scale(size / 100.0, size / 100.0)
    c.setStrokeColorRGB(*color)
    c.setFillColorRGB(*color)
    c.setLineWidth(STROKE)
    c.setLineCap(1)
    c.setLineJoin(1)
    fn(c)
    c.restoreState()
    return True
