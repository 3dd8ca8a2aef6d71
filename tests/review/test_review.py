"""Behaviour of meari.review: each family on real analyser output, negation, context, API, bad input."""

from __future__ import annotations

import pytest

from meari.errors import MeariError
from meari.message import Message, load_message
from meari.review import Finding, Review, hangul_share, review
from meari.review.registry import all_checks

SPONSOR = "우크라이나 《나는 살고 싶다》 프로젝트"


def ids(text: str, **kw) -> set[str]:
    kw.setdefault("sponsor", SPONSOR)
    kw.setdefault("language", "sk")
    return {f.id for f in review(Message(text=text, **kw)).findings}


# --- IHL: inflected forms are caught, negated ones are safeguards ---------------------------------

@pytest.mark.parametrize("text", [
    "항복하지 않으면 모두 죽이겠다.",
    "항복하지 않으면 모두 죽일 것이다.",
    "항복해도 살려두지 않는다.",
    "한 놈도 살려 보내지 않겠다.",
    "아무도 살아남지 못할 것이다.",
    "포로는 잡지 않는다.",
])
def test_no_quarter_inflections(text):
    assert "ihl.no-quarter" in ids(text)


@pytest.mark.parametrize("text", [
    "누구도 여러분을 해치지 않습니다.",
    "항복하는 병사는 절대 죽이지 않습니다.",
    "여러분의 지휘관은 항복하면 죽인다고 거짓말합니다.",  # reported lie, refuted
    "포로를 죽이는 것은 전쟁범죄입니다.",  # condemnation
    "러시아군은 항복하려던 병사를 사살했습니다.",  # past report, not a threat
])
def test_no_quarter_safeguards_do_not_fire(text):
    assert not ids(text) & {"ihl.no-quarter", "ihl.civilians", "ihl.coercion"}


def test_emblem_misuse_versus_genuine_reference():
    assert "ihl.emblem" in ids("적십자 표시를 달고 접근하라.")
    assert "ihl.emblem" in ids("유엔 차량으로 위장해서 침투한다.")
    assert "ihl.emblem" not in ids("국제적십자위원회가 포로수용소를 방문합니다.")
    assert "ihl.emblem" not in ids("적십자를 통해 가족에게 편지를 보낼 수 있습니다.")


def test_un_latin_token_never_matches_inside_a_word():
    assert "ihl.emblem" in ids("UN 마크를 붙인 트럭으로 접근하라.")
    assert "ihl.emblem" not in ids("UNIFORM 마크를 붙인 트럭으로 접근하라.")


def test_perfidy_and_white_flag():
    assert "ihl.perfidy" in ids("항복하는 척하다가 수류탄을 던져라.")
    assert "ihl.perfidy" in ids("백기를 들고 접근하여 기습하라.")
    assert "ihl.perfidy" not in ids("흰 천을 들고 나오는 사람에게는 사격하지 않습니다.")


def test_pow_exposure_and_coercion():
    assert "ihl.pow-exposure" in ids("포로가 된 김철수 전사가 여러분에게 말합니다.")
    assert "ihl.pow-exposure" not in ids("포로의 사진이나 이름은 공개하지 않습니다.")
    assert "ihl.coercion" in ids("부대 위치를 말하지 않으면 처벌받는다.")
    assert "ihl.coercion" not in ids("포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다.")


def test_civilians():
    assert "ihl.civilians" in ids("항복하지 않으면 고향 마을을 불태우겠다.")
    assert "ihl.civilians" not in ids("민간인을 해치지 마십시오.")


# --- truth ---------------------------------------------------------------------------------------

def test_unapproved_promise_and_guarantees():
    text = "항복하면 원하는 사람은 한국으로 갈 수 있습니다."
    assert "truth.unapproved-promise" in ids(text)
    assert "truth.unapproved-promise" not in ids(text, guarantees=["원하는 사람은 한국 정착 지원"])
    # a guarantee for another category does not approve this one
    assert "truth.unapproved-promise" in ids(text, guarantees=["가족과 통화"])


