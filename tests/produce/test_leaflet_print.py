"""What a print shop's preflight checks, on real PDFs parsed back with pypdf.

- colour: no DeviceRGB or DeviceGray anywhere (operators or resources), text 100 % K (or white,
  knocked out of a colour band), every colour space resource the registration separation;
- marks: crop marks and registration targets stroked in /Separation /All;
- no raster images at all (pictograms are vector paths), so no image colour space to check;
- fonts: every font embedded (FontFile2) and subset; Korean pages set digits in Noto Sans KR;
- output intent with --icc; clear errors for files that are not CMYK ICC profiles;
- layout: step limit, no overlapping number discs, no wide empty bands, default headline notes.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from meari import glyphs
from meari.cli import main
from meari.errors import MeariError
from meari.message import parse_message
from meari.produce import leaflet as lf
from meari.produce.leaflet.sizes import BLEED_MM, SAFE_MM

from .test_leaflet import BODY, HEADLINE, SPONSOR, leftovers, message_yaml, norm

TEMPLATES = ["appeal", "safe-conduct", "instructions"]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "appeal.yaml"


def icc_profile(space: bytes = b"CMYK", cls: bytes = b"prtr", desc: str = "Test Coated CMYK (meari)") -> bytes:
    """A structurally valid ICC v2 profile: 128-byte header, one 'desc' tag (no colour tables)."""
    text = desc.encode("ascii") + b"\0"
    tag = b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * (4 + 4 + 2 + 1 + 67)
    tag += b"\0" * (-len(tag) % 4)
    off = 128 + 4 + 12
    size = off + len(tag)
    header = struct.pack(">I4sI4s4s4s12s4s4sI4s4s8sI12s4s16s28s", size, b"meri", 0x02100000, cls, space, b"Lab ",
                         b"\0" * 12, b"acsp", b"APPL", 0, b"", b"", b"", 0,
                         struct.pack(">iii", 63190, 65536, 54061), b"meri", b"", b"")
    assert len(header) == 128
    return header + struct.pack(">I", 1) + struct.pack(">4sII", b"desc", off, len(tag)) + tag


# --- walking the PDF -------------------------------------------------------------------------------


def _streams(reader: PdfReader):
    """(content stream, resources, where) for every page and every form XObject, recursively."""
    seen: set[int] = set()

    def forms(res, where):
        if res is None:
            return
        res = res.get_object()
        for name, x in (res.get("/XObject") or {}).items():
            ref = x.idnum if hasattr(x, "idnum") else id(x)
            x = x.get_object()
            assert x.get("/Subtype") != "/Image", f"raster image {name} in {where}"
            if x.get("/Subtype") == "/Form" and ref not in seen:
                seen.add(ref)
                yield x, x.get("/Resources"), f"{where}/{name}"
                yield from forms(x.get("/Resources"), f"{where}/{name}")

    for i, page in enumerate(reader.pages):
        res = page.get("/Resources")
        yield page.get_contents(), res, f"page {i + 1}"
        yield from forms(res, f"page {i + 1}")


COLOUR_OPS = {"k", "K", "rg", "RG", "g", "G", "sc", "SC", "scn", "SCN"}


def colour_report(path: Path) -> dict:
    """Colour operators, colour spaces and the fill colour of every text-showing operator."""
    r = PdfReader(path)
    ops: dict[str, int] = {}
    spaces: dict[str, object] = {}
    text_fills: set[tuple] = set()
    stroke_spaces_for_marks: list[str] = []
    for content, res, where in _streams(r):
        if res is not None:
            for name, cs in (res.get_object().get("/ColorSpace") or {}).items():
                spaces[name] = cs.get_object()
        cs = ContentStream(content, r)
        # colour state: (colour space, components), saved and restored with q/Q
        fill: tuple = ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0))
        stroke: tuple = ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0))
        stack = []
        for operands, op in cs.operations:
            o = op.decode("latin-1")
            ops[o] = ops.get(o, 0) + 1
            nums = tuple(float(x) for x in operands if isinstance(x, (int, float))) if o in COLOUR_OPS else ()
            if o == "q":
                stack.append((fill, stroke))
            elif o == "Q" and stack:
                fill, stroke = stack.pop()
            elif o == "k":
                fill = ("DeviceCMYK", nums)
            elif o in ("rg", "g"):
                fill = ("Device" + ("RGB" if o == "rg" else "Gray"), nums)
            elif o == "cs":
                fill = (str(operands[0]), None)
            elif o in ("sc", "scn"):
                fill = (fill[0], nums)
            elif o == "K":
                stroke = ("DeviceCMYK", nums)
            elif o in ("RG", "G"):
                stroke = ("Device" + ("RGB" if o == "RG" else "Gray"), nums)
            elif o == "CS":
                stroke = (str(operands[0]), None)
            elif o in ("SC", "SCN"):
                stroke = (stroke[0], nums)
            elif o in ("Tj", "TJ", "'", '"'):
                text_fills.add(fill)
            elif o in ("S", "s") and ("/" not in where or where.endswith("/FormXob.marks")):
                stroke_spaces_for_marks.append(stroke)  # strokes outside the leaflet's own forms: marks
    raw = path.read_bytes()
    return {"ops": ops, "spaces": spaces, "text_fills": text_fills, "page_strokes": stroke_spaces_for_marks,
            "raw": raw, "reader": r}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Every template, single leaflet and imposed A4, from the shipped example message."""
    d = tmp_path_factory.mktemp("print")
    out = {}
    for t in TEMPLATES:
        pdf = d / f"{t}.pdf"
        assert main(["leaflet", str(EXAMPLE), "-o", str(pdf), "--template", t, "--impose", "A4",
                     "--png", str(d)]) == 0
        out[t] = (pdf, d / f"{t}-A4.pdf")
    return out


