"""The wrong changes issue 10 saw, and the vocabulary it asked for (real analysers, no mocks)."""

from __future__ import annotations

import pytest

from meari.errors import MeariError
from meari.lang import ranks
from meari.lang.convert import to_nk, to_sk

NK2SK_TRAPS = [
    "내가 갔다.",  # pronoun 내 + 가, not 냇가
    "고요해지기를 바란다.",  # 해지기 is a piece of 고요해지다
    "요압은 왔다.",  # a name split into 요 + 압
    "사라지리이다.",  # 사라 is a piece of 사라지다
    "루이는 로마에 갔다.",  # foreign names
    "엘리자는 웃었다.",
    "그는 상좌입니다.",  # the KPA's own title, two KPA ranks at OF-5
    "중대장은 상위입니다.",
    "다시 한번 말씀하십시오.",  # 한번 is one South Korean word
    "그 병사의 성은 김씨였다.",  # a surname with 씨
]
SK2NK_TRAPS = [
    "이반은 나사로와 함께 왔다.",  # foreign names read as 離叛, 螺絲
    "한 지파가 왔다.",  # 지 + 파 is not a dependent noun
    "재미나 볼 생각이다.",  # 재미 + 나, not an auxiliary
    "안 돼요.",  # the North writes the contraction too
    "됐어요.",
    "대령이 왔다.",  # OF-5 is 상좌 or 대좌: both readings shown by review
    "사단장은 소장이다.",  # ROK two-star or KPA one-star
    "대위와 중위가 왔다.",  # also KPA titles
    "포로는 인도적으로 대우받아야 합니다.",  # 인도 人道, not the country (loanword table: 인도 → 인디아)
    "나뭇잎 아래에",  # 아래 stays spaced (sai-siot still goes)
]


@pytest.mark.parametrize("text", NK2SK_TRAPS)
def test_nk2sk_traps_left_alone(text: str) -> None:
    assert to_sk(text).text == text


@pytest.mark.parametrize("text", SK2NK_TRAPS[:-1])
def test_sk2nk_traps_left_alone(text: str) -> None:
    assert to_nk(text).text == text


def test_place_noun_after_sai_siot_stays_spaced() -> None:
    assert to_nk("나뭇잎 아래에").text == "나무잎 아래에"


@pytest.mark.parametrize(
    "sk,nk",
    [
        ("연대순으로 정리했다.", "년대순으로 정리했다."),  # 年代順 decides, not 連帶
        ("그녀는 간호사다.", "그 녀자는 간호원이다."),
        ("휴대전화를 버리십시오.", "손전화를 버리십시오."),
        ("소총을 내려놓으십시오.", "보총을 내려놓으십시오."),
        ("레이더가 있다.", "레이다가 있다."),
        ("하나님께 기도했다.", "하느님께 기도했다."),
        ("쿠르스크에서 싸운다.", "꾸르스크에서 싸운다."),
        ("포르투갈 초콜릿", "뽀르뚜갈 쵸콜레트"),
        ("메가헤르츠", "메가헤르쯔"),
        ("낙타가 있다.", "락타가 있다."),
        ("한 명, 스물세 명, 세 시간", "한명, 스물세명, 세시간"),
        ("그것 때문에 왔다.", "그것때문에 왔다."),
        ("김철수 씨가 왔다.", "김철수씨가 왔다."),
        ("천천히 걸어 나오십시오.", "천천히 걸어나오십시오."),
        ("처형될까 봐 두려웠다.", "처형될가봐 두려웠다."),
        ("결국 죽고 말았다.", "결국 죽고말았다."),
        ("전투 중에 다쳤다.", "전투중에 다쳤다."),
        ("전쟁 후에 돌아간다.", "전쟁후에 돌아간다."),
        ("이런 식으로 하십시오.", "이런식으로 하십시오."),
        ("죽은 듯이 누웠다.", "죽은듯이 누웠다."),
        ("싸우는 자는 죽는다.", "싸우는자는 죽는다."),
        ("소령이 왔다.", "소좌가 왔다."),
        ("준장과 병장", "소장과 상급병사"),
        ("일병과 상병", "하급병사와 중급병사"),
    ],
)
def test_sk2nk_issue_examples(sk: str, nk: str) -> None:
    assert to_nk(sk).text == nk


@pytest.mark.parametrize(
    "nk,sk",
    [
        ("한명, 스물세명, 세시간", "한 명, 스물세 명, 세 시간"),
        ("그것때문에 왔다.", "그것 때문에 왔다."),
        ("천천히 걸어나오십시오.", "천천히 걸어 나오십시오."),
        ("결국 죽고말았다.", "결국 죽고 말았다."),
        ("전투중에 다쳤다.", "전투 중에 다쳤다."),
        ("죽은듯이 누웠다.", "죽은 듯이 누웠다."),
        ("소좌와 중좌가 왔다.", "소령과 중령이 왔다."),
        ("상급병사 김철", "병장 김철"),
        ("손전화를 끄십시오.", "휴대전화를 끄십시오."),
    ],
)
def test_nk2sk_issue_examples(nk: str, sk: str) -> None:
    assert to_sk(nk).text == sk


def test_every_rank_edit_keeps_the_nato_grade() -> None:
    for direction in ("sk2nk", "nk2sk"):
        for word, m in ranks.all_words(direction).items():
            if m.target is not None:
                assert m.target.grade == m.source.grade, (word, m)
                back = ranks.same_grade(m.target, m.source.army)
                assert back == [m.source], (word, back)


def test_rank_table_covers_every_group_and_army() -> None:
    rows = ranks.table()
    for army in ("kpa", "rok", "ru"):
        groups = {r.group for r in rows if r.army == army}
        assert {"general", "field", "company", "nco", "enlisted"} <= groups, army
    assert {r.group for r in rows if r.army == "rok"} >= {"warrant"}
    assert all(r.grade[:2] in ("OF", "OR", "WO") for r in rows)


def test_ambiguous_ranks_are_not_converted() -> None:
    for word in ("대령", "소장", "중장", "대장", "대위", "중위", "소위", "상사", "중사", "하사"):
        m = ranks.mapping(word, "sk2nk")
        assert m is not None and m.target is None, word
    for word in ("상좌", "대좌", "상위", "대위", "소장", "상장", "전사", "특무상사"):
        m = ranks.mapping(word, "nk2sk")
        assert m is not None and m.target is None, word


def test_bad_rank_table_is_a_clear_error(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    bad = tmp_path / "ranks.yaml"
    bad.write_text("ranks:\n- {army: xx, ko: 소장}\n", encoding="utf-8")
    monkeypatch.setattr(ranks, "PATH", bad)
    ranks.table.cache_clear()
    try:
        with pytest.raises(MeariError, match="rank row 1"):
            ranks.table()
    finally:
        ranks.table.cache_clear()


def test_templates_agree_with_the_converter() -> None:
    """Every Korean string of the leaflet templates is already what meari nk would write."""
    from pathlib import Path

    import yaml

    def strings(x):  # noqa: ANN001, ANN202
        if isinstance(x, str):
            yield x
        elif isinstance(x, dict):
            for v in x.values():
                yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)

    root = Path(__file__).resolve().parents[2] / "meari" / "data" / "templates"
    for f in sorted(root.glob("*.yaml")):
        for s in strings(yaml.safe_load(f.read_text(encoding="utf-8"))):
            assert to_nk(s).edits == [], (f.name, s)
