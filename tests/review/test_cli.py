"""``meari review`` end to end: output format, positions in the file, JSON, exit codes, bad input, demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meari.cli import main

GOOD = """\
# a clean appeal
sponsor: 우크라이나 《나는 살고 싶다》 프로젝트
channel: leaflet
language: sk
text: |
  조선인민군 병사 여러분, 무기를 내려놓으십시오.
  흰 천을 들고 천천히 걸어 나오십시오.
"""

BAD = """\
sponsor: 우크라이나 《나는 살고 싶다》 프로젝트
language: sk
text: |
  조선 병사 여러분.
  항복하지 않으면 모두 죽이겠다.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_clean_message_exits_0(tmp_path, capsys):
    p = write(tmp_path, "good.yaml", GOOD)
    assert main(["review", str(p)]) == 0
    assert "0 error(s)" in capsys.readouterr().err


def test_error_exits_1_with_linter_line_pointing_into_the_yaml_file(tmp_path, capsys):
    p = write(tmp_path, "bad.yaml", BAD)
    assert main(["review", str(p)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    line = next(x for x in out if "ihl.no-quarter" in x)
    # text line 2 is file line 5; the block is indented by 2, so text column 10 is file column 12
    assert line.startswith(f"{p}:5:12: error ihl.no-quarter: 모두 죽이 — ")
    assert "(fix: " in line
    file_line = p.read_text(encoding="utf-8").splitlines()[4]
    assert file_line[11:].startswith("모두 죽이")


def test_json_output(tmp_path, capsys):
    p = write(tmp_path, "bad.yaml", BAD)
    assert main(["review", "--json", str(p)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["positions"] == "file"
    f = next(f for f in data["findings"] if f["id"] == "ihl.no-quarter")
    assert {"id", "severity", "line", "col", "text", "why", "fix"} <= set(f)
    assert (f["line"], f["col"], f["text_line"], f["text_col"]) == (5, 12, 2, 10)
    assert data["summary"]["errors"] >= 1 and "rules" in data["summary"]


def test_txt_file_positions_are_the_file(tmp_path, capsys):
    p = write(tmp_path, "m.txt", "조선 병사 여러분.\n항복하지 않으면 모두 죽이겠다.\n")
    assert main(["review", str(p)]) == 1  # also: no sponsor in a .txt -> truth.attribution
    out = capsys.readouterr().out
    assert f"{p}:2:10: error ihl.no-quarter" in out
    assert "truth.attribution" in out


def test_folded_text_falls_back_to_text_positions(tmp_path, capsys):
    p = write(tmp_path, "f.yaml", "sponsor: 시험\nlanguage: sk\ntext: >\n  조선 병사 여러분.\n  모두 죽이겠다.\n")
    assert main(["review", str(p)]) == 1
    cap = capsys.readouterr()
    assert "relative to the message text" in cap.err
    assert f"{p}:1:" in cap.out


def test_list_rules(capsys):
    assert main(["review", "--list-rules"]) == 0
    out = capsys.readouterr().out
    for rid in ("ihl.no-quarter", "ihl.perfidy", "ihl.emblem", "ihl.pow-exposure", "ihl.coercion", "ihl.civilians",
                "truth.unapproved-promise", "truth.attribution", "vocab.outsider", "nk.orthography",
                "read.sentence-length", "broadcast.duration", "broadcast.key-late", "broadcast.not-repeated"):
        assert rid in out


@pytest.mark.parametrize("name,content,problem", [
    ("empty.yaml", "", "file is empty"),
    ("empty.txt", "", "text is empty"),
    ("types.yaml", "text: [1, 2]\n", "text"),
    ("channel.yaml", "channel: radio\ntext: 무기를 내려놓으십시오\n", "channel"),
    ("english.yaml", "sponsor: x\ntext: Drop your weapons and come out slowly\n", "not Korean"),
    ("utf.yaml", b"text: \xff\xfe\n", "invalid UTF-8"),
    ("scalar.yaml", "just a string\n", "mapping"),
])
def test_bad_input_exits_2_with_clear_message(tmp_path, capsys, name, content, problem):
    p = write(tmp_path, name, content)
    assert main(["review", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("meari: ") and problem in err and "Traceback" not in err


def test_missing_file_and_no_argument(tmp_path, capsys):
    assert main(["review", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["review"]) == 2


def test_demo_writes_text_and_escaped_html(tmp_path):
    from meari.commands.review import demo

    body = "<script>alert(1)</script> 모두 죽이겠다. 포로는 살려두지 않는다 & 끝"
    p = write(tmp_path, "m.yaml", f"sponsor: '<b>x</b>'\nlanguage: sk\ntext: |\n  {body}\n")
    out = tmp_path / "out"
    out.mkdir()
    paths = demo(p, out)
    assert sorted(x.name for x in paths) == ["review.html", "review.txt"]
    html = (out / "review.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html and "&lt;" in html and "&amp; 끝" in html
    assert "<mark" in html and "ihl.no-quarter" in html
    assert "ihl.no-quarter" in (out / "review.txt").read_text(encoding="utf-8")
    assert not list(out.glob("*.tmp*")) and len(list(out.iterdir())) == 2


def test_headline_and_step_findings_point_into_the_file(tmp_path, capsys):
    content = "\n".join([
        "sponsor: 시험", "language: nk", "text: |", "  무기를 내려놓으십시오.", "leaflet:",
        "  headline: 북한군은 모두 죽일 것이다", "  steps:", "    - 무기를 내려놓으십시오",
        '    - "헬리콥터를 보면 손을 드십시오"', ""])
    p = write(tmp_path, "h.yaml", content)
    assert main(["review", str(p)]) == 1
    out = capsys.readouterr().out
    assert f"{p}:6:18: error ihl.no-quarter: 모두 죽일" in out
    assert f"{p}:9:8: warning vocab.outsider: 헬리콥터" in out
    assert main(["review", "--json", str(p)]) == 1
    data = json.loads(capsys.readouterr().out)
    f = next(f for f in data["findings"] if f["id"] == "ihl.no-quarter")
    assert f["field"] == "leaflet.headline" and (f["line"], f["col"]) == (6, 18)