# --- colour ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("imposed", [False, True])
def test_no_rgb_or_grey_text_in_black_marks_in_registration(built, template: str, imposed: bool) -> None:
    path = built[template][int(imposed)]
    rep = colour_report(path)
    ops = rep["ops"]
    for bad in ("rg", "RG", "g", "G"):  # DeviceRGB and DeviceGray operators
        assert bad not in ops, f"{bad} operator in {path.name}"
    assert b"/DeviceRGB" not in rep["raw"] and b"/DeviceGray" not in rep["raw"]
    assert not re.search(rb"/Subtype\s*/Image", rep["raw"]), "no raster images: pictograms are vectors"
    assert ops.get("k", 0) > 0  # DeviceCMYK fills are there
    # text: 100 % K, or white (no ink) where the template knocks it out of a colour band
    assert rep["text_fills"] and rep["text_fills"] <= {("DeviceCMYK", (0.0, 0.0, 0.0, 1.0)),
                                                       ("DeviceCMYK", (0.0, 0.0, 0.0, 0.0))}, rep["text_fills"]
    # the only colour space resource is the registration separation, used by the marks
    assert set(rep["spaces"]) == {"/All"}
    sep = rep["spaces"]["/All"]
    assert [str(x) for x in sep[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
    fn = sep[3].get_object()
    assert fn["/FunctionType"] == 4
    tint = fn.get_data().decode()
    assert tint.count("1.0 mul") == 4 or tint.count("1 mul") == 4, tint  # 100 % on every plate
    # every stroke outside the leaflet's own content (the marks form placed on each page) is in /All
    strokes = rep["page_strokes"]
    assert strokes and set(strokes) == {("/All", (1.0,))}, set(strokes)


def test_template_brand_colours_are_cmyk() -> None:
    for t in TEMPLATES:
        tpl = lf.load_template(t)
        assert tpl.colors, t
        for name, v in tpl.colors.items():
            assert len(v) == 4 and sum(v) <= 300, (t, name, v)


def test_forced_stamp_is_cmyk_too(tmp_path: Path) -> None:
    text = BODY + "누구도 여러분을 해치지 않을것이며 로동을 강요하지 않습니다.\n"
    m = parse_message(message_yaml(text), "t")
    prep = lf.prepare(m, force=True)
    assert not prep.approved
    out = lf.write_pdf(prep, tmp_path / "stamped.pdf")
    rep = colour_report(out)
    assert "rg" not in rep["ops"] and b"/DeviceRGB" not in rep["raw"]
    assert ("DeviceCMYK", (0.0, 1.0, 1.0, 0.1)) in rep["text_fills"]  # the NOT APPROVED red, as CMYK


# --- output intent ----------------------------------------------------------------------------------


def test_icc_output_intent_embedded(tmp_path: Path) -> None:
    icc = tmp_path / "press.icc"
    data = icc_profile()
    icc.write_bytes(data)
    out = tmp_path / "o.pdf"
    assert main(["leaflet", str(EXAMPLE), "-o", str(out), "--icc", str(icc), "--impose", "A4"]) == 0
    for pdf in (out, tmp_path / "o-A4.pdf"):
        r = PdfReader(pdf)
        intents = r.trailer["/Root"]["/OutputIntents"]
        assert len(intents) == 1
        oi = intents[0].get_object()
        assert oi["/Type"] == "/OutputIntent" and oi["/S"] == "/GTS_PDFX"
        assert oi["/OutputConditionIdentifier"] == "Test Coated CMYK (meari)"
        prof = oi["/DestOutputProfile"].get_object()
        assert prof["/N"] == 4
        assert prof.get_data() == data
    # without --icc there is no intent
    plain = tmp_path / "plain.pdf"
    assert main(["leaflet", str(EXAMPLE), "-o", str(plain)]) == 0
    assert "/OutputIntents" not in PdfReader(plain).trailer["/Root"]


def test_icc_identifier_falls_back_to_file_name(tmp_path: Path) -> None:
    icc = tmp_path / "ISOcoated_v2.icc"
    data = bytearray(icc_profile())
    data[128:132] = struct.pack(">I", 0)  # no tags: no description
    icc.write_bytes(bytes(data))
    assert lf.icc.load_icc(icc).identifier == "ISOcoated_v2"


def test_bad_icc_files_are_refused_before_writing(tmp_path: Path, capsys) -> None:
    from PIL import ImageCms

    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    notes = tmp_path / "notes.icc"
    notes.write_text("this is not a colour profile\n" * 20)
    trunc = tmp_path / "trunc.icc"
    trunc.write_bytes(icc_profile()[:140])
    link = tmp_path / "link.icc"
    link.write_bytes(icc_profile(cls=b"link"))
    cases = [
        (srgb, "is for 'RGB' data, not CMYK"),
        (notes, "not an ICC profile (no 'acsp' signature at byte 36)"),
        (trunc, "truncated or damaged"),
        (link, "device link profile, not an output"),
        (tmp_path / "missing.icc", "ICC profile not found"),
        (tmp_path, "is a directory"),
    ]
    for path, expect in cases:
        out = tmp_path / "x.pdf"
        assert main(["leaflet", str(EXAMPLE), "-o", str(out), "--icc", str(path), "--png", str(tmp_path / "png"),
                     "--impose", "A4"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"meari: {path}: ") and expect in err and "Traceback" not in err, err
        assert not out.exists() and not (tmp_path / "x-A4.pdf").exists() and not (tmp_path / "png").exists()
        assert leftovers(tmp_path) == []


# --- fonts ----------------------------------------------------------------------------------------


def _font_names(reader: PdfReader, page_index: int | None = None) -> set[str]:
    """Fonts *used* (Tf operators) on a page or in the whole file; each checked embedded and subset.

    (reportlab shares one font resource dict between all pages, so resources alone over-report.)
    """
    names = set()
    for content, res, where in _streams(reader):
        if page_index is not None and not where.startswith(f"page {page_index + 1}"):
            continue
        if res is None:
            continue
        fonts = res.get_object().get("/Font") or {}
        used = {str(operands[0]) for operands, op in ContentStream(content, reader).operations if op == b"Tf"}
        for key in used:
            f = fonts[key].get_object()
            assert f["/Subtype"] == "/TrueType"
            base = str(f["/BaseFont"])
            assert re.fullmatch(r"/[A-Z]{6}\+.+", base), base  # subset
            fd = f["/FontDescriptor"].get_object()
            assert "/FontFile2" in fd, base  # embedded
            names.add(base.split("+", 1)[1])
    return names


def test_one_family_fonts_embedded_and_subset(built) -> None:
    appeal = PdfReader(built["appeal"][0])
    # The appeal is Korean throughout: serials and step numbers are in Noto Sans KR, no other face.
    assert _font_names(appeal) == {"NotoSansKR-Black", "NotoSansKR-Regular", "NotoSansKR-Bold"}
    assert _font_names(PdfReader(built["instructions"][0])) <= {"NotoSansKR-Black", "NotoSansKR-Regular",
                                                                 "NotoSansKR-Bold"}
    sc = PdfReader(built["safe-conduct"][0])
    assert _font_names(sc, 0) == {"NotoSansKR-Black", "NotoSansKR-Bold", "NotoSansKR-Regular"}
    # the captor's languages (Ukrainian і ї є, Russian, English) in Noto Sans, beside Noto Sans KR
    assert _font_names(sc, 1) == {"NotoSans-Regular", "NotoSans-Bold", "NotoSansKR-Regular", "NotoSansKR-Bold"}
    assert not any("DejaVu" in n for n in _font_names(sc))
    back = sc.pages[1].extract_text()
    for word in ("Пред’явник", "цієї", "якої", "допомогу", "000001"):
        assert norm(word) in norm(back), word


def test_character_outside_the_korean_face_falls_back_to_noto_sans(tmp_path: Path) -> None:
    """₴ (hryvnia sign) is not in the Korean subset; the body sets it in Noto Sans, not as a blank."""
    assert glyphs.family_for("₴") == "latin" and glyphs.missing_glyphs("₴") == []
    body = BODY + "포로에게는 매달 100 ₴가 지급됩니다.\n"
    prep = lf.prepare(parse_message(message_yaml(body), "t"), force=True)
    r = PdfReader(lf.write_pdf(prep, tmp_path / "f.pdf"))
    assert "₴" in r.pages[0].extract_text()
    assert "NotoSans-Regular" in _font_names(r, 0)


def test_characters_no_font_has_are_refused_with_the_shared_check(tmp_path: Path, capsys) -> None:
    for bad, shown in (("살아서 돌아가십시오 🫡", "U+1FAE1"), ("살아서 ♞ 돌아가십시오", "U+265E")):
        assert glyphs.missing_glyphs(bad)
        p = tmp_path / "e.yaml"
        p.write_text(message_yaml(headline=bad), encoding="utf-8")
        out = tmp_path / "x.pdf"
        assert main(["leaflet", str(p), "-o", str(out), "--force"]) == 2
        err = capsys.readouterr().err
        assert "the leaflet fonts have no glyph for" in err and shown in err and "box 'headline'" in err, err
        assert not out.exists()


# --- layout: steps, bands, defaults ----------------------------------------------------------------


def _steps_yaml(n: int) -> str:
    caps = ["무기를 내려놓으십시오", "두손을 드십시오", "천천히 걸어나오십시오", "지시에 따르십시오", "엎드리십시오",
            "통행증을 보이십시오", "기다리십시오", "말하십시오", "물을 받으십시오", "앉으십시오", "따라오십시오",
            "쉬십시오"]
    return message_yaml() + "  steps:\n" + "".join(f"    - {c}\n" for c in caps[:n])


@pytest.mark.parametrize("template", ["appeal", "instructions"])
def test_step_limit_is_a_clear_error(template: str, tmp_path: Path, capsys) -> None:
    tpl = lf.load_template(template)
    assert tpl.max_steps == 6
    p = tmp_path / "twelve.yaml"
    p.write_text(_steps_yaml(12), encoding="utf-8")
    out = tmp_path / "x.pdf"
    assert main(["leaflet", str(p), "-o", str(out), "--template", template]) == 2
    err = capsys.readouterr().err
    assert f"12 steps given, but the '{template}' template lays out at most 6" in err and "leaflet.steps" in err
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("template", ["appeal", "instructions"])
@pytest.mark.parametrize("n", [1, 3, 4, 6])
def test_number_discs_never_overlap_pictograms(template: str, n: int) -> None:
    prep = lf.prepare(parse_message(_steps_yaml(n), "t"), template=template)
    side = next(s for s in prep.layout.sides if any(op[0] == "disc" for op in s.ops))
    discs = [op for op in side.ops if op[0] == "disc"]
    pictos = [op for op in side.ops if op[0] == "picto"]
    assert len(discs) == len(pictos) == n
    for (_, cx, cy, r, label, *_), (_, _, px, py, s, _) in zip(discs, pictos, strict=True):
        beside = cx + r <= px + 0.01
        above = cy - r >= py + s - 0.01
        assert beside or above, f"disc {label} overlaps its pictogram"
        assert s > 30, "pictogram under ~10 mm"  # points


def blank_band_mm(png: Path, dpi: int = 200) -> float:
    """Height of the tallest ink-free horizontal band inside the trim (the preview shows the bleed box)."""
    a = np.asarray(Image.open(png).convert("L"))
    b = round(BLEED_MM / 25.4 * dpi)
    rows = (a[b:-b, b:-b] < 235).any(axis=1)
    best = cur = 0
    for ink in rows:
        cur = 0 if ink else cur + 1
        best = max(best, cur)
    return best / dpi * 25.4


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_wide_empty_band(built, template: str) -> None:
    d = built[template][0].parent
    for side in ("front", "back"):
        band = blank_band_mm(d / f"{template}-{side}.png")
        # the 4 mm safe margin plus a little: nothing like the 12.8 mm band the appeal front had
        assert band < SAFE_MM + 5.0, f"{template} {side}: {band:.1f} mm empty band"


def test_body_fills_its_box(built) -> None:
    prep = lf.prepare(parse_message(EXAMPLE.read_text(encoding="utf-8"), "x"))
    front = prep.layout.sides[0]
    body = [op[1] for op in front.ops if op[0] == "text"][1]
    tpl = lf.load_template("appeal")
    item = next(i for i in tpl.sides[0].items if i.id == "body")
    assert body.size > item.size  # set larger than the template's base size to fill the box
    top = max(y for _, y, _ in body.lines) + 0.88 * body.size
    bottom = min(y for _, y, _ in body.lines) - 0.12 * body.size
    from meari.produce.leaflet.layout import _Ctx

    ctx = _Ctx(tpl, prep.size, prep.layout.fonts)
    box = ctx.box(item.rect)
    assert (top - bottom) / box.h > 0.85


def test_safe_conduct_back_has_no_serial_only_band() -> None:
    prep = lf.prepare(parse_message(message_yaml(), "t"), template="safe-conduct")
    back = prep.layout.sides[1]
    h = prep.size.h
    for op in back.ops:
        if op[0] == "fill":
            assert op[4] <= 0.05 * h + 3 * 72 / 25.4 + 0.01, "a wide band on the back"
    assert back.dyn and back.dyn[0].box.y < 0.2 * h  # the serial sits in the footer


def test_missing_headline_and_leaflet_section_use_defaults_as_notes(tmp_path: Path, capsys) -> None:
    p = tmp_path / "bare.yaml"
    p.write_text(f"sponsor: {SPONSOR}\nlanguage: nk\ntext: |\n" + "".join(f"  {x}\n" for x in BODY.splitlines()),
                 encoding="utf-8")
    m = parse_message(p.read_text(encoding="utf-8"), str(p))
    prep = lf.prepare(m)
    assert len(prep.notes) == 2
    assert any("default headline" in n and HEADLINE in n for n in prep.notes)
    assert any("default steps" in n for n in prep.notes)
    assert "defaults:steps,headline" in prep.signature or "defaults:headline,steps" in prep.signature
    out = lf.write_pdf(prep, tmp_path / "bare.pdf")
    r = PdfReader(out)
    assert norm(r.pages[0].extract_text()) == norm(HEADLINE + BODY)
    assert norm("무기를 내려놓으십시오") in norm(r.pages[1].extract_text())
    # the command builds it too (exit 0), not an error
    assert main(["leaflet", str(p), "-o", str(tmp_path / "cli.pdf")]) == 0
    # a message that gives its own headline and steps gets no notes
    full = lf.prepare(parse_message(_steps_yaml(4), "t"))
    assert full.notes == [] and "defaults:" not in full.signature
    # a template without a headline box takes no default headline
    sc = lf.prepare(m, template="safe-conduct")
    assert not any("headline" in n for n in sc.notes)


def test_template_without_default_headline_still_requires_one(tmp_path: Path) -> None:
    src = (Path(lf.templates.TEMPLATE_DIR) / "appeal.yaml").read_text(encoding="utf-8")
    p = tmp_path / "nodef.yaml"
    p.write_text(src.replace("id: appeal", "id: nodef").replace("default_headline: 살아서 돌아가십시오\n", ""),
                 encoding="utf-8")
    m = parse_message(f"sponsor: {SPONSOR}\ntext: 살아서 돌아가십시오\n", "t")
    with pytest.raises(MeariError, match="needs 'leaflet.headline'"):
        lf.prepare(m, template=str(p))


def test_size_limits_match_the_error_and_odd_shapes_get_a_note() -> None:
    assert lf.parse_size("50x30").w_mm == 50 and lf.parse_size("420x297").h_mm == 297
    for bad in ("30x30", "49x30", "421x100", "298x298", "10x10"):
        with pytest.raises(MeariError, match=r"short side 30\.\.297 mm, the long side 50\.\.420 mm"):
            lf.parse_size(bad)
    m = parse_message(message_yaml(), "t")
    assert not [n for n in lf.prepare(m, size="A6").notes if "designed for" in n]
    tall = lf.prepare(m, size="80x150")
    assert any("designed for 152.4x76.2 mm" in n for n in tall.notes)


@pytest.mark.parametrize("body", [EXAMPLE.read_text(encoding="utf-8"), message_yaml()])
def test_filled_body_ends_no_short_last_line(body: str) -> None:
    """A filled box may step down a little so no paragraph ends on one short word (리유가 / 없습니다.)."""
    from meari.produce.leaflet import layout as L

    prep = lf.prepare(parse_message(body, "t"))
    tpl = prep.template
    item = next(i for i in tpl.sides[0].items if i.id == "body")
    op = [o[1] for o in prep.layout.sides[0].ops if o[0] == "text"][1]
    ctx = L._Ctx(tpl, prep.size, prep.layout.fonts)
    box = ctx.box(item.rect)
    body_text = lf.build._convert(prep.message)[0]["body"]  # the text as laid out (converted if drafted SK)
    assert body_text in prep.layout.text_out
    assert L._widows(ctx, [body_text], item.font, op.size, box.w, True) == 0
