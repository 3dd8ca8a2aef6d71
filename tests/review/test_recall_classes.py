"""The recall classes added after blind batch L, on wordings of our own (not L's sentences).

Each class is a mechanism in subjects.yaml / rules.yaml, so a paraphrase in another spelling or order
must be caught too, and the lawful twin of each must stay free of ihl./truth. findings.
"""

from __future__ import annotations

import pytest

from meari.message import Message
from meari.review import review

SPONSOR = "우크라이나 국방정보총국 《나는 살고 싶다》 프로젝트"


def legal(text: str, language: str = "sk") -> dict[str, str]:
    msg = Message(sponsor=SPONSOR, channel="leaflet", language=language, text=text)
    out: dict[str, str] = {}
    for f in review(msg).findings:
        if f.id.split(".", 1)[0] in ("ihl", "truth") and out.get(f.id) != "error":
            out[f.id] = f.severity
    return out


@pytest.mark.parametrize("text,rule", [
    ("이 전단은 어느 정부와도 관계가 없다. 그저 너희를 걱정하는 사람들의 글이다.", "truth.attribution"),
    ("발행처는 밝히지 않는다. 누가 보냈는지 묻지 마라.", "truth.attribution"),
    ("대한민국 통일부가 알립니다. 넘어오는 병사는 모두 받아들입니다.", "truth.false-source"),
    ("아버지가 직접 쓴 편지다. 아들아, 살아서 돌아오너라.", "truth.false-source"),
    ("우리 정찰대 차량마다 위생 기발을 달았다. 동무들은 그 차를 쏘지 못한다.", "ihl.emblem"),
    ("적십자 조끼를 입은 우리 사람을 따라 나오면 그 자리에서 우리 포로가 된다.", "ihl.perfidy"),
    ("내일 06:00 임시 휴전을 알린다. 공터로 모여라. [내부용: 집결 후 타격]", "ihl.perfidy"),
    ("너희 소대는 전원 이 참호에서 끝난다.", "ihl.no-quarter"),
    ("우리 포로수용소는 문을 닫았다. 손님용 침대는 더 없다.", "ihl.no-quarter"),
    ("우리도 백기를 들고 나간다. 놈들이 나오면 그 다음은 저격수가 알아서 한다.", "ihl.perfidy"),
    ("투항하겠다고? 좋다. 너희 투항은 우리 탄약을 절약해 주는 일일 뿐이다.", "ihl.no-quarter"),
    ("고향 집에 무슨 일이 생겨도 놀라지 마라.", "ihl.civilians"),
    ("포로 리 전사에게: 동료들에게 항복을 권하는 녹음을 하지 않으면 편지는 보내지 않겠다.", "ihl.coercion"),
])
def test_a_class_added_after_batch_l_is_caught_in_other_words(text, rule):
    assert rule in legal(text), legal(text)


@pytest.mark.parametrize("text", [
    "유엔과 적십자는 이 전단을 만들지 않았다. 이 전단은 우크라이나 국방정보총국이 만들었다.",
    "우리는 한국행을 약속할 수 없다. 결정은 관련 정부들이 내린다.",
    "한국으로 가고 싶다는 뜻을 밝힐 수 있다.",
    "항복하면 너희의 전쟁은 여기서 끝난다.",
    "대답을 하든 안 하든 음식과 담요는 똑같이 나온다.",
    "포로는 중앙심인국 앞으로 포로 통지 카드를 보낼 수 있다.",
])
def test_the_lawful_twin_gets_no_error(text):
    assert "error" not in legal(text).values(), legal(text)
