"""docs/leaflet.md's "Limits" table against the program: each row is built from the constant the code
enforces, and the error for going past it must state the same number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meari.cli import main
from meari.commands.leaflet import MAX_COUNT
from meari.errors import MeariError
from meari.message import MAX_MESSAGE_BYTES
from meari.produce.leaflet import impose, load_template
from meari.produce.leaflet.build import MAX_SERIAL
from meari.produce.leaflet.icc import MAX_ICC_BYTES, load_icc
from meari.produce.leaflet.sizes import MAX_MM, MIN_MM, parse_size

DOC = Path(__file__).resolve().parents[2] / "docs" / "leaflet.md"
APPEAL = Path(__file__).resolve().parents[2] / "examples" / "appeal.yaml"


def limits_table() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and not set(cells[1]) <= set("- "):
            rows[cells[0]] = cells[1]
    return rows


def test_every_row_states_the_programs_constant() -> None:
    rows = limits_table()
    assert rows["`--size WxH`"] == (f"the short side {min(MIN_MM):g} to {min(MAX_MM):g} mm, the long side "
                                    f"{max(MIN_MM):g} to {max(MAX_MM):g} mm (A3)")
    assert rows["`--count`"].startswith(f"1 to {MAX_COUNT:,} leaflets in one PDF")
    assert f"at most {MAX_SERIAL:,} ({len(str(MAX_SERIAL))} digits)" in rows["`--serial`, `leaflet.serial_start`"]
    assert rows["`--gutter`"] == f"0 to {impose.MAX_GUTTER_MM:g} mm"
    shipped = {load_template(t).max_steps for t in ("appeal", "safe-conduct", "instructions")}
    assert rows["`leaflet.steps`"] == f"at most the template's `max_steps` ({shipped.pop()} on every shipped template)"
    assert not shipped
    assert rows["`--icc FILE`"] == f"at most {MAX_ICC_BYTES // 2**20} MB"
    assert rows["the message file"] == f"at most {MAX_MESSAGE_BYTES:,} bytes"


def numbers(s: str) -> set[str]:
    return set(re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", s))


def test_each_error_states_the_documented_number(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rows = limits_table()
    with pytest.raises(MeariError) as e:
        parse_size("20x20")
    assert numbers(rows["`--size WxH`"]) <= numbers(str(e.value))

    assert main(["leaflet", str(APPEAL), "-o", str(tmp_path / "a.pdf"), "--count", str(MAX_COUNT + 1)]) == 2
    assert f"limit of {MAX_COUNT:,}" in capsys.readouterr().err
    assert main(["leaflet", str(APPEAL), "-o", str(tmp_path / "a.pdf"), "--serial", str(MAX_SERIAL)]) == 0
    capsys.readouterr()
    assert main(["leaflet", str(APPEAL), "-o", str(tmp_path / "b.pdf"), "--serial", str(MAX_SERIAL),
                 "--count", "2"]) == 2
    assert f"past {MAX_SERIAL:,}" in capsys.readouterr().err and not (tmp_path / "b.pdf").exists()

    size = parse_size("6x3")
    impose.plan("A4", size, impose.MAX_GUTTER_MM)  # the limit itself is allowed
    for bad in (impose.MAX_GUTTER_MM + 0.5, -1.0, float("nan")):
        with pytest.raises(MeariError) as e:
            impose.plan("A4", size, bad)
        assert f"between 0 and {impose.MAX_GUTTER_MM:g}" in str(e.value)

    icc = tmp_path / "big.icc"
    with open(icc, "wb") as f:  # sparse: no 64 MB written
        f.truncate(MAX_ICC_BYTES + 1)
    with pytest.raises(MeariError) as e:
        load_icc(icc)
    assert rows["`--icc FILE`"] in str(e.value)

    big = tmp_path / "m.yaml"
    with open(big, "wb") as f:
        f.truncate(MAX_MESSAGE_BYTES + 1)
    assert main(["review", str(big)]) == 2
    assert f"at most {MAX_MESSAGE_BYTES:,}" in capsys.readouterr().err


def test_more_steps_than_the_template_lays_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    n = load_template("appeal").max_steps + 1
    steps = "".join(f"    - 단계 {i}\n" for i in range(n))
    p = tmp_path / "m.yaml"
    p.write_text(APPEAL.read_text(encoding="utf-8").split("\nleaflet:", 1)[0]
                 + f"\nleaflet:\n  headline: 살아서 돌아가십시오\n  steps:\n{steps}", encoding="utf-8")
    assert main(["leaflet", str(p), "-o", str(tmp_path / "a.pdf")]) == 2
    assert f"at most {n - 1}" in capsys.readouterr().err
