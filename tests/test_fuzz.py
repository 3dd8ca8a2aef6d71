"""Property-based fuzz (hypothesis) of the message loader and of each command's argument parser.

The property: no input produces a traceback. The loader either returns a Message or raises MeariError;
a command exits 0, 1 or 2 and its stderr never holds "Traceback". Arguments are drawn from each
sub-command's own option strings with values from a pool of hostile ones (negative, NaN, inf, huge,
empty, non-numbers, "-", special files, missing and read-only places), so the examples reach past
argparse into validation and the output layer. Work per example is bounded (small counts, short
curves) so the fuzz runs in about a minute.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meari.cli import build_parser, main
from meari.errors import MeariError
from meari.message import Message, load_message, parse_message

ROOT = Path(__file__).resolve().parent.parent
APPEAL = ROOT / "examples" / "appeal.yaml"
TARGET = ROOT / "examples" / "drift_target.geojson"
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=True)

# -- the message loader ----------------------------------------------------------------------------------------
KEYS = ["sponsor", "audience", "channel", "language", "drafted_in", "text", "guarantees", "leaflet", "broadcast",
        "template", "size", "headline", "steps", "serial_start", "languages", "repeats", "voice", "recording",
        "syllables_per_s", "pause_s", "attention", "extra"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["nk", "sk", "leaflet", "loudspeaker", "6x3", "A6",
                                                           "조선인민군 병사 여러분", "\u1100\u1161", "\x00", ""]))
values = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                   st.dictionaries(st.sampled_from(KEYS), c, max_size=4)),
                      max_leaves=12)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


def _loads(text: str, plain: bool = False) -> None:
    try:
        m = parse_message(text, "<fuzz>", plain=plain)
    except MeariError as e:
        assert str(e) and "Traceback" not in str(e)
    else:
        assert isinstance(m, Message) and m.text.strip()


@FUZZ
@given(documents)
def test_loader_on_structured_yaml(doc: dict) -> None:
    _loads(yaml.safe_dump(doc, allow_unicode=True))


@FUZZ
@given(documents, st.sampled_from(KEYS), values)
def test_loader_on_duplicate_keys(doc: dict, key: str, value: object) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True) if doc else ""
    _loads(text + yaml.safe_dump({key: value}, allow_unicode=True) * 2)


@FUZZ
@given(st.text(max_size=300))
def test_loader_on_any_text(text: str) -> None:
    _loads(text)
    _loads(text, plain=True)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".yaml", ".txt", ".yml", ""]))
def test_loader_on_any_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"m{suffix}"
        p.write_bytes(data)
        try:
            load_message(p)
        except MeariError:
            pass


# -- command parsers -------------------------------------------------------------------------------------------
COMMANDS = ["nk", "sk", "review", "leaflet", "audio", "range", "drift"]  # not serve: it would run a server
SCRATCH = Path(tempfile.mkdtemp(prefix="meari-fuzz-"))
RO = SCRATCH / "ro"
RO.mkdir()
(SCRATCH / "msg.yaml").write_bytes(APPEAL.read_bytes())
(SCRATCH / "target.geojson").write_bytes(TARGET.read_bytes())  # copies: a fuzzed -o may overwrite them
(SCRATCH / "msg.txt").write_text("조선인민군 병사 여러분, 무기를 내려놓으십시오.\n", encoding="utf-8")
(SCRATCH / "bad.yaml").write_text("text: [\n", encoding="utf-8")
(SCRATCH / "noise.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")  # truncated, unreadable audio
RO.chmod(0o555)

PATHS = [str(SCRATCH / n) for n in ("msg.yaml", "msg.txt", "bad.yaml", "noise.wav", "out.pdf", "out.png",
                                    "out.json", "out.csv", "out.asc", "out.geojson", "out.wav", "out.mp3",
                                    "missing/x.pdf", "ro/x.png", "ro")]
PATHS += [str(SCRATCH), "-", "/dev/null", "/dev/full", "/proc/x.png", str(SCRATCH / "target.geojson")]
NUMBERS = ["0", "1", "-1", "2", "10", "300", "0.5", "-95,10", "51.25,-1.86", "0,179.99", "89.9,0", "nan", "inf",
           "-inf", "1e308", "99999999", "1e-9", "5000", "20000", "-0", "0x10", "", " ", "١٢٣"]
WORDS = ["appeal", "safe-conduct", "instructions", "6x3", "A6", "120x80", "A4", "SRA3", "quiet-rural", "forest",
         "open", "hover", "shell", "6x3-20lb", "0:2@270,300:10@270", "4@270", "0:150@270", "espeak:ko", "A", "Z",
         "é", "조선", "--", "-x", "\x00", "a" * 300]
VALUES = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS + WORDS + PATHS),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))
#: Values that would make one example run for minutes; the limits themselves are tested in test_edges.py.
SLOW = {("drift", "--n"), ("leaflet", "--count"), ("range", "--points"), ("audio", "--repeats")}
SMALL = st.sampled_from(["0", "1", "2", "-3", "x", "99999999"])


def _options(name: str) -> list[tuple[str, bool]]:
    """(option string, takes a value) for a sub-command, from its real parser."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices[name]
    out = []
    for a in sub._actions:
        for s in a.option_strings:
            if s in ("-h", "--help"):
                continue
            out.append((s, a.nargs != 0))
    return out


