"""The shipped theme catalogue: every theme is complete, and every example message passes `meari review`
without an ihl./truth. finding (or any warning) and is left unchanged by the South->North converter."""

from __future__ import annotations

import pytest
import yaml

from meari.campaign.research import themes
from meari.errors import MeariError

SPONSOR = "우크라이나 전쟁포로처우조정본부 《나는 살고 싶다》 프로젝트"
REQUIRED = {"survival", "family", "food-medical", "foreign-war", "geneva", "surrender-safely", "south-korea"}
CAT = themes.catalogue()
EXAMPLES = [(t["key"], ch, text) for t in CAT for ch, text in t["examples"].items()]


def test_catalogue_complete() -> None:
    assert REQUIRED <= {t["key"] for t in CAT}
    from meari.review import checks  # noqa: F401 - the rule catalogue
    from meari.review.registry import all_checks

    known = {c.id for c in all_checks()}
    for t in CAT:
        assert t["title"]["ko"] and t["title"]["en"] and t["summary"], t["key"]
        assert t["lines"] and t["do"] and t["dont"] and t["sources"], t["key"]
        assert set(t["examples"]) == set(themes.CHANNELS), t["key"]
        assert set(t["rules"]) <= known, (t["key"], set(t["rules"]) - known)
    dont = " ".join(d for t in CAT for d in t["dont"]).lower()
    assert "insult" in dont and "promise" in dont and "south korean" in dont


@pytest.mark.parametrize("key,channel,text", EXAMPLES, ids=[f"{k}-{c}" for k, c, _ in EXAMPLES])
def test_example_passes_review(key: str, channel: str, text: str) -> None:
    from meari.message import parse_message
    from meari.review import review

    doc = {"sponsor": SPONSOR, "channel": channel, "language": "nk", "text": text, "guarantees": []}
    msg = parse_message(yaml.safe_dump(doc, allow_unicode=True), f"{key}.{channel}")
    found = [(f.id, f.severity, f.text) for f in review(msg).findings if f.severity != "info"]
    assert found == [], found


@pytest.mark.parametrize("key,channel,text", EXAMPLES, ids=[f"{k}-{c}" for k, c, _ in EXAMPLES])
def test_example_is_north_korean_already(key: str, channel: str, text: str) -> None:
    from meari.lang.convert import to_nk

    for line in text.splitlines():
        c = to_nk(line)
        assert c.text == line, (line, c.text, [(e.before, e.after, e.rule_id) for e in c.edits])


def test_bad_theme_is_refused() -> None:
    with pytest.raises(MeariError, match="key"):
        themes.validate_theme({"key": "Bad Key", "title": "x"})
    with pytest.raises(MeariError, match="channel"):
        themes.validate_theme({"key": "x", "title": "x", "examples": {"radio": "..."}})