def test_geneva_treatment_is_not_a_promise():
    assert not ids("포로가 되면 제네바 협약에 따라 음식과 치료를 받게 됩니다.") & {"truth.unapproved-promise"}
    assert not ids("전쟁이 끝나면 포로는 고향으로 돌아갈 수 있습니다.") & {"truth.unapproved-promise"}


def test_attribution_depends_on_channel():
    assert "truth.attribution" in ids("무기를 내려놓으십시오.", sponsor=None)
    assert "truth.attribution" in ids("무기를 내려놓으십시오.", sponsor=None, channel="loudspeaker")
    assert "truth.attribution" not in ids("무기를 내려놓으십시오.", sponsor=None, channel="interpreter")


# --- vocab, nk spelling ---------------------------------------------------------------------------

def test_vocab_outsider_fix_and_scope():
    r = review(Message(text="북한군 병사 여러분, 헬리콥터가 옵니다.", sponsor=SPONSOR, language="nk"))
    vocab = [f for f in r.findings if f.id == "vocab.outsider"]
    assert [f.text for f in vocab] == ["북한군", "헬리콥터"]
    assert "조선인민군" in vocab[0].fix and "직승기" in vocab[1].fix
    assert vocab[0].severity == "warning"
    # a text meant for South Korean readers is not checked for North Korean vocabulary
    assert "vocab.outsider" not in ids("북한군 병사 여러분", language="sk")


@pytest.mark.parametrize("sk,nk", [("노동자", "로동자"), ("할까요", "할가요")])
def test_nk_orthography_uses_converter_edits(sk, nk):
    text = f"여러분, {sk} 생각해 보십시오."
    r = review(Message(text=text, sponsor=SPONSOR, language="nk"))
    found = [f for f in r.findings if f.id == "nk.orthography"]
    assert any(nk in f.fix for f in found), found
    assert all(f.severity == "warning" for f in found)
    assert all("[nk." in f.why for f in found)  # the converter's rule id is named


# --- read, broadcast ------------------------------------------------------------------------------

def test_read_checks():
    assert "read.hanja-script" in ids("捕虜는 安全합니다.")
    assert "read.latin" in ids("ICRC 대표가 옵니다.")
    assert "read.numbers" in ids("500m 앞으로 오십시오.")
    assert "read.numbers" in ids("매일 14:00에 들으십시오.")
    long = ("여러분이 지금 이 전단을 읽고 있다면 러시아 지휘관들이 여러분을 총알받이로 "
            "쓰고 있다는 것을 이미 알고 있을 것이고 지금이 결정할 때입니다.")
    assert "read.sentence-length" in ids(long)


def test_broadcast_duration_reports_seconds_at_the_message_rate():
    text = "무기를 내려놓고 나오십시오. 무기를 내려놓고 나오십시오."
    m = Message(text=text, sponsor=SPONSOR, language="sk", channel="loudspeaker",
                broadcast={"syllables_per_s": 4.0})
    d = [f for f in review(m).findings if f.id == "broadcast.duration"]
    syl = sum(1 for c in text if "가" <= c <= "힣")
    assert len(d) == 1 and f"{syl / 4.0:.1f} s per pass" in d[0].why
    m2 = Message(text=text, sponsor=SPONSOR, language="sk", channel="loudspeaker", broadcast={"syllables_per_s": 2.0})
    assert f"{syl / 2.0:.1f} s per pass" in [f for f in review(m2).findings if f.id == "broadcast.duration"][0].why
    assert not ids(text, channel="leaflet") & {"broadcast.duration"}


def test_broadcast_structure():
    late = "조선 병사 여러분. 이 전쟁은 여러분의 전쟁이 아닙니다. 고향을 생각하십시오. 무기를 내려놓고 나오십시오."
    assert "broadcast.key-late" in ids(late, channel="loudspeaker")
    assert "broadcast.not-repeated" in ids(late, channel="loudspeaker")
    assert "broadcast.no-instruction" in ids("이 전쟁은 여러분의 전쟁이 아닙니다.", channel="loudspeaker")


