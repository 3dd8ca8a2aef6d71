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


def _standing(c, x: float = 50.0, arms: str = "down") -> None:
    """A standing stick figure centred at ``x`` (arms down, up, or on the head)."""
    if arms == "up":
        limbs = [[(x, 50), (x - 14, 64), (x - 18, 84)], [(x, 50), (x + 14, 64), (x + 18, 84)]]
    elif arms == "head":
        limbs = [[(x, 52), (x - 16, 62), (x - 6, 78)], [(x, 52), (x + 16, 62), (x + 6, 78)]]
    else:
        limbs = [[(x, 52), (x - 10, 36), (x - 12, 24)], [(x, 52), (x + 10, 36), (x + 12, 24)]]
    lp._figure(c, (x, 68), (x, 58), (x, 30), [[(x, 30), (x - 8, 16), (x - 9, 4)], [(x, 30), (x + 8, 16), (x + 9, 4)]]
               + limbs)


def _yes_no(c) -> None:
    """A tick box and a cross box: point at one."""
    c.saveState()
    c.setLineWidth(4)
    c.rect(6, 28, 40, 40, stroke=1, fill=0)
    c.rect(54, 28, 40, 40, stroke=1, fill=0)
    c.setLineWidth(7)
    p = c.beginPath()
    p.moveTo(14, 48)
    p.lineTo(23, 36)
    p.lineTo(40, 60)
    c.drawPath(p, stroke=1, fill=0)
    c.line(63, 37, 85, 59)
    c.line(63, 59, 85, 37)
    c.restoreState()


def _numbers(c) -> None:
    """Digits 1 2 3 (drawn with the card's Korean font, registered before any card is drawn)."""
    from meari.produce.leaflet.fonts import ROLES

    c.setFont(ROLES["kr-bold"], 44)
    c.drawCentredString(50, 32, "123")
    c.saveState()
    c.setLineWidth(3)
    c.roundRect(6, 22, 88, 52, 8, stroke=1, fill=0)
    c.restoreState()


def _stay(c) -> None:
    """Standing still: a figure between two bars."""
    _standing(c)
    c.saveState()
    c.setLineWidth(5)
    for x in (18, 82):
        c.line(x, 10, x, 80)
    c.restoreState()


def _look(c) -> None:
    """An eye."""
    p = c.beginPath()
    p.moveTo(6, 50)
    p.curveTo(30, 82, 70, 82, 94, 50)
    p.curveTo(70, 18, 30, 18, 6, 50)
    c.drawPath(p, stroke=1, fill=0)
    c.circle(50, 50, 13, stroke=0, fill=1)


def _sleep(c) -> None:
    """Lying on a mat, Z Z above."""
    c.circle(18, 26, lp.HEAD_R, stroke=0, fill=1)
    c.line(28, 24, 88, 24)
    c.saveState()
    c.setLineWidth(3)
    c.line(6, 12, 96, 12)
    for x0, y0, sz in ((50, 50, 14), (70, 68, 18)):
        p = c.beginPath()
        p.moveTo(x0, y0 + sz)
        p.lineTo(x0 + sz, y0 + sz)
        p.lineTo(x0, y0)
        p.lineTo(x0 + sz, y0)
        c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def _show_hands(c) -> None:
    """Two open palms."""
    for dx in (-22, 22):
        c.saveState()
        c.translate(50 + dx, 50)
        c.scale(0.55, 0.55)
        c.translate(-50, -50)
        _stop(c)
        c.restoreState()


def _quiet(c) -> None:
    """A face with a finger across the lips."""
    c.circle(50, 52, 34, stroke=1, fill=0)
    c.circle(38, 62, 4, stroke=0, fill=1)
    c.circle(62, 62, 4, stroke=0, fill=1)
    c.line(38, 38, 62, 38)
    c.saveState()
    c.setLineWidth(9)
    c.line(50, 14, 50, 48)
    c.restoreState()


def _blanket(c) -> None:
    """A folded blanket."""
    for i, y in enumerate((14, 34, 54)):
        c.roundRect(12 + i * 3, y, 76 - i * 6, 18, 5, stroke=1, fill=0)


