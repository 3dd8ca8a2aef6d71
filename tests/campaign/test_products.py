"""Every message the workbench accepts builds every product of its channel, stored with its SHA-256 under
the data dir; files are read back (PDF text, decoded audio, JSON)."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from meari.campaign import rules, workflow
from meari.campaign.models import LedgerEntry

from .conftest import APPEAL, STORE, THREAT

NO_HEADLINE = """sponsor: 우크라이나 국방정보총국
text: |
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로는 제네바협약에 따라 음식과 치료를 받습니다.
"""
LOUDSPEAKER = """sponsor: 우크라이나 국방정보총국
channel: loudspeaker
text: |
  조선인민군 병사들이여, 무기를 내려놓고 걸어나오십시오.
  포로는 제네바협약에 따라 보호를 받습니다.
broadcast:
  repeats: 1
  pause_s: 0.5
  recording: /etc/passwd
"""
INTERPRETER = """sponsor: 우크라이나 국방정보총국
channel: interpreter
text: 당신은 이름, 계급, 생년월일, 군번만 말하면 됩니다.
"""


def _approve(t, yaml):  # noqa: ANN001, ANN202
    v = workflow.create_message(t["writer"], t["own"], yaml)
    workflow.sign_off(t["linguist"], v, "language")
    for f in workflow.legal_findings(v):
        workflow.resolve_finding(t["legal"], v, f["key"], "accepted", "accepted for this test: quoted text")
    workflow.sign_off(t["legal"], v, "legal")
    workflow.approve(t["approver"], v)
    return v


def _check_stored(p) -> bytes:  # noqa: ANN001
    f = STORE["data_dir"] / p.path
    data = f.read_bytes()
    assert hashlib.sha256(data).hexdigest() == p.sha256 and len(data) == p.size
    assert p.path.startswith("products/kursk/") and ".." not in p.path
    assert not list(f.parent.glob(".*")), "a temp file was left beside the product"
    return data


def _pdf_text(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(data))
    return len(r.pages), "\n".join(pg.extract_text() or "" for pg in r.pages)


@pytest.mark.parametrize("yaml", [APPEAL, NO_HEADLINE, THREAT],
                         ids=["example-appeal", "no-headline", "errors-accepted"])
def test_leaflet_message_builds_every_leaflet_product(team, yaml: str) -> None:
    v = _approve(team, yaml)
    params = {"drift": {"aim": "51.70,35.30", "n": 2000, "seed": 3}}
    products = workflow.build_all_products(team["operator"], v, params)
    assert [p.kind for p in products] == list(rules.CHANNEL_PRODUCTS["leaflet"])
    for p in products:
        data = _check_stored(p)
        if p.kind == "drift":
            doc = json.loads(data)
            assert doc and p.meta["params"]["aim"] == "51.70,35.30"
            continue
        pages, text = _pdf_text(data)
        assert pages >= 2 and "NOT APPROVED" not in text, p.kind
        assert "review:" in p.signature
    built = LedgerEntry.objects.filter(action="product.built").count()
    assert built == len(products)
    appeal = next(p for p in products if p.kind == "appeal-leaflet")
    if yaml is NO_HEADLINE:
        assert any("default" in n for n in appeal.meta["notes"])
        assert "살아서" in _pdf_text(_check_stored(appeal))[1]
    if yaml is THREAT:
        assert "review:legal-accepted" in appeal.signature and appeal.meta["notes"]


def test_loudspeaker_message_builds_audio_and_range(team) -> None:
    import soundfile as sf

    v = _approve(team, LOUDSPEAKER)
    products = workflow.build_all_products(team["operator"], v)
    assert [p.kind for p in products] == ["audio", "range"]
    audio, rng = products
    with sf.SoundFile(io.BytesIO(_check_stored(audio))) as f:
        assert f.samplerate == 44100 and f.frames / f.samplerate > 2.0
    assert any("recording" in n for n in audio.meta["notes"])  # the path in the message was never opened
    doc = json.loads(_check_stored(rng))
    assert doc["conditions"]["spl_1m_db"] == 130.0 and rng.meta["ranges_m"]["fair"] > 0


def test_interpreter_message_builds_its_products(team) -> None:
    v = _approve(team, INTERPRETER)
    products = workflow.build_all_products(team["operator"], v)
    assert [p.kind for p in products] == ["safe-conduct", "instructions"]
    for p in products:
        assert _pdf_text(_check_stored(p))[0] >= 2


def test_bad_product_parameters_are_clear_errors(team) -> None:
    from meari.errors import MeariError

    v = _approve(team, NO_HEADLINE)
    n = LedgerEntry.objects.count()
    with pytest.raises(MeariError, match="release point or an aim point"):
        workflow.build_product(team["operator"], v, "drift", {})
    with pytest.raises(MeariError):
        workflow.build_product(team["operator"], v, "drift", {"aim": "951,0"})
    assert LedgerEntry.objects.count() == n
    assert not (STORE["data_dir"] / "products").exists() or not any((STORE["data_dir"] / "products").rglob("*.json"))


def test_same_bytes_are_stored_once(team) -> None:
    v = _approve(team, NO_HEADLINE)
    a = workflow.build_product(team["operator"], v, "drift", {"aim": "51.7,35.3", "n": 500, "seed": 1})
    b = workflow.build_product(team["operator"], v, "drift", {"aim": "51.7,35.3", "n": 500, "seed": 1})
    assert a.id == b.id


@pytest.mark.parametrize("yaml, needle", [
    ("sponsor: Ukraine HUR\ntext: 무기를 내려놓으십시오.\n", "non-Korean letters"),
    ("sponsor: 우크라이나 국방정보총국\ntext: 무기를 내려놓으십시오. GPS 좌표로 오십시오.\n", "non-Korean letters"),
    ("sponsor: 우크라이나 국방정보총국\ntext: |\n"
     + "  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오. 포로는 보호를 받습니다.\n" * 60, "does not fit"),
    ("sponsor: 우크라이나 국방정보총국\nchannel: loudspeaker\ntext: " + "무기를 내려놓으십시오. " * 300
     + "\nbroadcast:\n  repeats: 50\n", "min of loop"),
])
def test_messages_no_product_could_be_built_from_are_refused_at_save(team, yaml: str, needle: str) -> None:
    """The workbench refuses at save time what would fail at the print step, saying why."""
    from meari.errors import MeariError

    with pytest.raises(MeariError, match=needle):
        workflow.create_message(team["writer"], team["own"], yaml)


VARIANTS = [
    "sponsor: 우크라이나 국방정보총국\ntext: 무기를 내려놓으십시오.\nleaflet:\n  size: A6\n"
    "  steps: [무기를 내려놓으십시오, 엎드리십시오]\n",
    "sponsor: 우크라이나 국방정보총국\ndrafted_in: sk\ntext: 노동자 여러분, 무기를 내려놓고 나오십시오.\n",
    "sponsor: 우크라이나 국방정보총국\ntext: 무기를 내려놓으십시오.\nleaflet:\n  size: 250x200\n  languages: [en]\n",
    "sponsor: 우크라이나 국방정보총국\ntext: |\n" + "  포로는 제네바협약에 따라 음식과 치료를 받습니다.\n" * 12,
]


@pytest.mark.parametrize("yaml", VARIANTS, ids=["A6-steps", "drafted-sk", "big-custom", "long"])
def test_every_accepted_leaflet_message_builds_every_product(team, yaml: str) -> None:
    v = _approve(team, yaml)
    products = workflow.build_all_products(team["operator"], v, {"drift": {"aim": "51.7,35.3", "n": 500}})
    assert [p.kind for p in products] == list(rules.CHANNEL_PRODUCTS["leaflet"])
    for p in products:
        _check_stored(p)


def test_range_takes_measured_noise(team) -> None:
    v = _approve(team, LOUDSPEAKER)
    quiet = workflow.build_product(team["operator"], v, "range", {"noise": "quiet-rural"})
    measured = workflow.build_product(team["operator"], v, "range", {
        "noise_db": [60.0, 58.0, 55.0, 52.0, 48.0, 42.0, 35.0], "noise_source": "uploaded recording, 57 dBA"})
    loud = workflow.build_product(team["operator"], v, "range", {"noise": "quiet-rural", "noise_dba": 70})
    assert json.loads(_check_stored(measured))["conditions"]["noise"] == "uploaded recording, 57 dBA"
    assert quiet.meta["ranges_m"]["fair"] > loud.meta["ranges_m"]["fair"]
    from meari.errors import MeariError

    with pytest.raises(MeariError, match="7 octave-band"):
        workflow.build_product(team["operator"], v, "range", {"noise_db": [1, 2, 3]})


def _recording() -> bytes:
    import soundfile as sf

    from meari.produce.tts import get_backend

    x, sr = get_backend("espeak:ko").synthesise("조선인민군 병사들이여, 무기를 내려놓고 걸어나오십시오. "
                                                 "포로는 제네바협약에 따라 보호를 받습니다.", 4.0)
    buf = io.BytesIO()
    sf.write(buf, 0.5 * x / max(1e-9, float(abs(x).max())), sr, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def test_audio_from_an_uploaded_recording(team) -> None:
    v = _approve(team, LOUDSPEAKER)
    data = _recording()
    with pytest.raises(workflow.Denied, match="writer or operator"):
        workflow.store_upload(team["approver"], team["own"], data, "wav")
    up = workflow.store_upload(team["operator"], team["own"], data, "wav", name="take 1.wav")
    assert workflow.store_upload(team["writer"], team["own"], data, "wav").id == up.id  # kept once
    p = workflow.build_product(team["operator"], v, "audio", {"voice_upload": up.sha256})
    assert p.meta["voice"]["source"] == "recording"
    assert (STORE["data_dir"] / up.path).read_bytes() == data
    from meari.errors import MeariError

    with pytest.raises(MeariError, match="no such recording"):
        workflow.build_product(team["operator"], v, "audio", {"voice_upload": "0" * 64})
    with pytest.raises(MeariError, match="one of wav"):
        workflow.store_upload(team["operator"], team["own"], data, "exe")
    # another campaign cannot use this campaign's recording
    other = workflow.create_message(team["writer2"], team["other"], LOUDSPEAKER)
    with pytest.raises(MeariError, match="no such recording"):
        workflow._voice_file(other, {"voice_upload": up.sha256})
    from .conftest import run_cli, store_args

    assert run_cli("audit", "verify", *store_args()).returncode == 0
    (STORE["data_dir"] / up.path).write_bytes(data[:-100])
    r = run_cli("audit", "verify", *store_args())
    assert r.returncode == 1 and "uploaded file" in r.stderr, r.stderr