# --- API, positions, example ------------------------------------------------------------------------

def test_finding_api_positions_and_sorting():
    text = "조선 병사 여러분.\n항복하지 않으면 모두 죽이겠다."
    r = review(Message(text=text, sponsor=SPONSOR, language="sk"))
    assert isinstance(r, Review) and r.has_errors
    f = next(f for f in r.findings if f.id == "ihl.no-quarter")
    assert isinstance(f, Finding) and f.severity == "error"
    assert (f.line, f.col) == (2, 10)
    assert text[f.start:f.end] == f.text == "모두 죽이"
    assert f.why and f.fix
    order = ["error", "warning", "info"]
    assert r.findings == sorted(r.findings, key=lambda x: (x.line, x.col, order.index(x.severity), x.id))


def test_catalogue_ids_unique_with_explanations():
    checks = all_checks()
    assert len({c.id for c in checks}) == len(checks)
    for c in checks:
        assert c.summary and c.severity in ("error", "warning", "info")
        if c.id.startswith(("ihl.", "truth.")):
            assert c.severity == "error"


def test_example_appeal_reviews_without_errors():
    # The leaflet and audio stages rely on the demo message passing review; the demo should not even
    # need a second look, so no IHL or truthfulness warning either.
    from meari.demo import EXAMPLE

    r = review(load_message(EXAMPLE))
    assert not r.has_errors, [f for f in r.findings if f.severity == "error"]
    assert not [f for f in r.findings if f.id.split(".")[0] in ("ihl", "truth")]


# --- second tier: possible violations as warnings with the same rule ids --------------------------

def tiers(text: str, **kw) -> dict[str, str]:
    """rule id -> most severe severity, for the ihl/truth findings of ``text``."""
    kw.setdefault("sponsor", SPONSOR)
    kw.setdefault("language", "sk")
    out: dict[str, str] = {}
    for f in review(Message(text=text, **kw)).findings:
        if f.id.split(".")[0] in ("ihl", "truth") and out.get(f.id) != "error":
            out[f.id] = f.severity
    return out


@pytest.mark.parametrize("text,rule", [
    ("너 안 나와. 우리 포 쏜다. 너 죽는다. 모두.", "ihl.no-quarter"),  # spread over sentences, phrasebook Korean
    ("얘들아, 오늘 경기는 간단하다. 상대 팀은 한 명도 경기장 밖으로 못 나간다. 전부 눕힌다.", "ihl.no-quarter"),
    ("니네 고향 마을 다 밀어버려야 정신 차리지. 애새끼들까지 싹 다.", "ihl.civilians"),
    ("너희 부모가 사는 동네 좌표를 우리는 안다. 포병은 이미 준비를 마쳤다.", "ihl.civilians"),
    ("심문 때 입 다물고 있으면 그 다음 일은 장담 못 한다.", "ihl.coercion"),
    ("문: 포로가 되면 심문을 받습니까? 답: 받습니다. 거짓말을 하면 그날 밥은 없습니다.", "ihl.coercion"),
    ("진행자: 작전은요? 해설자: 우리도 백기를 흔들 겁니다. 저들이 고개를 내밀면 그때 끝내는 거죠.", "ihl.perfidy"),
    ("어제 넘어온 병사는요? 그 친구 얼굴이랑 부대 번호를 오늘 밤 방송에 그대로 내보냅니다.", "ihl.pow-exposure"),
    ("문: 투항하면 무엇을 받습니까? 답: 새 휴대전화와 한 달 치 생활비를 받습니다.", "truth.unapproved-promise"),
    ("투항자의 가족이 제3국으로 탈출할 경우 그 비용 일체를 본 사업단이 부담한다.", "truth.unapproved-promise"),
    ("넘어오면 새 스마트폰과 유심을 받습니다.", "truth.unapproved-promise"),  # any gift, no list
])
def test_weaker_evidence_is_a_warning_with_the_same_id(text, rule):
    got = tiers(text)
    assert got.get(rule) == "warning", got
    assert "error" not in got.values(), got  # the warning tier never blocks production


