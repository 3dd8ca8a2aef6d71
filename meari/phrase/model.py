"""The phrasebook's data model: what a phrase, a module and a glossary entry must hold.

Why pydantic with ``extra="forbid"``: the phrasebook is reviewed data written by hand; a
misspelt key (``art_17``) must fail loudly with the file and phrase id, not vanish. The
schema is documented in ``meari/data/phrasebook/README.md``; the rules that span several
fields (a question is never ``not-question``; ``required`` only for identity) are checked
here too, so that a bad phrase can never reach a card or a phone page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

LANGS = ("nk", "sk", "uk", "ru", "en")
ANSWERS = ("yes-no", "number", "pointing", "choice", "free", "none")
ART17 = ("required", "voluntary", "not-question")
PICTOGRAMS = frozenset("""stop hands-up show-hands drop-weapon step-away lie-down kneel hands-on-head sit
stand-up turn-around come walk-slowly stay one-at-a-time follow quiet search empty-pockets remove water food
toilet blanket sleep cold medic pain bandage stretcher vehicle letter card yes-no numbers calendar body point
listen look""".split())
ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
MODULE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
GLOSSARY_CATEGORIES = ("unit", "weapon", "equipment", "medical", "military", "place", "time", "rank")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Texts(_Strict):
    """The same utterance in the five languages; every one non-empty."""

    nk: str
    sk: str
    uk: str
    ru: str
    en: str

    @field_validator("nk", "sk", "uk", "ru", "en")
    @classmethod
    def _non_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("must not be empty")
        return v


class Choice(Texts):
    """One option of a ``choice`` question."""


class Phrase(Texts):
    id: str
    answer: Literal["yes-no", "number", "pointing", "choice", "free", "none"]
    choices: list[Choice] | None = None
    art17: Literal["required", "voluntary", "not-question"]
    pictogram: str | None = None
    gesture: str | None = None
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"id {v!r} must be lower case letters, digits, '.' and '-'")
        return v

    @field_validator("pictogram")
    @classmethod
    def _picto(cls, v: str | None) -> str | None:
        if v is not None and v not in PICTOGRAMS:
            raise ValueError(f"unknown pictogram {v!r} (see the fixed set in meari/data/phrasebook/README.md)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Phrase:
        if self.answer == "none" and self.art17 != "not-question":
            raise ValueError(f"answer 'none' (not a question) needs art17 'not-question', not {self.art17!r}")
        if self.answer != "none" and self.art17 == "not-question":
            raise ValueError(f"a question (answer {self.answer!r}) must be art17 'required' or 'voluntary'")
        if self.answer == "choice" and not self.choices:
            raise ValueError("answer 'choice' needs a non-empty 'choices' list")
        if self.answer != "choice" and self.choices:
            raise ValueError("'choices' only belongs to answer 'choice'")
        return self


class Title(_Strict):
    en: str
    uk: str
    ru: str
    ko: str


class Module(_Strict):
    module: str
    order: int = 100
    title: Title
    phrases: list[Phrase]

    @field_validator("module")
    @classmethod
    def _name(cls, v: str) -> str:
        if not MODULE_RE.match(v):
            raise ValueError(f"module {v!r} must match [a-z][a-z0-9-]*")
        return v


class GlossaryItem(Texts):
    id: str
    category: str
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"id {v!r} must be lower case letters, digits, '.' and '-'")
        return v

    @field_validator("category")
    @classmethod
    def _cat(cls, v: str) -> str:
        if v not in GLOSSARY_CATEGORIES:
            raise ValueError(f"category {v!r} is not one of {', '.join(GLOSSARY_CATEGORIES)}")
        return v


class Glossary(_Strict):
    glossary: list[GlossaryItem]


@dataclass(frozen=True, slots=True)
class Entry:
    """A phrase or glossary term as every consumer sees it: plain data, transcriptions filled in."""

    id: str
    module: str  # phrase module, or "glossary"
    kind: str  # "phrase" | "glossary"
    nk: str
    sk: str
    uk: str
    ru: str
    en: str
    translit_uk: str
    translit_ru: str
    answer: str = "none"
    art17: str = "not-question"
    pictogram: str | None = None
    gesture: str | None = None
    note: str | None = None
    category: str | None = None
    choices: tuple[dict, ...] = ()
    order: int = 0  # position in the book (module order, then file order)

    def text(self, lang: str) -> str:
        return getattr(self, lang)

    def to_dict(self, score: float | None = None) -> dict:
        d = {
            "id": self.id, "module": self.module, "kind": self.kind,
            "nk": self.nk, "sk": self.sk, "uk": self.uk, "ru": self.ru, "en": self.en,
            "translit_uk": self.translit_uk, "translit_ru": self.translit_ru,
            "answer": self.answer, "art17": self.art17, "pictogram": self.pictogram,
            "gesture": self.gesture, "note": self.note, "category": self.category,
            "choices": [dict(c) for c in self.choices],
        }
        if score is not None:
            d["score"] = round(score, 2)
        return d


@dataclass
class ModuleInfo:
    name: str
    order: int
    title: dict[str, str]
    path: str
    ids: list[str] = field(default_factory=list)


@dataclass
class Phrasebook:
    """Every module's phrases in book order, the glossary (ranks merged), and where each came from."""

    modules: list[ModuleInfo]
    phrases: list[Entry]
    glossary: list[Entry]
    ranks_source: str | None = None  # path of the rank table merged, None if absent
    notes: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.phrases + self.glossary}

    def module_names(self) -> list[str]:
        return [m.name for m in self.modules]