#: A valid command line per command: the fuzz starts here and overrides or adds options, so most examples
#: get past argparse into validation, the work itself and the output layer.
BASE = {
    "nk": ["nk", str(SCRATCH / "msg.txt")],
    "sk": ["sk"],
    "review": ["review", str(SCRATCH / "msg.yaml")],
    "leaflet": ["leaflet", str(SCRATCH / "msg.yaml"), "-o", str(SCRATCH / "out.pdf")],
    "audio": ["audio", str(SCRATCH / "msg.yaml"), "-o", str(SCRATCH / "out.wav"), "--repeats", "1",
              "--no-attention"],
    "range": ["range", "--points", "50"],
    "drift": ["drift", "--release", "51.25,-1.86", "--height-m", "300", "--wind", "0:2@270,300:10@270",
              "--n", "200"],
}


@st.composite
def argvs(draw: st.DrawFn, name: str) -> list[str]:
    opts = _options(name)
    argv = list(BASE[name])
    for flag, takes in draw(st.lists(st.sampled_from(opts), max_size=3)):
        argv.append(flag)
        if takes:
            argv.append(draw(SMALL if (name, flag) in SLOW else VALUES))
            if flag == "--band":
                argv.append(draw(VALUES))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(VALUES))  # a stray token anywhere
    return argv


def _run(argv: list[str]) -> tuple[int, str]:
    """main(argv) in process, stdin empty, stdout/stderr captured; the exit status and stderr."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    old_in = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO("노동자 여러분\n".encode()), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse: usage errors (2), --help/--version (0)
                code = e.code if isinstance(e.code, int) else 2
    finally:
        sys.stdin = old_in
    return code, err.getvalue()


def _clean_outputs() -> None:
    for p in SCRATCH.iterdir():
        if p.name.startswith("out") or p.name in ("missing",) or p.name.startswith("."):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()


@pytest.mark.parametrize("name", COMMANDS)
def test_command_arguments_never_trace_back(name: str) -> None:
    examples = {"audio": 12, "leaflet": 30, "review": 30, "range": 150, "drift": 150}.get(name, 40)

    @settings(FUZZ, max_examples=examples)
    @given(argvs(name))
    def check(argv: list[str]) -> None:
        cwd = os.getcwd()
        os.chdir(SCRATCH)
        try:
            code, err = _run(argv)
        finally:
            os.chdir(cwd)
            _clean_outputs()
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in err, (argv, err)
        if code == 2 and err:
            assert err.startswith(("meari: ", "usage: ")) or "\nusage: " in err or "meari: " in err, (argv, err)

    check()


@pytest.fixture(scope="module", autouse=True)
def _remove_scratch():  # noqa: ANN202
    yield
    RO.chmod(0o755)
    shutil.rmtree(SCRATCH, ignore_errors=True)