@pytest.mark.parametrize("text", [
    "러시아 지휘관들은 물러서는 병사를 죽이겠다고 위협합니다. 우리는 그러지 않습니다.",  # reported, third party
    "이곳에 남아 있으면 포격으로 목숨을 잃을 수 있습니다. 살 길은 투항입니다.",  # truthful danger
    "우크라이나군은 무기를 내려놓은 사람을 쏘지 않습니다. 제네바 협약이 그들을 보호합니다.",
    "러시아를 위해 죽지 마십시오. 여러분의 목숨은 러시아의 것이 아닙니다.",
    "드론은 무기를 든 사람을 공격합니다. 무기를 버리고 손을 들면 공격하지 않습니다.",  # lawful targeting
    "포로는 심문을 받을 수 있지만 대답을 거부해도 벌을 받지 않습니다.",
    "문: 포로가 되면 때립니까? 답: 아닙니다. 포로를 때리는 것은 국제법이 금지합니다.",  # a question asserts nothing
    "포로에게는 물, 음식, 치료가 제공되고 적십자가 방문합니다.",
    "포로가 되면 매달 월급을 받습니다.",  # GC III Art. 60
    "포로수용소에는 의사가 있고 하루 세 끼 식사가 나옵니다.",
    "총을 버리고 나오는 사람은 쏘지 않겠습니다. 약속합니다.",  # the promise is humane treatment
    "흰 천을 들지 않으면 우리 병사가 오인 사격할 수 있습니다.",
    "본 기관은 제네바 제3협약에 따라 모든 포로를 인도적으로 대우하며, 국제적십자위원회의 방문을 보장한다.",
    "조선 병사들이여, 무기를 버리고 나오라. 무기를 버리고 손을 들고 나오라.",  # 손보다 no longer matches 손
    "다친데가 있으면 숨기지 말고 말해. 여기 의사들이 다 치료해준다.",
    "이 전단을 동료에게도 전해 주세요.",  # a request, not a favour
    "투항한 병사의 편지를 가족에게 보내 드립니다.",  # letters (GC III Art. 71), not sending the person
    "우리 드론은 항복하는 사람을 쏘지 않습니다. 안심하고 나오십시오.",
])
def test_protective_frames_and_third_party_warnings_are_clean_at_any_severity(text):
    assert tiers(text) == {}


def test_lead_probe_clean_messages_get_no_warnings_either():
    from tests.review.test_probe_lead import ITEMS

    noisy = [(it[0], tiers(it[0])) for it in ITEMS if it[1] == "clean" and tiers(it[0])]
    assert not noisy


def test_an_error_hides_the_warning_of_its_family_on_the_same_words():
    got = review(Message(text="항복하지 않으면 모두 죽이겠다.", sponsor=SPONSOR)).findings
    assert [f.severity for f in got if f.id.startswith("ihl.")] == ["error"]


def test_a_guarantee_clears_the_warning_for_what_it_names():
    text = "투항자의 가족이 제3국으로 탈출할 경우 그 비용 일체를 본 사업단이 부담한다."
    assert tiers(text) == {"truth.unapproved-promise": "warning"}
    assert tiers(text, guarantees=["탈출 비용 부담 (sponsor board decision 2025-03)"]) == {}


def test_warnings_carry_a_why_for_a_human_and_a_fix():
    f = next(f for f in review(Message(text="너 안 나와. 우리 포 쏜다. 너 죽는다. 모두.", sponsor=SPONSOR)).findings
             if f.id == "ihl.no-quarter")
    assert f.severity == "warning"
    assert f.why.startswith("possible threat") and "check the wording" in f.why
    assert f.fix


def test_no_forced_labour_is_a_promise_unless_approved():
    # GC III Art. 49 lets the detaining power require work from prisoners, so this goes beyond the Conventions.
    text = "누구도 여러분을 해치지 않을 것이며 노동을 강요하지 않습니다."
    assert "truth.unapproved-promise" in ids(text)
    assert "truth.unapproved-promise" not in ids(text, guarantees=["포로에게 노동을 강요하지 않음"])


