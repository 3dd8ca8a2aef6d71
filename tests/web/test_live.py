"""The live panel's plain functions: line-cached conversion equals meari.lang's, segments rebuild the
text, diffs mark the changed syllables, the editor form keeps the keys it does not show."""

from __future__ import annotations

import random

from meari.message import parse_message

from .conftest import APPEAL, THREAT

SENTENCES = ["조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.",
             "이국 땅에서 헛되이 죽을 이유가 없습니다.",
             "무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.", "살아서 가족을 다시 만날 수 있습니다.",
             "노동자와 농민의 아들 여러분, 러시아를 위해 죽지 마십시오.", "리유가 없습니다. 로동신문을 읽으십시오?",
             "\"여러분\"의 선택입니다.", "  ", ""]


def test_line_cached_conversion_equals_meari_lang() -> None:
    from meari.lang.convert import to_nk, to_sk
    from meari.web.live import convert

    rng = random.Random(5)
    texts = [parse_message(APPEAL).text, parse_message(THREAT).text]
    for _ in range(40):
        texts.append("\n".join(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(0, 3)))
                               for _ in range(rng.randint(1, 5))))
    for t in texts:
        for fn, d in ((to_nk, "sk2nk"), (to_sk, "nk2sk")):
            a, b = fn(t), convert(t, d)
            assert (a.text, a.edits, a.signature) == (b.text, b.edits, b.signature), t


def test_segments_rebuild_the_draft() -> None:
    from meari.web.live import analyse

    msg = parse_message(THREAT.replace("text: |", "drafted_in: sk\nlanguage: nk\ntext: |"))
    res = analyse(msg)
    assert "".join(s.text for s in res.conversion) == msg.text
    assert "".join(s.text for s in res.review) == msg.text
    marked = [s for s in res.review if s.kind]
    assert any(s.kind == "error" and s.rule.startswith("ihl.") for s in marked)
    assert all(s.title.startswith(s.rule + ": ") for s in marked)
    edits = [s for s in res.conversion if s.kind == "edit"]
    assert edits and all(s.rule and s.why for s in edits)


def test_diff_marks_changed_syllables() -> None:
    from meari.web.diff import diff_rows

    rows = diff_rows("a\n이국 땅에서 죽을 이유\nc\n", "a\n남의 땅에서 죽을 이유\nc\nd\n")
    change = [r for r in rows if r.kind == "change"][0]
    assert [p.text for p in change.old if p.changed] == ["이국"]
    assert [p.text for p in change.new if p.changed] == ["남의"]
    assert [r.new[0].text for r in rows if r.kind == "add"] == ["d"]


def test_form_round_trip_keeps_keys_it_does_not_show() -> None:
    from meari.web.forms import MessageForm, parse_yaml, to_yaml

    base = parse_message(APPEAL)
    form = MessageForm(data={**MessageForm.initial_from(base, "t"), "headline": "살아서 돌아오십시오"})
    assert form.is_valid(), form.errors
    msg = form.to_message(base)
    again = parse_yaml(to_yaml(msg.model_dump(mode="json", exclude_none=True)))
    assert again.leaflet.headline == "살아서 돌아오십시오"
    assert again.leaflet.serial_start == base.leaflet.serial_start and again.broadcast.voice == base.broadcast.voice
    assert again.text == base.text and again.leaflet.steps == base.leaflet.steps
