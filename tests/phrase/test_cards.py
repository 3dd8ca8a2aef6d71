"""Pocket cards: the PDF is parsed back (pypdf) and rasterised (pypdfium2); bad input exits 2."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from meari.cli import main
from meari.errors import MeariError
from meari.phrase.load import load_phrasebook
from meari.produce.cards.pdf import MM, SIZES, paginate, write_cards


@pytest.fixture(scope="module")
def book():
    return load_phrasebook()


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Base font name -> embedded (has FontFile2/3) for every font on every page."""
    out: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            f = ref.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            out[str(f["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


@pytest.mark.parametrize("size", ["A6", "85x55"])
def test_pdf_parsed_back(tmp_path: Path, book, size: str) -> None:
    entries = [e for e in book.phrases if e.module == "commands"]
    out = tmp_path / f"cards-{size}.pdf"
    res = write_cards(book, entries, out, size, "uk")
    r = pypdf.PdfReader(str(out))
    assert len(r.pages) == res.pages == 2 * len(paginate(entries, "uk", size))  # duplex: front+back per card
    w, h = SIZES[size]
    for p in r.pages:
        box = p.trimbox
        assert abs(float(box.width) - w * MM) < 0.5 and abs(float(box.height) - h * MM) < 0.5
    fonts = _fonts(r)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert all(re.match(r"/?[A-Z]{6}\+", name) or "Meari" in name for name in fonts), fonts  # subset tags
    text = r.pages[0].extract_text()
    stop = next(e for e in entries if e.id == "cmd.stop")
    assert stop.nk in text  # Korean
    assert stop.uk in text  # Cyrillic (reader's language)
    assert stop.translit_uk in text  # Cyrillic transcription
    assert stop.en in text and "cmd.stop" in text  # Latin
    back = r.pages[1].extract_text()
    assert "예" in back and "아니요" in back


def test_reader_ru_and_backs_carry_the_aids(tmp_path: Path, book) -> None:
    entries = [e for e in book.phrases if e.module in ("medical", "identity", "card")]
    out = tmp_path / "c.pdf"
    write_cards(book, entries, out, "A6", "ru")
    r = pypdf.PdfReader(str(out))
    fronts = [r.pages[i].extract_text() for i in range(0, len(r.pages), 2)]
    backs = [r.pages[i].extract_text() for i in range(1, len(r.pages), 2)]
    where = next(i for i, t in enumerate(fronts) if "med.where-hurt" in t)
    assert "어디가 아픕니까?" in backs[where] and "где болит?" in backs[where]  # body outline panel
    dates = [i for i, t in enumerate(fronts) if "id.dob" in t or "card.capture-date-ask" in t]
    assert dates and all("12월" in backs[i] and "31" in backs[i] for i in dates)  # calendar panel
    assert any("Вы ранены?" in t for t in fronts)


def test_previews_look_like_cards(tmp_path: Path) -> None:
    """PNG previews are the PDF rasterised: a portrait A6 card at 200 dpi with ink on it."""
    from PIL import Image

    out = tmp_path / "cards.pdf"
    assert main(["cards", "-o", str(out), "--module", "commands", "--png", str(tmp_path / "png")]) == 0
    front = Image.open(tmp_path / "png" / "cards-front.png").convert("L")
    assert abs(front.width - 105 / 25.4 * 200) < 3 and abs(front.height - 148 / 25.4 * 200) < 3
    assert front.getextrema()[0] < 50  # dark ink (the header band, the Korean)
    assert (tmp_path / "png" / "cards-back.png").is_file()


@pytest.mark.parametrize(("argv", "where"), [
    (["cards"], "meari cards"),
    (["cards", "-o", "x.txt"], "x.txt"),
    (["cards", "-o", "x.pdf", "--size", "B5"], "--size"),
    (["cards", "-o", "x.pdf", "--module", "nope"], "--module"),
])
def test_bad_input_exit_2(tmp_path: Path, capsys, argv, where, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {where}: ") and "Traceback" not in err
    assert not list(tmp_path.glob("*.pdf"))


def test_failed_write_keeps_old_file(tmp_path: Path, book) -> None:
    out = tmp_path / "c.pdf"
    out.write_bytes(b"old")
    with pytest.raises(MeariError):
        write_cards(book, [e for e in book.phrases if e.module == "commands"], out, "A6", "de")
    assert out.read_bytes() == b"old"


def test_missing_glyph_is_refused_not_printed_as_boxes(tmp_path: Path, book) -> None:
    """Hanja are not in the Korean subset: a card must refuse them rather than print tofu."""
    import dataclasses

    e = dataclasses.replace(next(x for x in book.phrases if x.id == "cmd.stop"), nk="漢字 멈추시오!")
    out = tmp_path / "c.pdf"
    out.write_bytes(b"old")
    with pytest.raises(MeariError, match="no glyph"):
        write_cards(book, [e], out, "A6", "uk")
    assert out.read_bytes() == b"old"


def test_back_keeps_yes_no_beside_the_body_outline(tmp_path: Path, book) -> None:
    entries = [e for e in book.phrases if e.module == "medical"]
    out = tmp_path / "m.pdf"
    write_cards(book, entries, out, "85x55", "uk")
    r = pypdf.PdfReader(str(out))
    for i in range(0, len(r.pages), 2):
        front, back = r.pages[i].extract_text(), r.pages[i + 1].extract_text()
        if "(зворот)" in front and "так / ні" in front:
            assert "아니요" in back, front[:80]