# --- bad input ------------------------------------------------------------------------------------

def test_non_korean_text_is_an_error():
    with pytest.raises(MeariError, match="not Korean"):
        review(Message(text="Drop your weapons and come out slowly.", sponsor=SPONSOR))
    assert hangul_share("무기를 내려놓으십시오 OK") > 0.5


def test_one_megabyte_text_is_reviewed_completely():
    base = "조선인민군 병사 여러분, 무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.\n"
    n = 1_000_000 // len(base.encode())
    text = base * n + "항복하는 자도 모두 죽일 것이다.\n"
    assert len(text.encode()) >= 1_000_000
    r = review(Message(text=text, sponsor=SPONSOR, language="sk"))
    last = [f for f in r.findings if f.id == "ihl.no-quarter"]
    assert len(last) == 1 and last[0].line == n + 1


def test_leaflet_headline_and_steps_are_reviewed_too():
    steps = ["무기를 내려놓으십시오", "헬리콥터를 보면 손을 드십시오"]
    m = Message(text="무기를 내려놓으십시오.", sponsor=SPONSOR, language="nk",
                leaflet={"headline": "북한군은 모두 죽일 것이다", "steps": steps})
    r = review(m)
    by_field = {(f.field, f.id) for f in r.findings}
    assert ("leaflet.headline", "ihl.no-quarter") in by_field
    assert ("leaflet.headline", "vocab.outsider") in by_field
    assert ("leaflet.steps[1]", "vocab.outsider") in by_field
    assert r.has_errors
    assert r.findings[0].field == "text" or all(f.field != "text" for f in r.findings)
    # a loudspeaker message has no printed headline: its leaflet section is not reviewed
    assert not any(f.field != "text" for f in review(m.model_copy(update={"channel": "loudspeaker"})).findings)


def test_guarantee_words_must_name_the_category():
    text = "포로에게는 어떤 노동도 시키지 않습니다."
    assert "truth.unapproved-promise" in ids(text, guarantees=["매일 세 끼 식사"])  # '일' inside 매일 is not 'work'
    assert "truth.unapproved-promise" not in ids(text, guarantees=["no forced labour for prisoners"])


# --- generalisation round (blind batches A-C): forms other writers use -----------------------------

@pytest.mark.parametrize("text", [
    "항복 안 하면 참호째 다 묻어버린다.",  # conditional threat, 안 inside
    "나와라. 안 나오면 다 죽는다.",  # everyone dies unless
    "포로 안 받는다. 끝이다.",  # negation inside a multi-word act (analyser splits 포로 as 포 + 로)
    "저항하는 모든 군인은 파괴될 것이다.",
    "너희 대대에 대해서는 전원 사살 명령이 내려졌다.",  # an order, whatever its tense
    "항복하지 않는 놈은 영원히 재워 주겠다.",  # euphemism
])
def test_no_quarter_other_writers(text):
    assert "ihl.no-quarter" in ids(text)


@pytest.mark.parametrize("text", [
    "흰 천을 들지 않으면 우리 병사가 오인 사격할 수 있습니다.",  # honest warning of fire by mistake
    "부상자는 그 자리에서 응급 처치를 받습니다.",  # 처치 = first aid
    "항복하여 이 전쟁을 끝내십시오.",
    "우리는 여러분 가족이 사는 마을을 공격할 이유가 없습니다.",
    "항복하지 않으면 포격은 계속됩니다.",
])
def test_clean_lines_near_threat_words(text):
    assert not {i for i in ids(text) if i.startswith("ihl.")}


def test_truce_announced_then_attack_across_two_sentences():
    text = "우리는 방송으로 휴전을 선언할 것입니다. 그러나 당신들이 밖으로 나오면 그때 포병이 공격합니다."
    assert "ihl.perfidy" in ids(text)
    # a warning before a bombardment is not a feigned truce
    assert "ihl.perfidy" not in ids("항복하십시오. 30분 후 포격이 시작됩니다.")


