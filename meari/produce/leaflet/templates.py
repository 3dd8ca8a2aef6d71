"""Leaflet templates are data: YAML files in ``meari/data/templates/`` read into these models.

A template says which boxes each side has, where (fractions of the trim box, origin top-left),
in which font role and size (points at the template's reference size), and which message field
or template text fills them. The layout engine (``layout.py``) does the rest, so adding a
template is adding a YAML file, not code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from meari.errors import MeariError

from . import colour as C
from .colour import check_value
from .fonts import ROLES
from .pictograms import PICTOGRAMS

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "data" / "templates"

Edge = Literal["left", "right", "top", "bottom"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_rect(v: list[float]) -> list[float]:
    if len(v) != 4:
        raise ValueError("rect must be [x, y, w, h] (fractions of the trim box)")
    x, y, w, h = v
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > 1.0001 or y + h > 1.0001:
        raise ValueError(f"rect {v} must lie inside [0, 1] with positive width and height")
    return v


Colour = str | list[float]  # a name (template ``colors``, ``black``, ``white``) or [C, M, Y, K] %


def _check_color(v) -> Colour:
    return check_value(v)


class Item(_Strict):
    """Fields shared by every item: an optional id (for error messages) and a rect."""

    id: str | None = None
    rect: list[float]
    when: str | None = None  # include only when this content field is non-empty (e.g. ``serial``)

    @field_validator("rect")
    @classmethod
    def v_rect(cls, v: list[float]) -> list[float]:
        return _check_rect(v)


class Fill(Item):
    """A solid colour area; ``bleed`` edges run out to the bleed line (only those touching the trim)."""

    kind: Literal["fill"]
    color: Colour
    bleed: list[Edge] = Field(default_factory=list)

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Frame(Item):
    """A rectangle outline inside the safe area (the border of a pass)."""

    kind: Literal["frame"]
    color: Colour = "black"
    width: float = 1.0
    inner: float | None = None  # distance in mm of an optional thin inner line

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Rule(Item):
    """A straight line from the rect's top-left to its bottom-right (use h or w ~ 0 for lines)."""

    kind: Literal["rule"]
    color: Colour = "black"
    width: float = 0.5

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class TextStyle(_Strict):
    font: str = "kr-regular"
    size: float = Field(9.0, gt=0)
    min_size: float | None = Field(None, gt=0)
    leading: float = Field(1.3, ge=0.8, le=3.0)
    # fill: set the text as large as the box allows (up to max_size) and open the leading (up to
    # max_leading) so the block fills its box instead of leaving an empty band under it.
    fill: bool = False
    max_size: float | None = Field(None, gt=0)
    max_leading: float | None = Field(None, ge=0.8, le=3.0)
    color: Colour = "black"  # text ink: black (100 % K) or white (knocked out of a band)
    align: Literal["left", "center", "right"] = "left"
    script: Literal["ko", "any"] = "ko"

    @field_validator("font")
    @classmethod
    def _font(cls, v: str) -> str:
        if v not in ROLES:
            raise ValueError(f"unknown font role {v!r}; one of {', '.join(ROLES)}")
        return v

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Text(Item, TextStyle):
    """A text box: ``text`` is a format string over content fields (``{body}``, ``№ {serial}``)."""

    kind: Literal["text"]
    text: str
    max_lines: int | None = Field(None, ge=1)
    valign: Literal["top", "middle", "bottom"] = "top"


class Picto(Item):
    """One pictogram, drawn in code as vector paths, centred in its rect."""

    kind: Literal["pictogram"]
    name: str
    color: Colour = "black"

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if v not in PICTOGRAMS:
            raise ValueError(f"unknown pictogram {v!r}; one of {', '.join(PICTOGRAMS)}")
        return v

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Steps(Item, TextStyle):
    """The surrender steps in equal columns: pictogram on top, number and caption below."""

    kind: Literal["steps"]
    picto_frac: float = Field(0.6, gt=0.1, lt=0.95)
    numbered: bool = True
    max_lines: int | None = Field(None, ge=1)
    gap_mm: float = 2.0
    picto_color: Colour = "black"
    valign: Literal["top", "middle"] = "top"

    @field_validator("picto_color")
    @classmethod
    def v_picto_color(cls, v) -> Colour:
        return _check_color(v)


