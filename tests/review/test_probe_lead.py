"""Probe messages the lead wrote after the review rules were built, without tuning on them
first (30/32 passed on first run; the two misses were fixed in data: an ICRC visit is not a
family-visit promise, and moving under a UN flag is military use of the emblem)."""

from __future__ import annotations

import pytest

from meari.message import parse_message
from meari.review import review

ITEMS = [
    ("항복하지 않으면 모두 죽이겠다.", "ihl"),
     ("투항하지 않는 자는 한 명도 살려두지 않을 것이다.", "ihl"),
     ("우리는 포로를 잡지 않는다.", "ihl"),
     ("휴전을 제안하는 척하고 그들이 나오면 공격하라.", "ihl"),
     ("흰 기를 들고 접근해서 사격하라.", "ihl"),
     ("적십자 표시를 단 차량으로 위장해 진지에 접근한다.", "ihl"),
     ("유엔 깃발을 달고 이동하면 적이 쏘지 않을 것이다.", "ihl"),
     ("생포한 병사들의 얼굴과 이름을 인터넷에 공개하겠다.", "ihl"),
     ("포로의 사진을 텔레비전에 내보낼 것이다.", "ihl"),
     ("모든 것을 말하지 않으면 포로를 고문하겠다.", "ihl"),
     ("부대 위치를 대지 않으면 가족을 해치겠다.", "ihl"),
     ("너희 마을을 불태워 버리겠다.", "ihl"),
     ("민간인들도 적이니 마을에 포격을 퍼부어라.", "ihl"),
     ("항복하면 한국으로 보내 주겠습니다.", "truth"),
     ("투항하는 병사에게는 1만 달러를 지급합니다.", "truth"),
     ("항복하면 곧바로 석방해 드립니다.", "truth"),
     ("항복하면 가족과 통화할 수 있게 해 드리겠습니다.", "truth"),
     ("한국 국적과 집을 드립니다.", "truth"),
     ("절대로 북한으로 돌려보내지 않겠습니다.", "truth"),
     ("포로는 제네바 협약에 따라 음식과 치료를 받습니다.", "clean"),
     ("국제적십자위원회가 수용소를 방문합니다.", "clean"),
     ("흰 천을 흔들며 천천히 걸어 나오십시오.", "clean"),
     ("우리는 포로를 해치지 않습니다. 무기를 내려놓으십시오.", "clean"),
     ("항복하는 병사는 쏘지 않습니다.", "clean"),
     ("가족에게 편지를 보낼 수 있습니다.", "clean"),
     ("여러분은 이 전쟁에서 죽을 필요가 없습니다.", "clean"),
     ("민간인은 보호됩니다.", "clean"),
     ("러시아 지휘관들은 여러분을 총알받이로 쓰고 있습니다.", "clean"),
     ("살고 싶으면 지금 나오십시오.", "clean"),
    ("무기를 버리지 않는 놈들은 전부 사살한다.", "ihl"),
     ("살아서 돌아가는 자는 아무도 없을 것이다.", "ihl"),
     ("항복해도 소용없다. 우리는 너희를 모두 없앨 것이다.", "ihl"),
     ("백기를 든 척하며 다가가 수류탄을 던져라.", "ihl"),
     ("거짓 항복으로 적을 유인한 뒤 기습한다.", "ihl"),
     ("구급차에 무기를 싣고 적십자 마크로 위장하라.", "ihl"),
     ("유엔 차량으로 위장하여 전선을 통과한다.", "ihl"),
     ("붙잡힌 북한 병사 김철수의 사진을 공개합니다.", "ihl"),
     ("포로들을 굶기면 입을 열 것이다.", "ihl"),
     ("심문에 협조하지 않으면 총살한다.", "ihl"),
     ("너희 고향 마을에 미사일을 쏘겠다.", "ihl"),
     ("북한에 있는 너희 가족이 대가를 치를 것이다.", "ihl"),
     ("학교와 병원도 가리지 않고 폭격하겠다.", "ihl"),
     ("항복하면 서울에서 새 삶을 시작할 수 있게 해 드립니다.", "truth"),
     ("포로가 되면 매달 월급을 받습니다.", "clean"),  # GC III Art. 60: monthly advances of pay
     ("투항자에게 5000달러의 보상금을 드립니다.", "truth"),
     ("전쟁이 끝나기 전에 여러분을 풀어 주겠습니다.", "truth"),
     ("원하는 나라로 보내 드립니다.", "truth"),
     ("가족을 한국으로 데려와 드리겠습니다.", "truth"),
     ("항복하는 병사는 처벌받지 않고 대한민국 시민권을 받습니다.", "truth"),
     ("적십자 대표가 포로를 면회할 수 있습니다.", "clean"),
     ("제네바 협약은 포로에게 인도적 대우를 보장합니다.", "clean"),
     ("부상자는 즉시 치료를 받습니다.", "clean"),
     ("러시아는 당신들을 속였습니다. 당신의 목숨은 소중합니다.", "clean"),
     ("포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다.", "clean"),
     ("우리는 투항하는 사람을 공격하지 않습니다.", "clean"),
     ("전쟁이 끝나면 포로는 송환됩니다.", "clean"),
     ("이 전단을 가지고 오면 안전하게 보호합니다.", "clean"),
     ("밤에는 움직이지 말고 낮에 손을 들고 나오십시오.", "clean"),
     ("수많은 병사들이 이미 목숨을 잃었습니다.", "clean"),
     ("포격이 계속되는 곳에 머물면 죽을 수 있습니다.", "clean"),
     ("우리 군은 민간인을 공격하지 않습니다.", "clean"),
]


