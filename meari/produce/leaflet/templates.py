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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from meari.errors import MeariError

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


def _check_color(v: str) -> str:
    if not (isinstance(v, str) and len(v) == 7 and v.startswith("#")):
        raise ValueError(f"colour {v!r} must be #rrggbb")
    int(v[1:], 16)
    return v


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
    color: str
    bleed: list[Edge] = Field(default_factory=list)

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Frame(Item):
    """A rectangle outline inside the safe area (the border of a pass)."""

    kind: Literal["frame"]
    color: str = "#000000"
    width: float = 1.0
    inner: float | None = None  # distance in mm of an optional thin inner line

    @field_validator("color")
    @classmethod
    def v_color(cls, v: str) -> str:
        return _check_color(v)


class Rule(Item):
    """A straight line from the rect's top-left to its bottom-right (use h or w ~ 0 for lines)."""

    kind: Literal["rule"]
    color: str = "#000000"
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
    color: str = "#000000"
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
    color: str = "#000000"

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
    picto_color: str = "#000000"
    valign: Literal["top", "middle"] = "top"


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
    default_steps: list[str] = Field(default_factory=list)
    pictogram_keywords: dict[str, list[str]] = Field(default_factory=dict)

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