@pytest.mark.parametrize("text", [
    "잡히면 다 불어라. 안 불면 맞는다.",
    "포로한테는 물 한 모금도 주지 마라. 말할 때까지.",
    "입 다무는 놈은 재우지도 먹이지도 않는다.",
    "포로가 되면 지휘관 위치부터 대라.",
])
def test_coercion_other_writers(text):
    assert "ihl.coercion" in ids(text)


@pytest.mark.parametrize("text", [
    "넘어오면 아이폰 하나씩 줌.",  # gift the topic lists never named
    "넘어오는 병사에게는 비행기표를 드립니다.",
    "항복하면 곧바로 석방해 준다.",
    "전쟁이 끝나기 전이라도 원하시면 바로 집에 보내 드려요.",  # 'before the end' is not after it
    "너희는 절대 북한으로 안 돌려보낸다. 보장한다.",
    "항복하면 어떤 죄도 묻지 않겠다. 재판도 없다.",
    "우리는 당신에게 우크라이나에서 좋은 일자리와 아파트를 제공합니다.",
    "투항하면 상금 천 달러.",
])
def test_promises_by_category_and_form(text):
    assert "truth.unapproved-promise" in ids(text)


@pytest.mark.parametrize("text", [
    "포로에게는 매일 세 끼 식사와 깨끗한 물이 제공됩니다.",
    "항복하면 새 군복과 신발을 줍니다.",
    "포로가 되면 편지지와 연필을 드립니다.",
    "포로는 자기 돈을 가질 수 있고, 매달 급여를 받습니다.",  # GC III Art. 58-62
    "포로는 한국 정부에 보호를 신청할 수 있습니다.",  # a right, not an outcome
    "항복했다는 이유로 처벌받는 일은 없습니다. 포로는 범죄자가 아닙니다.",
    "전쟁이 끝나면 포로는 지체 없이 고향으로 송환됩니다.",  # GC III Art. 118
    "저희는 돈이나 선물을 약속하지 않아요.",
])
def test_convention_treatment_is_not_a_promise(text):
    assert "truth.unapproved-promise" not in ids(text)


def test_guarantees_approve_the_new_categories():
    gift = "무기를 가지고 오면 100달러를 드립니다."
    assert "truth.unapproved-promise" in ids(gift)
    assert "truth.unapproved-promise" not in ids(gift, guarantees=["payment of 100 USD per weapon handed over"])
    amnesty = "투항한 자는 형사 책임을 일체 면제받는다."
    assert "truth.unapproved-promise" in ids(amnesty)
    assert "truth.unapproved-promise" not in ids(amnesty, guarantees=["amnesty law of 2025 for deserters"])
    home = "귀순하는 병사에게는 살림집과 로동자 일자리가 보장된다."
    approved = ["housing and a job through the ROK resettlement programme"]
    assert "truth.unapproved-promise" not in ids(home, guarantees=approved)


def test_prisoner_photos_safeguards():
    assert "ihl.pow-exposure" in ids("잡히면 너희 얼굴을 인터넷에 다 뿌린다.")
    assert "ihl.pow-exposure" not in ids("포로가 된 병사들의 얼굴은 모자이크로 가립니다.")
    assert "ihl.pow-exposure" not in ids("포로의 이름은 적십자에 알립니다.")  # GC III Art. 122-123
    assert "ihl.pow-exposure" not in ids("우크라이나 정부는 포로의 신원을 언론에 공개하지 않는다고 밝혔다.")


def test_sino_korean_violence_words_match_by_hanja():
    """격멸(擊滅), 궤멸(潰滅) are in no list: the 滅 in their hanja makes them annihilation words."""
    assert "ihl.no-quarter" in ids("항복하지 않는 부대는 격멸한다.")
    assert "ihl.no-quarter" in ids("너희 중대는 오늘 궤멸된다.")
    assert "ihl.no-quarter" not in ids("러시아의 침략은 파멸로 끝날 것입니다.")  # 破滅: ruin, excepted
    assert not {i for i in ids("포로를 학살하는 것은 전쟁범죄입니다.") if i.startswith("ihl.")}
