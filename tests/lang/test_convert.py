"""Behaviour of the converter on real dictionaries (HanDic / NK-HanDic via MeCab)."""

from __future__ import annotations

import pytest

from meari import to_nk, to_sk
from meari.errors import MeariError
from meari.lang.convert import CHUNK


def rules(conv) -> set[str]:  # noqa: ANN001
    return {r for e in conv.edits for r in e.rule_id.split("+")}


@pytest.mark.parametrize(
    ("sk", "nk", "rule"),
    [
        ("노동자들이 왔다", "로동자들이 왔다", "nk.initial-sound"),
        ("여성과 역사", "녀성과 력사", "nk.initial-sound"),
        ("이익을 위해", "리익을 위해", "nk.initial-sound"),
        ("요리를 배웠다", "료리를 배웠다", "nk.initial-sound"),
        ("비율이 높다", "비률이 높다", "nk.initial-sound"),
        ("그는 학생이었다", "그는 학생이였다", "nk.vowel-yeo"),
        ("비가 개었다", "비가 개였다", "nk.vowel-yeo"),
        ("그렇게 되었다", "그렇게 되였다", "nk.vowel-yeo"),
        ("우리가 갈까?", "우리가 갈가?", "nk.question-ga"),
        ("어떨까요", "어떨가요", "nk.question-ga"),
        ("나뭇잎이 떨어진다", "나무잎이 떨어진다", "nk.sai-siot"),
        ("바닷가에서", "바다가에서", "nk.sai-siot"),
        ("할 수 있다", "할수 있다", "nk.spacing"),
        ("먹고 있다", "먹고있다", "nk.spacing"),
        ("오는 바람에 늦었다", "오는바람에 늦었다", "nk.spacing"),
        ("찬 대기 속에", "찬 대기속에", "nk.spacing"),  # DOMAIN.md's own example
        ("책상 위에 놓았다", "책상우에 놓았다", "nk.vocab"),  # 위01 'above' is 우 in the North
        ("진지 밖으로", "진지밖으로", "nk.spacing"),
        ("수영할 줄 안다", "수영할줄 안다", "nk.spacing"),
        ("먹는 게 중요하다", "먹는게 중요하다", "nk.spacing"),
        ("“살고 싶다”", "《살고싶다》", "nk.quotes"),
        ("헬리콥터와 탱크", "직승기와 땅크", "nk.vocab"),
        ("북한군 병사", "조선인민군 병사", "nk.vocab"),
    ],
)
def test_sk2nk_rules(sk: str, nk: str, rule: str) -> None:
    conv = to_nk(sk)
    assert conv.text == nk
    assert rule in rules(conv)


@pytest.mark.parametrize(
    "text",
    [
        "여기 이것은 오늘의 이야기입니다.",  # native words that look Sino-Korean
        "이순신 장군",  # surname and name: left alone
        "이국 땅에서",  # 異 is read 이: no ㄹ to restore
        "라면을 먹었다",  # loanword with initial ㄹ: no hanja, untouched
        "2024년 10월 3km를 걸었다",  # numbers and units
        "AK-74 기관총과 GPS",  # Latin text
        "먹었다 갔다 보았다",  # stems not in ㅣ ㅐ ㅔ ㅚ ㅟ ㅢ
        "마셨다 보냈다",  # contractions common to both standards
        "까마귀가 울었다",  # 까 outside an ending
        "강한 적이 왔다",  # 적 = enemy, not the dependent noun of 간 적이 있다
        "긴 줄이 있다",  # 줄 = rope
        "많은 수의 병사",  # 수 = number
        "우리 안에 있다",  # place noun after a pronoun: left alone
        "1년 안에 끝난다",  # after a unit
        "위가 아프다",  # 위 = stomach
    ],
)
def test_sk2nk_leaves_alone(text: str) -> None:
    conv = to_nk(text)
    assert conv.text == text, conv.edits
    assert conv.edits == []


