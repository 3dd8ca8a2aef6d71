"""The message file: the one input every command shares.

A message is a YAML file (or a plain ``.txt`` holding only the text). It is
validated with pydantic and every error points at the YAML line, so a writer
near the front can fix it without reading a traceback.

Keys (see README "Message file"):
  sponsor     who the product is attributed to (required for leaflets/broadcasts)
  audience    free text: who it is for
  channel     leaflet | loudspeaker | interpreter
  language    nk | sk: the standard the text is meant to be read in
  drafted_in  nk | sk: the standard the text was written in (default: language);
              a ``nk`` message drafted in ``sk`` is converted by every command
  text        the message (Korean)
  guarantees  promises the sponsor has approved (list of short strings)
  leaflet:    template, size, headline, steps, serial_start, languages
  broadcast:  repeats, voice, syllables_per_s, pause_s, attention
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from meari.errors import MeariError
from meari.inputs import read_input

MAX_MESSAGE_BYTES = 2_000_000  # a leaflet or broadcast text is a few kB; 2 MB is clearly a mistake

Channel = Literal["leaflet", "loudspeaker", "interpreter"]
Lang = Literal["nk", "sk"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LeafletSpec(_Strict):
    """Leaflet section: layout choices; the words stay in ``text``/``headline``."""

    template: str = "appeal"
    size: str = "6x3"
    headline: str | None = None
    steps: list[str] | None = None
    serial_start: int | None = Field(default=None, ge=0)
    languages: list[str] = Field(default_factory=lambda: ["uk", "ru", "en"])


class BroadcastSpec(_Strict):
    """Broadcast section: loop structure and voice."""

    repeats: int = Field(default=3, ge=1, le=50)
    voice: str = "espeak:ko"
    recording: str | None = None
    syllables_per_s: float = Field(default=4.0, gt=1.0, le=10.0)
    pause_s: float = Field(default=2.0, ge=0.0, le=60.0)
    attention: bool = True


class Message(_Strict):
    """A validated message. ``text`` is NFC-normalised and never empty."""

    sponsor: str | None = None
    audience: str = "북한군 병사"
    channel: Channel = "leaflet"
    language: Lang = "nk"
    drafted_in: Lang | None = None
    text: str
    guarantees: list[str] = Field(default_factory=list)
    leaflet: LeafletSpec = Field(default_factory=LeafletSpec)
    broadcast: BroadcastSpec = Field(default_factory=BroadcastSpec)

    @field_validator("text", "sponsor", "audience", "guarantees", mode="before")
    @classmethod
    def _nfc(cls, v: Any) -> Any:
        if isinstance(v, str):
            return unicodedata.normalize("NFC", v)
        if isinstance(v, list):
            return [unicodedata.normalize("NFC", x) if isinstance(x, str) else x for x in v]
        return v

    @field_validator("text")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is empty")
        return v

    @property
    def source_language(self) -> Lang:
        """The standard the text was drafted in."""
        return self.drafted_in or self.language

    @property
    def needs_conversion(self) -> bool:
        """True when the text must be converted before it is produced."""
        return self.source_language != self.language

    def text_hash(self) -> str:
        """Short SHA-256 of the text, used in provenance signatures."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LoadedMessage:
    """A message with where it came from (for error messages and signatures)."""

    message: Message
    path: str


def _node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
        if node is not None:
            line = node.start_mark.line + 1
    return line