def _toilet(c) -> None:
    """A toilet seen from the side."""
    c.rect(58, 50, 22, 38, stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(16, 50)
    p.lineTo(80, 50)
    p.curveTo(80, 26, 64, 22, 56, 22)
    p.lineTo(58, 6)
    p.lineTo(36, 6)
    p.lineTo(38, 24)
    p.curveTo(22, 28, 16, 38, 16, 50)
    c.drawPath(p, stroke=0, fill=1)


def _cold(c) -> None:
    """A thermometer, low."""
    c.roundRect(42, 30, 16, 62, 8, stroke=1, fill=0)
    c.circle(50, 22, 14, stroke=0, fill=1)
    c.rect(47, 26, 6, 14, stroke=0, fill=1)
    c.saveState()
    c.setLineWidth(3)
    for y in (50, 62, 74, 86):
        c.line(62, y, 72, y)
    c.restoreState()


def _stretcher(c) -> None:
    """A figure lying on a stretcher."""
    c.circle(22, 50, lp.HEAD_R, stroke=0, fill=1)
    c.line(32, 48, 80, 48)
    c.saveState()
    c.setLineWidth(4)
    c.line(4, 36, 96, 36)
    c.line(16, 36, 16, 22)
    c.line(84, 36, 84, 22)
    c.restoreState()


def _sit(c) -> None:
    """Sitting on the ground, knees up."""
    lp._ground(c)
    lp._figure(c, (34, 70), (34, 60), (34, 12), [[(34, 12), (58, 30), (70, 6)], [(34, 56), (50, 40), (60, 30)]])


def _kneel(c) -> None:
    """Kneeling, hands on the head."""
    lp._ground(c)
    lp._figure(c, (44, 82), (44, 72), (44, 40), [[(44, 40), (44, 20), (70, 6)], [(44, 40), (30, 22), (20, 6)],
                                               [(44, 68), (30, 76), (40, 90)], [(44, 68), (58, 76), (50, 90)]])


def _hands_on_head(c) -> None:
    _standing(c, arms="head")


def _stand_up(c) -> None:
    _standing(c, 40)
    lp._arrow(c, 78, 20, 78, 80)


def _step_away(c) -> None:
    lp._ground(c)
    _standing(c, 30)
    c.rect(70, 5, 24, 10, stroke=0, fill=1)
    lp._arrow(c, 66, 88, 16, 88)


def _turn_around(c) -> None:
    _standing(c)
    c.saveState()
    c.setLineWidth(4)
    p = c.beginPath()
    p.arc(14, 70, 86, 98, startAng=200, extent=300)
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()
    h = c.beginPath()  # arrowhead at the end of the turn
    h.moveTo(10, 90)
    h.lineTo(26, 84)
    h.lineTo(14, 74)
    h.close()
    c.drawPath(h, stroke=0, fill=1)


def _one_at_a_time(c) -> None:
    _standing(c, 30)
    c.saveState()
    c.setFillColorRGB(0.6, 0.6, 0.6)
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    for x in (64, 86):
        c.saveState()
        c.translate(x, 20)
        c.scale(0.6, 0.6)
        c.translate(-50, 0)
        _standing(c)
        c.restoreState()
    c.restoreState()


PICTOS: dict[str, Callable] = {
    "stop": _stop, "water": _water, "food": _food, "medic": _medic, "bandage": _medic, "letter": _letter,
    "vehicle": _vehicle, "body": body_outline, "pain": body_outline, "calendar": _calendar, "point": _point,
    "hands-up": lp.hands_up, "drop-weapon": lp.weapon_down, "lie-down": lp.lie_down,
    "walk-slowly": lp.walk_slowly, "come": lp.walk_slowly, "follow": lp.walk_slowly,
    "listen": lp.follow_instructions, "card": lp.show_pass,
    "yes-no": _yes_no, "numbers": _numbers, "stay": _stay, "look": _look, "sleep": _sleep,
    "show-hands": _show_hands, "quiet": _quiet, "blanket": _blanket, "toilet": _toilet, "cold": _cold,
    "stretcher": _stretcher, "sit": _sit, "kneel": _kneel, "hands-on-head": _hands_on_head,
    "stand-up": _stand_up, "step-away": _step_away, "turn-around": _turn_around,
    "one-at-a-time": _one_at_a_time,
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