@pytest.mark.parametrize(
    ("nk", "sk", "rule"),
    [
        ("로동자들이 왔다", "노동자들이 왔다", "sk.initial-sound"),
        ("력사를 배운다", "역사를 배운다", "sk.initial-sound"),
        ("되였다", "되었다", "sk.vowel-eo"),
        ("할가요?", "할까요?", "sk.question-kka"),
        ("나무잎", "나뭇잎", "sk.sai-siot"),
        ("할수 있다", "할 수 있다", "sk.spacing"),
        ("《살고싶다》", "“살고 싶다”", "sk.quotes"),
        ("찬 대기속에", "찬 대기 속에", "sk.spacing"),  # place nouns the North joins
        ("경제를 발전시킬데 대하여 강조하였다", "경제를 발전시킬 데 대하여 강조하였다", "sk.spacing"),
        ("우리 부대안에서", "우리 부대 안에서", "sk.spacing"),
        ("직승기가 떴다", "헬리콥터가 떴다", "sk.vocab"),
        ("책상 우에 있다", "책상 위에 있다", "sk.vocab"),  # analyser chose the NK entry; its gloss decides
        ("그는 크게 웨쳤다", "그는 크게 외쳤다", "sk.vocab"),  # verb: the differing stem syllable swapped
        ("날씨가 차겁다", "날씨가 차갑다", "sk.vocab"),
        ("날씨가 개였다", "날씨가 개었다", "sk.vowel-eo"),  # NK 개이다, SK 개다
        ("조선로동당 중앙위원회", "조선노동당 중앙위원회", "sk.initial-sound"),
        ("련합부대들의 래왕", "연합 부대들의 내왕", "sk.initial-sound"),  # NK-HanDic's spelling gloss keeps the space
    ],
)
def test_nk2sk_rules(nk: str, sk: str, rule: str) -> None:
    conv = to_sk(nk)
    assert conv.text == sk
    assert rule in rules(conv)


def test_dictionary_compounds_with_place_nouns_stay_joined() -> None:
    for word in ("마음속에", "물속에", "눈앞에", "창밖을"):
        assert to_sk(word).text == word


def test_irregular_inflection_left_alone() -> None:
    # 차거워 (ㅂ-irregular) no longer contains the stem syllable the gloss swaps: leave it
    assert to_sk("날씨가 차거워졌다").text == "날씨가 차거워졌다"


def test_edits_are_exact_and_explained() -> None:
    src = "노동자 여러분, 할 수 있습니다.\n\n헬리콥터가 왔을까?"
    conv = to_nk(src)
    rebuilt = []
    pos = 0
    for e in conv.edits:
        assert src[e.start:e.end] == e.before
        assert e.rule_id and e.why
        lines = src.split("\n")
        assert lines[e.line - 1][e.col - 1:].startswith(e.before)
        rebuilt.append(src[pos:e.start] + e.after)
        pos = e.end
    rebuilt.append(src[pos:])
    assert "".join(rebuilt) == conv.text
    assert conv.text.count("\n") == src.count("\n")
    assert "sk2nk" in conv.signature and "lex:" in conv.signature and "nk.vocab" in conv.signature


def test_round_trip_on_rule_words() -> None:
    src = "노동자 여성 역사 이익을 위해 할 수 있다. 되었다. 갈까? 나뭇잎"
    assert to_sk(to_nk(src).text).text == src


def test_nfc_input_and_blank_lines() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "노동자\n\n할 수 있다\r")
    conv = to_nk(decomposed)
    assert conv.text == "로동자\n\n할수 있다\r"


def test_control_characters_rejected_with_line_and_column() -> None:
    with pytest.raises(MeariError, match=r"U\+0007 at line 2, column 3"):
        to_nk("좋다\n안녕\x07하세요")


def test_long_line_converted_in_chunks_without_loss() -> None:
    sentence = "노동자들이 할 수 있다. "
    line = sentence * (CHUNK // len(sentence) * 3)
    conv = to_nk(line)
    assert conv.text.count("로동자") == line.count("노동자")
    assert len(conv.text) == len(line) - line.count("할 수")
    assert "\n" not in conv.text


def test_unspaced_run_longer_than_chunk() -> None:
    run = "가" * (CHUNK * 2 + 7)
    assert to_nk(run).text == run


def test_mixed_scripts_pass_through() -> None:
    src = "Привет, soldier! 노동자 漢字 😀"
    conv = to_nk(src)
    assert conv.text == "Привет, soldier! 로동자 漢字 😀"


def test_non_string_rejected() -> None:
    with pytest.raises(MeariError):
        to_nk(b"bytes")  # type: ignore[arg-type]
