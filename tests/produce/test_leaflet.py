"""Leaflet PDFs built for real and parsed back with pypdf; previews rasterised with pypdfium2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from meari.cli import main
from meari.errors import MeariError
from meari.message import parse_message
from meari.produce import leaflet as lf
from meari.produce.leaflet import impose
from meari.produce.leaflet.render import TARGET_R_MM
from meari.produce.leaflet.sizes import BLEED_MM, SAFE_MM, SLUG_MM

HEADLINE = "살아서 돌아가십시오"
BODY = (
    "조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.\n"
    "여러분의 생명은 여러분의 것입니다. 리국 땅에서 헛되이 죽을 리유가 없습니다.\n"
    "무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.\n"
    "살아서 가족을 다시 만날수 있습니다. 지금 결정하십시오.\n"
)
SPONSOR = "우크라이나 국방정보총국 《나는 살고 싶다》 프로젝트"


def message_yaml(text: str = BODY, headline: str = HEADLINE, extra: str = "", serial: int | None = 7) -> str:
    body = "".join(f"  {line}\n" for line in text.splitlines())
    out = f"sponsor: {SPONSOR}\nlanguage: nk\n{extra}text: |\n{body}leaflet:\n  headline: {headline}\n"
    if serial is not None:
        out += f"  serial_start: {serial}\n"
    return out


@pytest.fixture
def msg_file(tmp_path: Path) -> Path:
    p = tmp_path / "msg.yaml"
    p.write_text(message_yaml(), encoding="utf-8")
    return p


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def pts(mm: float) -> float:
    return mm * 72 / 25.4


def all_fonts(reader: PdfReader) -> list:
    """Every font dict used by any page, including those inside form XObjects."""
    seen = []

    def walk(res):
        if res is None:
            return
        res = res.get_object()
        for f in (res.get("/Font") or {}).values():
            seen.append(f.get_object())
        for x in (res.get("/XObject") or {}).values():
            x = x.get_object()
            if x.get("/Subtype") == "/Form":
                walk(x.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return seen


def leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith("."))


# --- the appeal leaflet, end to end through the CLI ------------------------------------------------


def test_appeal_pdf_boxes_fonts_text(msg_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    assert main(["leaflet", str(msg_file), "-o", str(out)]) == 0
    r = PdfReader(out)
    assert len(r.pages) == 2
    w, h = pts(152.4), pts(76.2)
    for page in r.pages:
        tb, bb, mb = page.trimbox, page.bleedbox, page.mediabox
        assert float(tb.width) == pytest.approx(w, abs=0.01) and float(tb.height) == pytest.approx(h, abs=0.01)
        assert float(bb.width) == pytest.approx(w + 2 * pts(BLEED_MM), abs=0.01)
        assert float(bb.left) == pytest.approx(float(tb.left) - pts(BLEED_MM), abs=0.01)
        # crop marks sit in a slug outside the bleed: the MediaBox is larger than the BleedBox
        assert float(mb.width) == pytest.approx(float(bb.width) + 2 * pts(SLUG_MM), abs=0.01)
        assert float(mb.height) > float(bb.height)
    fonts = all_fonts(r)
    assert fonts
    for f in fonts:
        assert f["/Subtype"] == "/TrueType"
        assert re.fullmatch(r"/[A-Z]{6}\+.+", str(f["/BaseFont"])), f["/BaseFont"]  # subset tag
        assert "/FontFile2" in f["/FontDescriptor"].get_object()
    names = {str(f["/BaseFont"]).split("+")[1] for f in fonts}
    assert {"NotoSansKR-Black", "NotoSansKR-Regular"} <= names
    # front = headline + body exactly (whitespace normalised); nothing clipped, nothing extra
    assert norm(r.pages[0].extract_text()) == norm(HEADLINE + BODY)
    back = r.pages[1].extract_text()
    assert norm(SPONSOR) in norm(back)
    assert "000007" in back
    assert norm("무기를 내려놓으십시오") in norm(back)  # default step captions (NK spelling)
    meta = r.metadata
    sig = meta["/MeariSignature"]
    assert sig.startswith("meari:") and "template:appeal@" in sig and "review:ok" in sig
    assert "src:sha256=" in sig and "text:sha256=" in sig
    assert meta["/MeariApproved"] == "yes"


def test_conversion_applied_when_drafted_in_south_korean(tmp_path: Path) -> None:
    from meari.lang.convert import to_nk

    sk = ("여러분의 생명은 여러분의 것입니다. 이국 땅에서 헛되이 죽을 이유가 없습니다.\n"
          "노동자 여러분, 살아서 돌아가십시오.\n")
    m = parse_message(message_yaml(sk, extra="drafted_in: sk\n"), "t")
    assert m.needs_conversion
    prep = lf.prepare(m)
    out = lf.write_pdf(prep, tmp_path / "c.pdf")
    conv = to_nk(m.text)
    assert conv.edits, "precondition: the converter changes this South Korean text"
    text = norm(PdfReader(out).pages[0].extract_text())
    assert "리유" in text and "이유" not in text
    assert text == norm(to_nk(HEADLINE).text + conv.text)
    sig = PdfReader(out).metadata["/MeariSignature"]
    assert "conv:sk2nk" in sig
    for rule in conv.rules_applied:
        assert rule in sig


def test_review_errors_refuse_unless_forced_and_stamp(tmp_path: Path) -> None:
    from meari.review import review

    # A promise the sponsor has not approved (no forced labour): the review flags it as an error.
    text = BODY + "누구도 여러분을 해치지 않을것이며 로동을 강요하지 않습니다.\n"
    p = tmp_path / "bad.yaml"
    p.write_text(message_yaml(text), encoding="utf-8")
    m = parse_message(p.read_text(encoding="utf-8"), str(p))
    assert review(m).has_errors, "precondition: the review must flag this message"
    out = tmp_path / "bad.pdf"
    with pytest.raises(MeariError, match="review found"):
        lf.prepare(m)
    assert main(["leaflet", str(p), "-o", str(out)]) == 2
    assert not out.exists() and leftovers(tmp_path) == []
    assert main(["leaflet", str(p), "-o", str(out), "--force", "--png", str(tmp_path / "png")]) == 0
    r = PdfReader(out)
    for page in r.pages:
        assert "NOT APPROVED" in page.extract_text()
    assert r.metadata["/MeariApproved"].startswith("NO")
    assert "review:ERRORS-FORCED" in r.metadata["/MeariSignature"]
    # the stamp is visible in the preview: strong red pixels
    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(tmp_path / "png" / "bad-front.png").convert("RGB")).astype(int)
    red = (img[..., 0] > 180) & (img[..., 1] < 60) & (img[..., 2] < 60)
    assert red.sum() > 1000


# --- previews: ink in the safe area, none outside the bleed ----------------------------------------


@pytest.mark.parametrize("template", ["appeal", "safe-conduct", "instructions"])
def test_previews_and_ink_bounds(template: str, msg_file: Path, tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    from meari.produce.leaflet.preview import render_pages

    out = tmp_path / f"{template}.pdf"
    assert main(["leaflet", str(msg_file), "-o", str(out), "--template", template, "--png", str(tmp_path)]) == 0
    dpi = 100
    k = dpi / 72
    for i, side in enumerate(["front", "back"]):
        png = np.asarray(Image.open(tmp_path / f"{template}-{side}.png").convert("L"))
        # preview = bleed box at 200 dpi
        assert png.shape[1] == pytest.approx((152.4 + 2 * BLEED_MM) / 25.4 * 200, abs=2)
        b = round((BLEED_MM + SAFE_MM) / 25.4 * 200)
        assert (png[b:-b, b:-b] < 128).sum() > 500, "no ink in the safe area"
        # full page: outside the bleed box only the crop marks may carry ink
        (full,) = list(render_pages(out, [i], dpi=dpi, box="media"))
        a = np.asarray(full.convert("L"))
        H, W = a.shape
        slug = pts(SLUG_MM) * k
        ink = a < 200
        outside = ink.copy()
        outside[int(slug) - 1:H - int(slug) + 1, int(slug) - 1:W - int(slug) + 1] = False
        # mask the mark lanes: the trim lines (x = slug+bleed, W-slug-bleed; same for y), +-2 px
        m = pts(SLUG_MM + BLEED_MM) * k
        for x in (m, W - m):
            outside[:, max(0, int(x) - 2):int(x) + 3] = False
        for y in (m, H - m):
            outside[max(0, int(y) - 2):int(y) + 3, :] = False
        # ... and the registration targets, centred on each side in the slug
        reach = int(pts(TARGET_R_MM * 1.4) * k) + 2
        targets = outside.copy()
        outside[:, W // 2 - reach:W // 2 + reach + 1] = False
        outside[H // 2 - reach:H // 2 + reach + 1, :] = False
        assert outside.sum() == 0, f"ink outside the bleed on {template} {side}"
        assert targets[: int(slug), W // 2 - reach:W // 2 + reach + 1].sum() > 20, "registration target missing"
        assert targets[H // 2 - reach:H // 2 + reach + 1, : int(slug)].sum() > 20, "registration target missing"
        # and the marks are really there: ink on a trim line, in the slug
        col = ink[: int(slug), int(m) - 2:int(m) + 3]
        assert col.sum() > 0, "crop mark missing"


# --- safe-conduct pass ------------------------------------------------------------------------------


def test_safe_conduct_languages_serials(msg_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "pass.pdf"
    assert main(["leaflet", str(msg_file), "-o", str(out), "--template", "safe-conduct", "--count", "3",
                 "--serial", "41"]) == 0
    r = PdfReader(out)
    assert len(r.pages) == 6
    for n, serial in enumerate(["000041", "000042", "000043"]):
        front, back = r.pages[2 * n].extract_text(), r.pages[2 * n + 1].extract_text()
        assert serial in front and serial in back
        assert "안전통행증" in front and norm(SPONSOR) in norm(front)
        assert "제네바" in front
        for word in ("ПЕРЕПУСТКА", "ПРОПУСК", "SAFE-CONDUCT PASS", "Geneva Convention", "Женевською",
                     "Женевской"):
            assert norm(word) in norm(back)
    assert r.metadata["/MeariTemplate"] == "safe-conduct"


def test_safe_conduct_language_order_and_unknown(tmp_path: Path) -> None:
    m = parse_message(message_yaml() + "  languages: [en, uk]\n", "t")
    prep = lf.prepare(m, template="safe-conduct")
    back = PdfReader(lf.write_pdf(prep, tmp_path / "p.pdf")).pages[1].extract_text()
    assert "ПРОПУСК" not in back and back.index("SAFE-CONDUCT") < back.index("ПЕРЕПУСТКА")
    m = parse_message(message_yaml() + "  languages: [uk, fr]\n", "t")
    with pytest.raises(MeariError, match="no text for language 'fr'"):
        lf.prepare(m, template="safe-conduct")


# --- sizes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size,mm", [("A6", (148, 105)), ("A5", (210, 148)), ("120x80", (120, 80)),
                                     ("6x3", (152.4, 76.2))])
def test_sizes(size: str, mm: tuple[float, float], tmp_path: Path) -> None:
    prep = lf.prepare(parse_message(message_yaml(), "t"), size=size)
    r = PdfReader(lf.write_pdf(prep, tmp_path / "s.pdf"))
    tb = r.pages[0].trimbox
    assert float(tb.width) == pytest.approx(pts(mm[0]), abs=0.01)
    assert float(tb.height) == pytest.approx(pts(mm[1]), abs=0.01)
    assert norm(r.pages[0].extract_text()) == norm(HEADLINE + BODY)


# --- imposition -------------------------------------------------------------------------------------


def test_impose_a4_three_up_with_marks(msg_file: Path, tmp_path: Path) -> None:
    import numpy as np

    from meari.produce.leaflet.preview import render_pages

    out = tmp_path / "o.pdf"
    assert main(["leaflet", str(msg_file), "-o", str(out), "--impose", "A4"]) == 0
    sheet = tmp_path / "o-A4.pdf"
    r = PdfReader(sheet)
    assert len(r.pages) == 2  # one sheet: fronts, backs
    assert float(r.pages[0].mediabox.width) == pytest.approx(pts(210), abs=0.5)
    assert float(r.pages[0].mediabox.height) == pytest.approx(pts(297), abs=0.5)
    back = r.pages[1].extract_text()
    assert [s for s in ("000007", "000008", "000009") if s in back] == ["000007", "000008", "000009"]
    # the marks are one form placed on every sheet page
    assert "/FormXob.marks Do" in r.pages[0].get_contents().get_data().decode("latin-1")
    marks = r.pages[0]["/Resources"]["/XObject"]["/FormXob.marks"].get_object()
    content = marks.get_data().decode("latin-1")
    # crop marks are stroked line segments, one at each end of every trim line:
    # 2 vertical trim lines x 2 ends + 6 horizontal trim lines x 2 ends = 16
    assert content.count(" l") >= 16 and re.search(r"(^|\s)S(\s|$)", content)
    grid = impose.plan("A4", lf.parse_size("6x3"))
    assert grid.n_up == 3 and (grid.cols, grid.rows) == (1, 3)
    # ink at each horizontal trim line's mark in the left margin
    dpi = 72
    (img,) = list(render_pages(sheet, [0], dpi=dpi, box="media"))
    a = np.asarray(img.convert("L"))
    H = a.shape[0]
    gx0 = min(x for x, _ in grid.fronts) - pts(BLEED_MM)
    for _, y in grid.fronts:
        for yy in (y, y + grid.cell_h):
            row = int(round(H - yy))
            lane = a[max(0, row - 1):row + 2, int(gx0 - pts(6)):int(gx0 - pts(1))]
            assert (lane < 160).any(), f"no crop mark at y={yy:.1f}"


def test_impose_backs_mirror_for_long_edge_duplex() -> None:
    size = lf.parse_size("6x3")
    a4 = impose.plan("A4", size)
    sra3 = impose.plan("SRA3", size)
    shared = impose.plan("SRA3", size, gutter_mm=0)
    assert sra3.n_up == 6 and sra3.landscape and shared.n_up >= 8  # SRA3 holds 8+ only with shared cuts
    assert shared.mark_len < sra3.mark_len  # ... and shorter crop marks in its narrow margin
    for g in (a4, sra3, shared, impose.plan("A4", lf.parse_size("50x40"))):
        for (fx, fy), (bx, by) in zip(g.fronts, g.backs, strict=True):
            if g.landscape:  # long edge horizontal: turning the sheet over mirrors y
                assert bx == pytest.approx(fx) and by == pytest.approx(g.h - fy - g.cell_h)
            else:  # long edge vertical: mirrors x
                assert by == pytest.approx(fy) and bx == pytest.approx(g.w - fx - g.cell_w)
            # every copy and its bleed + marks stay on the sheet
            assert fx - pts(BLEED_MM) > 0 and fx + g.cell_w + pts(BLEED_MM) < g.w
    with pytest.raises(MeariError, match="unknown sheet"):
        impose.plan("B5", size)
    with pytest.raises(MeariError, match="does not fit"):
        impose.plan("A4", lf.parse_size("300x200"))


# --- bad inputs: clear errors, no partial output --------------------------------------------------


def _cli_fails(tmp_path: Path, capsys, args: list[str], expect: str) -> None:
    out = tmp_path / "x.pdf"
    assert main(["leaflet", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("meari: ") and expect in err, err
    assert "Traceback" not in err
    assert not out.exists() and leftovers(tmp_path) == []


def test_unknown_template_and_size(msg_file: Path, tmp_path: Path, capsys) -> None:
    _cli_fails(tmp_path, capsys, [str(msg_file), "--template", "poster"], "unknown template 'poster'")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--size", "B7"], "unknown size 'B7'")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--size", "10x10"], "outside")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--impose", "B5"], "unknown sheet")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--serial", "99999999", "--count", "2"], "serials would run past")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--size", "300x200", "--impose", "A4"], "does not fit on A4")
    (tmp_path / "afile").write_text("x")
    _cli_fails(tmp_path, capsys, [str(msg_file), "--png", str(tmp_path / "afile")], "is not a directory")


def test_overflow_names_box_and_amount(tmp_path: Path, capsys) -> None:
    p = tmp_path / "long.yaml"
    p.write_text(message_yaml(BODY * 6), encoding="utf-8")
    _cli_fails(tmp_path, capsys, [str(p)], "box 'body'")
    err_msg = None
    try:
        lf.prepare(parse_message(p.read_text(encoding="utf-8"), "t"))
    except MeariError as e:
        err_msg = str(e)
    assert err_msg and re.search(r"\d+\.\d mm", err_msg) and "too much" in err_msg
    # the same text fits on A5: bigger boxes, nothing is cut
    prep = lf.prepare(parse_message(message_yaml(BODY * 2), "t"), size="A5")
    out = lf.write_pdf(prep, tmp_path / "a5.pdf")
    assert norm(PdfReader(out).pages[0].extract_text()) == norm(HEADLINE + BODY * 2)


def test_headline_shrinks_then_errors(tmp_path: Path) -> None:
    long_head = "살아서 가족에게 돌아가십시오 지금 결정하십시오"
    prep = lf.prepare(parse_message(message_yaml(headline=long_head), "t"))
    out = lf.write_pdf(prep, tmp_path / "h.pdf")
    assert norm(PdfReader(out).pages[0].extract_text()).startswith(norm(long_head))
    too_long = " ".join(["살아서 가족에게 돌아가십시오"] * 9)
    with pytest.raises(MeariError, match="box 'headline'") as e:
        lf.prepare(parse_message(message_yaml(headline=too_long), "t"))
    assert "allows 2" in str(e.value)


def test_non_korean_in_korean_box(tmp_path: Path, capsys) -> None:
    p = tmp_path / "latin.yaml"
    p.write_text(message_yaml(BODY + "Surrender now, Ivan.\n"), encoding="utf-8")
    _cli_fails(tmp_path, capsys, [str(p)], "non-Korean letters in a Korean text box: 'Surrender', 'now,', 'Ivan.'")
    p.write_text(message_yaml(headline="살아서 歸鄕"), encoding="utf-8")
    # issue 11: the review refuses characters the leaflet fonts lack (hanja) before the layout does
    _cli_fails(tmp_path, capsys, [str(p)], "print.missing-glyph in leaflet.headline")


def test_empty_message_and_missing_headline(tmp_path: Path, capsys) -> None:
    p = tmp_path / "empty.yaml"
    p.write_text(f"sponsor: {SPONSOR}\ntext: ''\n", encoding="utf-8")
    _cli_fails(tmp_path, capsys, [str(p)], "text")
    p.write_text("text: 살아서 돌아가십시오\nleaflet:\n  headline: 살자\n", encoding="utf-8")
    _cli_fails(tmp_path, capsys, [str(p)], "sponsor")


def test_missing_font(msg_file: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("MEARI_KR_FONT", str(tmp_path / "nope" / "NotoSansKR[wght].ttf"))
    _cli_fails(tmp_path, capsys, [str(msg_file)], "Korean font not found")
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    monkeypatch.setenv("MEARI_KR_FONT", str(bad))
    monkeypatch.setenv("MEARI_CACHE", str(tmp_path / "cache"))
    with pytest.raises(MeariError, match="cannot read Korean font"):
        lf.prepare(parse_message(message_yaml(), "t"))
    assert not list((tmp_path / "cache" / "fonts").glob("*.ttf"))


def test_template_data_errors(tmp_path: Path) -> None:
    src = (Path(lf.templates.TEMPLATE_DIR) / "appeal.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "mine.yaml"
    bad.write_text(src.replace("id: appeal", "id: mine").replace("font: kr-black", "font: comic-sans"),
                   encoding="utf-8")
    with pytest.raises(MeariError, match="unknown font role 'comic-sans'"):
        lf.load_template(str(bad))
    # a new template is data only: a copy with another id and colour just works
    good = tmp_path / "night.yaml"
    good.write_text(src.replace("id: appeal", "id: night").replace("navy: [95, 70, 25, 40]", "navy: [0, 0, 0, 100]"),
                    encoding="utf-8")
    prep = lf.prepare(parse_message(message_yaml(), "t"), template=str(good))
    assert prep.template.id == "night"
    # colours are CMYK: an RGB hex value, an unknown name, too much ink, coloured text are refused
    for old, new, expect in [
        ("color: navy, bleed", 'color: "#1f3a5f", bleed', r"is RGB; leaflets print in CMYK.*\[67, 39, 0, 63\]"),
        ("picto_color: navy", "picto_color: teal", "unknown colour 'teal'"),
        ("navy: [95, 70, 25, 40]", "navy: [100, 100, 100, 100]", "400 % ink"),
        ("navy: [95, 70, 25, 40]", "navy: [95, 70, 25, 140]", "must each be 0..100"),
        ("        valign: middle\n        color: white", "        valign: middle\n        color: navy",
         "text must be 100 % black"),
    ]:
        assert old in src, old
        p = tmp_path / "mine.yaml"
        p.write_text(src.replace("id: appeal", "id: mine").replace(old, new, 1), encoding="utf-8")
        lf.templates._load.cache_clear()
        with pytest.raises(MeariError, match=expect):
            lf.load_template(str(p))


def test_demo_writes_products(tmp_path: Path) -> None:
    from meari.commands.leaflet import demo

    example = Path(__file__).resolve().parents[2] / "examples" / "appeal.yaml"
    written = demo(example, tmp_path)
    names = {p.name for p in written}
    for t in ("appeal", "safe-conduct", "instructions"):
        assert f"leaflet-{t}.pdf" in names
        assert f"leaflet-{t}-front.png" in names and f"leaflet-{t}-back.png" in names
    assert "leaflet-appeal-A4.pdf" in names
    assert all(p.stat().st_size > 1000 for p in written)


@pytest.mark.parametrize("name", ["appeal", "safe-conduct", "instructions"])
def test_template_korean_texts_pass_review(name: str) -> None:
    """The fixed Korean words a template prints are held to the same review as a message."""
    from meari.message import Message
    from meari.review import review

    t = lf.load_template(name)
    korean = [v for k, v in t.texts.items() if not k.startswith("pass.")] + list(t.default_steps)
    korean += [t.default_headline] if t.default_headline else []
    rv = review(Message(text="\n".join(korean), sponsor=SPONSOR))
    assert not rv.has_errors, [(f.id, f.text, f.why) for f in rv.findings if f.severity == "error"]
    assert not [f for f in rv.findings if f.severity == "warning"], rv.findings
