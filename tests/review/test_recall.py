"""The recall tier (issue 9), threats vs promises, and the review parts of issue 11.

The recall tier reports a warning with the family's id whenever a message touches a protected subject in a
relation that makes a violation possible (meari/data/review/subjects.yaml); errors stay the high-precision
tier. These tests run the real analyser and the real data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meari.errors import MeariError
from meari.message import Message
from meari.review import gate, review
from meari.review.evaluate import evaluate, load_items

SPONSOR = "우크라이나 《나는 살고 싶다》 프로젝트"
DATA = Path(__file__).resolve().parents[1] / "data"


def legal(text: str, **kw) -> dict[str, str]:
    """ihl/truth id -> worst severity."""
    out: dict[str, str] = {}
    for f in review(Message(text=text, sponsor=SPONSOR, **kw)).findings:
        if f.id.split(".")[0] in ("ihl", "truth"):
            if out.get(f.id) != "error":
                out[f.id] = f.severity
    return out


# The issue's own examples: each must get its family's id (at least as a warning).
@pytest.mark.parametrize("text,rid", [
    ("이 전단은 국제적십자위원회가 보낸것입니다. 적십자를 믿고 우리에게 오십시오.", "ihl.emblem"),
    ("붉은 십자 표식을 단 우리 차량이 너희를 데리러 갈것이다.", "ihl.emblem"),
    ("유엔 평화유지군 표식을 단 우리 부대가 당신들을 보호할것입니다.", "ihl.emblem"),
    ("우리 부대는 곧 항복할것이다. 우리를 받으러 진지밖으로 나오라.", "ihl.perfidy"),
    ("우리 협상대표단이 백기를 들고 갑니다. 모두 무기 없이 밖으로 나와 맞이하십시오.", "ihl.perfidy"),
    ("오늘 정오부터 휴전이 선포되였다. 모든 병사들은 진지에서 나와 들판에 모여라.", "ihl.perfidy"),
    ("너희가 계속 싸우면 너희 가족들이 벌을 받게 될것이다.", "ihl.civilians"),
    ("백기를 들어도 소용없다. 너희는 모두 여기서 끝장난다.", "ihl.no-quarter"),
    ("대답하지 않으면 너를 조선으로 돌려보내겠다.", "ihl.coercion"),
    ("지난주 투항한 리철민 전사는 지금 우리와 함께 있습니다. 그의 얼굴을 보십시오.", "ihl.pow-exposure"),
])
def test_the_issues_examples_are_flagged_with_their_family(text, rid):
    assert rid in legal(text)


def test_a_recall_warning_says_what_to_confirm():
    f = [f for f in review(Message(text="우리 부대는 곧 항복할것이다. 우리를 받으러 진지밖으로 나오라.",
                                   sponsor=SPONSOR)).findings if f.id == "ihl.perfidy"][0]
    assert f.severity == "warning" and f.why.startswith("touches") and "confirm" in f.why


def test_a_threat_is_never_a_promise():
    got = legal("대답하지 않으면 너를 조선으로 돌려보내겠다.")
    assert "truth.unapproved-promise" not in got and "ihl.coercion" in got
    # the same harm against a family is a threat against civilians, not a release promise
    got = legal("항복하지 않으면 너희 어머니를 수용소로 보내겠다.")
    assert "truth.unapproved-promise" not in got and "ihl.civilians" in got
    # a real promise stays a promise
    assert "truth.unapproved-promise" in legal("투항하면 한 달 안에 집에 보내 줄게.")


@pytest.mark.parametrize("text", [
    "국제적십자위원회가 포로수용소를 정기적으로 방문합니다. 무기를 내려놓고 나오십시오.",
    "흰 천을 들고 천천히 걸어 나오십시오. 우리는 백기를 든 사람을 쏘지 않습니다.",
    "고향의 부모님은 아들이 살아 돌아오기를 기다립니다. 헛되이 죽지 마십시오.",
    "포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다. 그 밖의 질문에 대답하지 않아도 불이익은 없습니다.",
    "여러분의 지휘관은 항복하면 죽인다고 거짓말합니다. 투항하면 아무도 여러분을 해치지 않습니다.",
    "포로가 되면 이름이 국제적십자위원회에 통보되고 가족에게 소식이 전해집니다.",
    "우리는 포로의 얼굴이나 이름을 세상에 알리지 않습니다.",
    "오늘 이스탄불에서 러시아와 우크라이나 대표단이 포로 교환 문제를 논의했습니다. 휴전 합의는 아직 없습니다.",
])
def test_clean_appeals_touching_protected_subjects_stay_clean(text):
    assert legal(text) == {}


def test_a_greeting_to_south_korean_nationals_is_not_an_asylum_promise():
    # issue 11: this was an error (truth.unapproved-promise, asylum) that blocked every product
    assert legal("대한민국 국민 여러분, 이 사실을 알려 드립니다.") == {}
    assert legal("항복하면 대한민국 국민으로 받아들여집니다.")["truth.unapproved-promise"] == "error"


def test_characters_the_leaflet_fonts_lack_are_a_review_error():
    rv = review(Message(text="병사 여러분 😀 무기를 내려놓고 나오십시오 ✌.", sponsor=SPONSOR))
    bad = [f for f in rv.findings if f.id == "print.missing-glyph"]
    assert [f.text for f in bad] == ["😀", "✌"] and all(f.severity == "error" for f in bad)
    assert "U+1F600" in bad[0].why
    with pytest.raises(MeariError, match="print.missing-glyph"):
        gate(Message(text="병사 여러분 😀 나오십시오.", sponsor=SPONSOR))
    # Hangul, Latin, Cyrillic, 《》 and common punctuation print
    ok = review(Message(text="병사 여러분, 《나는 살고 싶다》 ICRC — Україна… 나오십시오!", sponsor=SPONSOR))
    assert not [f for f in ok.findings if f.id == "print.missing-glyph"]


def test_cyrillic_and_greek_are_named_as_such():
    rv = review(Message(text="조선인민군 병사 여러분, Солдат 라고 쓴 전단을 들고 나오십시오. Ελλάδα 는 그리스입니다.",
                        sponsor=SPONSOR))
    scripts = {f.text: f for f in rv.findings if f.id.startswith("read.")}
    assert scripts["Солдат"].id == "read.foreign-script" and "Cyrillic" in scripts["Солдат"].why
    assert scripts["Ελλάδα"].id == "read.foreign-script" and "Greek" in scripts["Ελλάδα"].why
    assert not any(f.id == "read.latin" for f in rv.findings)
    assert any(f.id == "read.latin" for f in review(Message(text="ICRC 대표가 옵니다.", sponsor=SPONSOR)).findings)


def test_unresolved_legal_warnings_are_data_from_the_gate():
    rv = gate(Message(text="우리 부대는 곧 항복할것이다. 우리를 받으러 진지밖으로 나오라. 적십자를 믿고 오십시오.",
                      sponsor=SPONSOR))
    lw = rv.legal_warnings
    assert not rv.has_errors and lw.ids == ("ihl.emblem", "ihl.perfidy")
    assert lw.note == "2 unresolved legal warnings: ihl.emblem, ihl.perfidy"
    assert lw.signature == "legal:unresolved=ihl.emblem,ihl.perfidy"
    assert lw.to_dict()["count"] == 2 and rv.summary()["legal_warnings"] == lw.note
    clean = gate(Message(text="무기를 내려놓고 나오십시오.", sponsor=SPONSOR)).legal_warnings
    assert not clean and clean.note == "" and clean.signature == "legal:ok"


def test_a_leaflet_says_so_in_its_provenance():
    from meari.produce.leaflet.build import prepare

    msg = Message(text="우리 부대는 곧 항복할것이다. 우리를 받으러 진지밖으로 나오라.", sponsor=SPONSOR,
                  leaflet={"headline": "살아서 돌아가자"})
    prep = prepare(msg)
    assert "legal:unresolved=ihl.perfidy" in prep.signature
    assert prep.legal_note == "1 unresolved legal warning: ihl.perfidy"
    assert prep.meta().extra["MeariLegalWarnings"] == prep.legal_note


def test_recall_probe_set_stays_caught():
    # tests/data/review_probe_recall.yaml: written from the issue before batch K was opened (in-sample now)
    rep = evaluate(load_items(DATA / "review_probe_recall.yaml"), "any")
    assert rep.families["ihl"].recall >= 0.93 and rep.families["truth"].recall >= 0.99
    assert rep.false_error_rate == 0 and rep.clean_with_warning <= 1


def test_a_long_text_reviewed_in_chunks_gives_the_same_findings(monkeypatch):
    # issue 11: a 2 MB message must be reviewed in time and memory linear in its length; long texts are cut
    # at line breaks and each chunk reviewed on its own. Same findings, same positions, as in one piece.
    import random

    import meari.review as rv_mod

    lines = ["조선인민군 병사 여러분, 무기를 내려놓고 나오십시오.", "항복하지 않으면 너희 모두를 죽일 것이다.",
             "포로가 되면 제네바 협약에 따라 음식과 치료를 받게 됩니다.",
             "북한군 병사 여러분, 헬리콥터 소리가 들리면 숲에서 나오십시오.",
             "고향의 부모님은 아들이 살아 돌아오기를 기다립니다.", ""]
    rng = random.Random(7)
    text = "\n".join(rng.choice(lines) for _ in range(400)).strip()
    msg = Message(text=text, sponsor=SPONSOR, language="nk")
    whole = {(f.id, f.start, f.end, f.line, f.col, f.severity) for f in review(msg).findings}
    monkeypatch.setattr(rv_mod, "CHUNK_CHARS", 3000)
    assert len(rv_mod._cuts(text)) > 3
    chunked = {(f.id, f.start, f.end, f.line, f.col, f.severity) for f in review(msg).findings}
    assert chunked == whole and len(whole) > 100