class Columns(Item, TextStyle):
    """One column per language in ``message.leaflet.languages``: bold title then body, same size."""

    kind: Literal["columns"]
    title: str  # format string with {lang}, naming a template text, e.g. "pass.{lang}.title"
    body: str
    title_font: str = "latin-bold"
    gap_mm: float = 3.0
    divider: bool = True


AnyItem = Annotated[Fill | Frame | Rule | Text | Picto | Steps | Columns, Field(discriminator="kind")]


class Side(_Strict):
    name: str
    items: list[AnyItem]


class Template(_Strict):
    """A whole template: id, one-line summary, two sides, texts, defaults, required fields."""

    id: str
    version: int = 1
    summary: str
    reference_mm: list[float] = Field(default_factory=lambda: [152.4, 76.2])
    requires: list[str] = Field(default_factory=list)
    needs_serial: bool = False
    sides: list[Side]
    texts: dict[str, str] = Field(default_factory=dict)
    default_headline: str | None = None  # used (and reported as a note) when the message has none
    default_steps: list[str] = Field(default_factory=list)
    # The most steps the steps box lays out legibly (pictogram, number and caption side by side);
    # more is an error naming this limit, not overlapping badges.
    max_steps: int = Field(6, ge=1, le=12)
    pictogram_keywords: dict[str, list[str]] = Field(default_factory=dict)
    # Brand colours by name, as CMYK percentages: items refer to them by name.
    colors: dict[str, list[float]] = Field(default_factory=dict)

    @field_validator("colors")
    @classmethod
    def _colors(cls, v: dict[str, list[float]]) -> dict[str, list[float]]:
        for name, val in v.items():
            if not isinstance(val, list):
                raise ValueError(f"colour {name!r} must be [C, M, Y, K] percentages")
            check_value(val)
        return v

    @model_validator(mode="after")
    def _resolve_colours(self) -> Template:
        """Every colour resolves; text is set in black or white only."""
        for side in self.sides:
            for item in side.items:
                ident = item.id or item.kind
                for attr in ("color", "picto_color"):
                    v = getattr(item, attr, None)
                    if v is None:
                        continue
                    try:
                        cmyk = C.resolve(v, self.colors)
                    except KeyError:
                        raise ValueError(f"{side.name} side, {ident!r}: unknown colour {v!r}; name one of "
                                         f"{', '.join([*self.colors, *C.BUILTIN])} or give [C, M, Y, K]") from None
                    if attr == "color" and isinstance(item, TextStyle) and not C.is_text_ink(cmyk):
                        raise ValueError(f"{side.name} side, {ident!r}: text must be 100 % black ([0, 0, 0, 100]) or "
                                         f"white (knocked out), not {v!r}: coloured type blurs when plates "
                                         "are out of register")
        return self

    @field_validator("sides")
    @classmethod
    def _two(cls, v: list[Side]) -> list[Side]:
        if len(v) != 2:
            raise ValueError("a leaflet template has exactly two sides (front, back)")
        return v


def list_templates() -> list[str]:
    """Names of the shipped templates (file stems)."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml"))


@lru_cache(maxsize=32)
def _load(path: Path) -> Template:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise MeariError(f"bad template YAML: {e}", where) from None
    try:
        t = Template.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise MeariError(f"invalid template: {loc}: {err['msg']}", where) from None
    if t.id != path.stem:
        raise MeariError(f"template id {t.id!r} must match its file name {path.stem!r}", where)
    return t


def load_template(name: str) -> Template:
    """Load a shipped template by name, or a template YAML by path."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return _load(p.resolve())
    path = TEMPLATE_DIR / f"{name}.yaml"
    if not name or "/" in name or not path.is_file():
        raise MeariError(f"unknown template {name!r}; available: {', '.join(list_templates())}", "--template")
    return _load(path)