# North Korean spelling and spacing, loudspeaker channel (16/16 on first run).
NK_ITEMS = [
    ("투항하지 않으면 한놈도 살려두지 않을것이다.", "ihl"),
     ("포로가 되면 남조선으로 보내줄수 있다.", "truth"),
     ("투항하면 1000딸라를 주겠다.", "truth"),
     ("포로들의 얼굴을 텔레비죤으로 내보내겠다.", "ihl"),
     ("적십자표식을 단 차로 위장하여 접근하라.", "ihl"),
     ("너희 부모들이 사는 마을을 불바다로 만들겠다.", "ihl"),
     ("흰기를 들고 나오는척 하다가 총을 쏘라.", "ihl"),
     ("모든것을 말하지 않으면 매를 맞을것이다.", "ihl"),
     ("로동자, 농민의 아들들이여, 살아서 고향으로 돌아가라.", "clean"),
     ("포로는 제네바협약에 따라 음식과 치료를 받게 된다.", "clean"),
     ("무기를 내려놓고 두손을 들고 천천히 걸어나오시오.", "clean"),
     ("누구도 여러분을 해치지 않을것입니다.", "clean"),
     ("리유없는 죽음을 택하지 마십시오.", "clean"),
     ("조선인민군 병사들이여, 로씨야를 위해 죽을 필요가 없다.", "clean"),
     ("국제적십자위원회가 포로들의 안전을 확인한다.", "clean"),
     ("가족들에게 편지를 보낼수 있다.", "clean"),
]


def _check(text: str, want: str, channel: str, language: str) -> None:
    msg = parse_message(f"sponsor: 우크라이나 국방부\nchannel: {channel}\nlanguage: {language}\ntext: {text}")
    errors = {f.id for f in review(msg).findings if f.severity == "error"}
    if want == "clean":
        assert not errors
    else:
        assert want in {e.split(".")[0] for e in errors}, errors


@pytest.mark.parametrize(("text", "want"), NK_ITEMS)
def test_probe_nk(text: str, want: str) -> None:
    _check(text, want, "loudspeaker", "nk")


@pytest.mark.parametrize(("text", "want"), ITEMS)
def test_probe(text: str, want: str) -> None:
    _check(text, want, "leaflet", "sk")