def _decode(raw: bytes, where: str) -> str:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MeariError(f"file is {len(raw):,} bytes; a message may be at most {MAX_MESSAGE_BYTES:,}", where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise MeariError(f"invalid UTF-8 at byte {e.start} (line {line})", where) from None
    return unicodedata.normalize("NFC", text)


def _duplicate_keys(root: yaml.Node | None, where: str) -> list[tuple[int, str]]:
    """Every key given twice in one mapping, as (line, problem) naming both lines.

    PyYAML keeps the last value silently; for a message that means a reviewed ``text:`` can be
    replaced by a second one further down, so a duplicate is an error.
    """
    out: list[tuple[int, str]] = []
    stack = [(root, "")]
    seen_nodes: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))  # anchors/aliases can share nodes
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for k, v in node.value:
                key = getattr(k, "value", None)
                line = k.start_mark.line + 1
                if isinstance(k, yaml.ScalarNode) and key in first:
                    name = f"{path}.{key}" if path else str(key)
                    out.append((line, f"{name}: duplicate key (first given on line {first[key]}, again on line "
                                      f"{line}); give it once"))
                elif isinstance(k, yaml.ScalarNode):
                    first[key] = line
                stack.append((v, f"{path}.{key}" if path else str(key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node.value))
    return sorted(out)


def _raise_all(problems: list[tuple[int | None, str]], where: str) -> None:
    """One MeariError listing every problem, each as ``FILE:LINE: problem`` on its own line."""
    problems = sorted(problems, key=lambda p: (p[0] is None, p[0] or 0))
    at = [f"{where}:{line}" if line else where for line, _ in problems]
    first = problems[0][1]
    rest = "".join(f"\n  {a}: {msg}" for a, (_, msg) in zip(at[1:], problems[1:], strict=True))
    count = f" [{len(problems)} problems]" if len(problems) > 1 else ""
    raise MeariError(first + count + rest, at[0])


def _validation_problems(e: ValidationError, root: yaml.Node | None) -> list[tuple[int | None, str]]:
    out: list[tuple[int | None, str]] = []
    for err in e.errors():
        loc = tuple(err["loc"])
        line = _node_line(root, loc)
        field = ".".join(str(x) for x in loc) or "message"
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required key is missing"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append((line, f"{field}: {msg}"))
    return out


def parse_message(source: str, where: str = "<message>", *, plain: bool = False) -> Message:
    """Parse message text (YAML, or plain text when ``plain``) into a validated Message.

    Every problem is reported at once (duplicate keys, unknown keys, bad values), each with its line.
    """
    if plain:
        try:
            return Message(text=source)
        except ValidationError:
            raise MeariError("text is empty", where) from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"{where}:{mark.line + 1}" if mark else where
        problem = getattr(e, "problem", None) or str(e)
        raise MeariError(f"bad YAML: {problem}", at) from None
    except RecursionError:
        raise MeariError("bad YAML: nested too deeply", where) from None
    if data is None:
        raise MeariError("file is empty", where)
    if not isinstance(data, dict):
        raise MeariError("a message file must be a YAML mapping with at least a 'text' key", where)
    problems: list[tuple[int | None, str]] = list(_duplicate_keys(root, where))
    try:
        msg = Message.model_validate(data)
    except ValidationError as e:
        problems += _validation_problems(e, root)
        msg = None
    if problems:
        _raise_all(problems, where)
    assert msg is not None
    return msg


def with_sponsor(msg: Message, sponsor: str | None, where: str = "--sponsor") -> Message:
    """The message attributed to ``sponsor`` (``--sponsor`` on the command line, e.g. for a ``.txt``).

    A message that already names a different sponsor is refused: the attribution is part of what
    was reviewed, and silently replacing it would misattribute the product.
    """
    if sponsor is None:
        return msg
    name = unicodedata.normalize("NFC", sponsor).strip()
    if not name:
        raise MeariError("is empty: name who the product is attributed to", where)
    if msg.sponsor and msg.sponsor != name:
        raise MeariError(f"the message already names its sponsor ({msg.sponsor!r}); change it in the file, "
                         "not on the command line", where)
    return msg.model_copy(update={"sponsor": name})


def load_message(path: str | Path) -> Message:
    """Load a message file; ``.txt`` files hold only the text and take the defaults."""
    p = Path(path)
    where = str(p)
    raw = read_input(p, "message file", MAX_MESSAGE_BYTES)
    text = _decode(raw, where)
    return parse_message(text, where, plain=p.suffix.lower() == ".txt")
