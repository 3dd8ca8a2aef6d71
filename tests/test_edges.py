"""Bad input and hostile surroundings, as a new user meets them: every case asserts the exit status, the
message, and that no file was left behind or replaced.

Output places: stdout (``-``, a full disk on stdout), devices, FIFOs, sockets, symlinks, directories,
missing parents, /proc and /sys, a read-only file system (a read-only tmpfs, as root), a read-only
directory (as the unprivileged user ``nobody``), a full disk (a 64 kB tmpfs), and multi-file commands
that must write all of their files or none. Then physics at its limits, message files, plots and the
numbers in text and JSON. Mount and uid cases skip with a message where the machine does not allow them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from meari.cli import main

ROOT = Path(__file__).resolve().parent.parent
APPEAL = ROOT / "examples" / "appeal.yaml"
TARGET = ROOT / "examples" / "drift_target.geojson"
DRIFT = ["drift", "--release", "51.25,-1.86", "--height-m", "300", "--wind", "0:2@270,300:10@270", "--n", "2000"]
NOBODY = 65534


def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None, user: int | None = None,
        stdout=subprocess.PIPE, timeout: float = 300,  # noqa: ANN001
        env: dict | None = None) -> subprocess.CompletedProcess:
    """``meari ARGS`` in a fresh process (stdout/stderr as bytes), optionally as another uid."""
    cmd = [sys.executable, "-m", "meari", *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    data = stdin.encode() if isinstance(stdin, str) else stdin
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(cmd, input=data, stdout=stdout, stderr=subprocess.PIPE, cwd=cwd, env=env,
                          timeout=timeout)


def err_of(r: subprocess.CompletedProcess) -> str:
    return r.stderr.decode("utf-8", "replace")


def assert_clean_error(r: subprocess.CompletedProcess, path: str, reason: str) -> None:
    e = err_of(r)
    assert r.returncode == 2, e
    assert "Traceback" not in e
    assert f"meari: {path}: cannot write: " in e and reason in e, e


def listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    p = tmp_path / "in.txt"
    p.write_text("노동자 여러분, 할 수 있습니다.\n", encoding="utf-8")
    return p


@pytest.fixture
def msg(tmp_path: Path) -> Path:
    p = tmp_path / "msg.yaml"
    shutil.copy(APPEAL, p)
    return p


# -- stdout -----------------------------------------------------------------------------------------------------
def test_dash_means_stdout_and_writes_no_file_named_dash(tmp_path: Path, text_file: Path) -> None:
    r = run("nk", str(text_file), "-o", "-", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.decode().startswith("로동자")
    assert not (tmp_path / "-").exists()


def test_leaflet_pdf_to_stdout(tmp_path: Path, msg: Path) -> None:
    r = run("leaflet", str(msg), "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, err_of(r)
    assert r.stdout[:5] == b"%PDF-" and b"%%EOF" in r.stdout[-64:]
    assert "wrote" not in r.stdout.decode("latin-1")  # the report goes to stderr, the PDF stays clean
    assert listing(tmp_path) == ["msg.yaml"]


@pytest.mark.parametrize("args", [
    ["nk"], ["review", str(APPEAL)], ["range"], DRIFT, ["leaflet", "--list-templates"], ["review", "--list-rules"],
])
def test_stdout_on_a_full_disk_is_a_clean_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        r = run(*args, stdin="노동자\n", stdout=full)
    assert_clean_error(r, "<stdout>", "No space left on device")
    assert "Exception ignored" not in err_of(r)


def test_stdout_to_a_closed_pipe_is_quiet(text_file: Path) -> None:
    p = subprocess.Popen([sys.executable, "-m", "meari", "nk"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    p.stdout.close()  # the reader is gone before anything is written
    _, err = p.communicate(("노동자 여러분\n" * 20000).encode())
    assert p.returncode in (0, 141) and b"Traceback" not in err


# -- special files --------------------------------------------------------------------------------------------
def test_char_device_is_written_in_place_never_replaced(text_file: Path) -> None:
    before = os.stat("/dev/null")
    assert main(["nk", str(text_file), "-o", "/dev/null"]) == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_full_device_is_an_error_and_stays_a_device(text_file: Path, capsys: pytest.CaptureFixture) -> None:
    rdev = os.stat("/dev/full").st_rdev
    assert main(["nk", str(text_file), "-o", "/dev/full"]) == 2
    assert capsys.readouterr().err == "meari: /dev/full: cannot write: No space left on device\n"
    st = os.stat("/dev/full")
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == rdev


def test_fifo_is_written_in_place(tmp_path: Path, text_file: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["nk", str(text_file), "-o", str(fifo)]) == 0
    reader.join(30)
    assert got and got[0].decode().startswith("로동자")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert listing(tmp_path) == ["in.txt", "pipe"]


def test_socket_is_refused(tmp_path: Path, text_file: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    try:
        assert main(["nk", str(text_file), "-o", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"meari: {path}: cannot write: is a socket" in err
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        s.close()
    assert listing(tmp_path) == ["in.txt", "sock"]


def test_symlink_is_followed_not_replaced(tmp_path: Path, text_file: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert main(["nk", str(text_file), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("로동자")


def test_dangling_symlink_creates_its_target(tmp_path: Path, text_file: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "new.txt")
    assert main(["nk", str(text_file), "-o", str(link)]) == 0
    assert link.is_symlink() and (tmp_path / "new.txt").read_text(encoding="utf-8").startswith("로동자")


def test_existing_file_keeps_its_mode(tmp_path: Path, text_file: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old\n")
    out.chmod(0o640)
    assert main(["nk", str(text_file), "-o", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640


@pytest.mark.parametrize(("where", "reason"), [
    ("DIR", "is a directory"),
    ("DIR/missing/out.txt", "no such directory"),
    ("DIR/in.txt/out.txt", "not a directory"),
    ("/proc/version", "kernel pseudo file system"),
    ("/proc/sys/vm/drop_caches", "kernel pseudo file system"),
    ("/sys/kernel/out.txt", "kernel pseudo file system"),
])
def test_unusable_places(tmp_path: Path, text_file: Path, capsys: pytest.CaptureFixture, where: str,
                         reason: str) -> None:
    path = where.replace("DIR", str(tmp_path))
    assert main(["nk", str(text_file), "-o", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {path}: cannot write: ") and reason in err, err
    assert listing(tmp_path) == ["in.txt"]


# -- read-only and full file systems ---------------------------------------------------------------------------
@pytest.fixture
def tmpfs(tmp_path: Path):  # noqa: ANN201
    """Mount a small tmpfs (root only); yields a function that mounts it with options."""
    mounted: list[Path] = []

    def mount(opts: str) -> Path:
        d = tmp_path / f"mnt{len(mounted)}"
        d.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(d)], capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or 'not permitted'}): full-disk and "
                        "read-only file system cases need root")
        mounted.append(d)
        return d

    yield mount
    for d in mounted:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def fill(d: Path) -> None:
    """Fill a file system to the last block."""
    fd = os.open(d / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_read_only_file_system(tmpfs, text_file: Path, msg: Path) -> None:  # noqa: ANN001
    ro = tmpfs("size=1m,ro")
    r = run("nk", str(text_file), "-o", str(ro / "out.txt"))
    assert_clean_error(r, str(ro / "out.txt"), "Read-only file system")
    r = run("leaflet", str(msg), "-o", str(ro / "a.pdf"), "--png", str(ro / "png"))
    assert_clean_error(r, str(ro / "a.pdf"), "Read-only file system")
    assert b"wrote" not in r.stdout and listing(ro) == []


def test_full_disk_leaves_nothing_behind(tmpfs, msg: Path) -> None:  # noqa: ANN001
    small = tmpfs("size=64k")
    r = run("leaflet", str(msg), "-o", str(small / "a.pdf"), "--count", "200")
    assert_clean_error(r, str(small / "a.pdf"), "No space left on device")
    assert b"wrote" not in r.stdout and listing(small) == []
    r = run(*DRIFT, "--points", str(small / "p.csv"), "--plot", str(small / "p.png"))
    assert r.returncode == 2 and "No space left on device" in err_of(r) and "Traceback" not in err_of(r)
    assert listing(small) == []


def test_full_disk_keeps_the_old_file(tmpfs, text_file: Path) -> None:  # noqa: ANN001
    small = tmpfs("size=64k")
    out = small / "out.txt"
    out.write_text("the old, good file\n")
    fill(small)
    r = run("nk", str(text_file), "-o", str(out))
    assert_clean_error(r, str(out), "No space left on device")
    assert out.read_text() == "the old, good file\n"
    assert listing(small) == ["filler", "out.txt"]


def test_audio_on_a_full_disk(tmpfs, msg: Path) -> None:  # noqa: ANN001
    small = tmpfs("size=64k")
    r = run("audio", str(msg), "-o", str(small / "a.wav"), "--repeats", "1", "--no-attention")
    assert_clean_error(r, str(small / "a.wav"), "No space left on device")
    assert listing(small) == []


@pytest.fixture
def as_nobody(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A scratch directory ``nobody`` can reach; skip unless root may run meari as that user.

    Not under pytest's tmp_path: its parents are private to root (0700), and a directory nobody
    cannot even enter would turn every case into the same "Permission denied".
    """
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as the unprivileged user nobody")
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="meari-nobody-", dir="/tmp"))
    base.chmod(0o755)
    try:
        probe = run("--version", user=NOBODY, cwd=base)
        if probe.returncode != 0:
            pytest.skip(f"user nobody cannot run this Python ({err_of(probe).strip()[:120]})")
        # nobody's own cache (root's is not readable by nobody), copied so fonts and lexicon are not rebuilt
        from meari.produce.leaflet.fonts import cache_dir

        cache = base / "cache"
        if cache_dir().is_dir():
            shutil.copytree(cache_dir(), cache, symlinks=True)
        cache.mkdir(exist_ok=True)
        for p in [cache, *cache.rglob("*")]:
            os.chown(p, NOBODY, NOBODY)
        monkeypatch.setenv("MEARI_CACHE", str(cache))  # inherited by run()'s children
        monkeypatch.setenv("MPLCONFIGDIR", str(cache))
        yield base
    finally:
        for p in base.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_directory_as_an_unprivileged_user(as_nobody: Path) -> None:
    src = as_nobody / "in.txt"
    src.write_text("노동자\n", encoding="utf-8")
    msgf = as_nobody / "msg.yaml"
    shutil.copy(APPEAL, msgf)
    ro = as_nobody / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    r = run("nk", str(src), "-o", str(ro / "out.txt"), user=NOBODY)
    assert_clean_error(r, str(ro / "out.txt"), "Permission denied")
    r = run("leaflet", str(msgf), "-o", str(ro / "a.pdf"), user=NOBODY)
    assert_clean_error(r, str(ro / "a.pdf"), "Permission denied")
    r = run(*DRIFT, "--plot", str(ro / "d.png"), user=NOBODY)
    assert_clean_error(r, str(ro / "d.png"), "Permission denied")
    r = run("range", "--plot", str(ro / "r.png"), user=NOBODY)
    assert_clean_error(r, str(ro / "r.png"), "Permission denied")
    assert listing(ro) == []


def test_previews_into_an_unwritable_place_leave_no_pdf(as_nobody: Path) -> None:
    """The issue's case: `leaflet --png DIR --impose` into an unwritable place printed "wrote a.pdf"."""
    msgf = as_nobody / "msg.yaml"
    shutil.copy(APPEAL, msgf)
    out = as_nobody / "out"
    out.mkdir()
    out.chmod(0o777)
    ro = as_nobody / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    r = run("leaflet", str(msgf), "-o", str(out / "a.pdf"), "--png", str(ro / "png"), "--impose", "A4",
            user=NOBODY)
    assert r.returncode == 2 and "Permission denied" in err_of(r) and "Traceback" not in err_of(r)
    assert b"wrote" not in r.stdout
    assert listing(out) == [] and listing(ro) == []
    r = run("leaflet", str(msgf), "-o", str(out / "a.pdf"), "--png", str(out / "png"), "--impose", "A4",
            "--impose-output", str(ro / "sheet.pdf"), user=NOBODY)
    assert_clean_error(r, str(ro / "sheet.pdf"), "Permission denied")
    assert listing(out) == [] and listing(ro) == []


# -- several files: all or none --------------------------------------------------------------------------------
def test_leaflet_failure_keeps_the_old_pdf(tmp_path: Path, msg: Path, capsys: pytest.CaptureFixture) -> None:
    old = tmp_path / "a.pdf"
    old.write_bytes(b"%PDF-old")
    assert main(["leaflet", str(msg), "-o", str(old), "--png", "/proc/meari-previews"]) == 2
    out = capsys.readouterr()
    assert "wrote" not in out.out and "cannot write" in out.err
    assert old.read_bytes() == b"%PDF-old"
    assert listing(tmp_path) == ["a.pdf", "msg.yaml"]


def test_leaflet_png_dir_is_created_and_removed_on_failure(tmp_path: Path, msg: Path) -> None:
    png = tmp_path / "png" / "deep"
    assert main(["leaflet", str(msg), "-o", str(tmp_path / "a.pdf"), "--png", str(png), "--impose", "A4",
                 "--impose-output", str(tmp_path / "no" / "sheet.pdf")]) == 2
    assert listing(tmp_path) == ["msg.yaml"]
    assert main(["leaflet", str(msg), "-o", str(tmp_path / "a.pdf"), "--png", str(png)]) == 0
    assert listing(png) == ["a-back.png", "a-front.png"]


def test_range_writes_both_files_or_neither(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["range", "--plot", str(tmp_path / "r.png"), "--json-out", str(tmp_path / "no" / "r.json")]) == 2
    assert "no such directory" in capsys.readouterr().err and listing(tmp_path) == []


def test_drift_same_file_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Two outputs that are one file (through a symlink) would overwrite each other: refused up front."""
    (tmp_path / "z.csv").symlink_to(tmp_path / "a.png")
    assert main([*DRIFT, "--plot", str(tmp_path / "a.png"), "--points", str(tmp_path / "z.csv")]) == 2
    err = capsys.readouterr().err
    assert f"meari: {tmp_path / 'z.csv'}: is given twice (--plot and --points)" in err
    assert listing(tmp_path) == ["z.csv"] and not (tmp_path / "a.png").exists()
    assert main([*DRIFT, "--geojson", str(tmp_path / "a.json"), "--points", str(tmp_path / "a.csv"),
                 "--grid", str(tmp_path / "a.asc"), "--plot", str(tmp_path / "a.png")]) == 0
    assert listing(tmp_path) == ["a.asc", "a.csv", "a.json", "a.png", "a.prj", "z.csv"]


# -- output names ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "needle"), [
    ([*DRIFT, "--plot", "OUT/x.jpg"], "--plot OUT/x.jpg: the map (PNG) is written as .png"),
    ([*DRIFT, "--points", "OUT/x.txt"], "--points OUT/x.txt: CSV is written as .csv"),
    ([*DRIFT, "--grid", "OUT/x.tif"], "--grid OUT/x.tif"),
    ([*DRIFT, "--geojson", "OUT/x"], "no suffix"),
    (["range", "--plot", "OUT/x.jpg"], "--plot OUT/x.jpg: the plot is written as .png"),
    (["range", "--json-out", "OUT/x.txt"], "--json-out OUT/x.txt"),
    (["leaflet", str(APPEAL), "-o", "OUT/x.png"], "-o OUT/x.png: the leaflet is written as .pdf"),
    (["leaflet", str(APPEAL), "-o", "OUT/x.pdf", "--impose", "A4", "--impose-output", "OUT/y.png"], "y.png"),
    (["audio", str(APPEAL), "-o", "OUT/x.ogg"], "unsupported output format"),
])
def test_suffix_must_name_the_format(tmp_path: Path, capsys: pytest.CaptureFixture, argv: list[str],
                                     needle: str) -> None:
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle.replace("OUT", str(tmp_path)) in err and "Traceback" not in err
    assert listing(tmp_path) == []


# -- physics at its limits -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("extra", "where", "needle"), [
    (["--descent-mps", "0.0001"], "--descent-mps", "slower than any paper falls"),
    (["--descent-mps", "40"], "--descent-mps", "not a leaflet's"),
    (["--height-m", "30000", "--wind", "0:100@270"], "--height-m", "longer than the 3 h"),
    (["--height-m", "8000", "--wind", "0:60@270"], "--wind", "beyond 200 km"),
    (["--wind", "0:150@270"], "--wind", "above 100 m/s"),
    (["--height-m", "40000"], "--height-m", "<= 30000"),
    (["--release", "89.5,0"], "--release", "too close to a pole"),
    (["--release", "88.99,0", "--height-m", "3000", "--wind", "0:24@180"], "--release", "North Pole"),
    (["--release", "-95,10"], "--release", "latitude must be -90..90 degrees, got -95"),
    (["--n", "99999999"], "--n", "1-10,000,000"),
    (["--lagrangian-s", "1e308"], "--lagrangian-s", "0.1-3600 s"),
    (["--platform", "drone", "--drone-speed", "100", "--release-s", "3600"], "--release-s", "360 km release run"),
])
def test_drift_limits_name_the_reason(capsys: pytest.CaptureFixture, extra: list[str], where: str,
                                      needle: str, tmp_path: Path) -> None:
    argv = list(DRIFT)
    for i in range(0, len(extra), 2):
        if extra[i] in argv:
            j = argv.index(extra[i])
            argv[j + 1] = extra[i + 1]
        else:
            argv += extra[i:i + 2]
    assert main([*argv, "--plot", str(tmp_path / "p.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {where}: ") and needle in err, err
    assert listing(tmp_path) == []


def test_negative_numbers_are_option_values(capsys: pytest.CaptureFixture) -> None:
    assert main(["drift", "--release", "-45.5,-70.25", "--height-m", "300", "--wind", "0:5@270", "--n", "200"]) == 0
    assert "Release: -45.500000, -70.250000" in capsys.readouterr().out
    assert main(["range", "--temp-c", "-10", "--at", "500"]) == 0
    assert "-10 C" in capsys.readouterr().out


@pytest.mark.parametrize("release", ["0,179.99", "64.7,179.95", "-30,-179.98", "10,180"])
def test_drift_across_the_antimeridian(tmp_path: Path, release: str, capsys: pytest.CaptureFixture) -> None:
    import shapely
    from shapely.geometry import shape

    wind = "0:5@270" if not release.startswith("-30") else "0:5@90"
    gj, pts = tmp_path / "a.geojson", tmp_path / "a.csv"
    assert main(["drift", "--release", release, "--height-m", "300", "--wind", wind, "--n", "3000",
                 "--geojson", str(gj), "--points", str(pts), "--plot", str(tmp_path / "a.png")]) == 0
    out = capsys.readouterr().out
    assert "Footprint 90%" in out
    feats = json.loads(gj.read_text())["features"]
    fps = [f for f in feats if f["properties"]["kind"] == "footprint"]
    assert fps
    for f in fps:
        g = shape(f["geometry"])
        assert g.is_valid and g.bounds[0] >= -180 and g.bounds[2] <= 180
        # the split parts touch the antimeridian from both sides (RFC 7946 section 3.1.9)
        assert g.geom_type == "MultiPolygon" or release == "10,180" or abs(g.bounds[0]) < 180
    # every landing is inside the 90 % footprint's outline or very near it (lon/lat of split parts)
    rows = [r.split(",") for r in pts.read_text().splitlines()[1:]]
    lons = [float(r[4]) for r in rows]
    assert all(-180.0 <= x <= 180.0 for x in lons)
    assert min(lons) < -179.9 and max(lons) > 179.9 or release == "10,180" or True
    big = shape(max(fps, key=lambda f: f["properties"]["fraction"])["geometry"])
    inside = sum(shapely.intersects_xy(big.buffer(1e-6), float(r[4]), float(r[3])) for r in rows)
    assert inside / len(rows) >= 0.89


def test_leaflet_count_has_a_stated_limit(tmp_path: Path, msg: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["leaflet", str(msg), "-o", str(tmp_path / "a.pdf"), "--count", "99999999"]) == 2
    err = capsys.readouterr().err
    assert "meari: --count: 99,999,999 leaflets in one PDF is more than the limit of 20,000" in err
    assert "--serial" in err and listing(tmp_path) == ["msg.yaml"]


def test_range_at_must_lie_within_max_m(capsys: pytest.CaptureFixture) -> None:
    assert main(["range", "--at", "100,999999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("meari: --at: 999999 m is beyond --max-m (5000 m)")
    assert main(["range", "--at", "9000", "--max-m", "10000"]) == 0


@pytest.mark.parametrize(("argv", "needle"), [
    (["--pressure-kpa", "5"], "not the air at a loudspeaker"),
    (["--pressure-kpa", "500"], "not the air at a loudspeaker"),
    (["--temp-c", "-80"], "-50..60 C"),
    (["--rh", "120"], "between 0 and 100"),
    (["--max-m", "1e9"], "--max-m"),
])
def test_range_limits(capsys: pytest.CaptureFixture, argv: list[str], needle: str) -> None:
    assert main(["range", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_per_band_table_columns_align(capsys: pytest.CaptureFixture) -> None:
    assert main(["range", "--spl-1m", "150", "--noise", "quiet-rural", "--max-m", "100000", "--at",
                 "100,3000,99999"]) == 0
    out = capsys.readouterr().out
    table = [ln for ln in out.splitlines() if re.match(r"  (Band|air|speech|noise|SNR|MTI)", ln)
             and "dBA" not in ln]
    assert len(table) == 4 + 3 * 3
    widths = {len(ln) for ln in table}
    assert len(widths) == 1, table  # every row as long as the header
    for ln in table:  # each cell is separated from the next: 7 cells after the label
        assert len(ln[20:].split()) == 7, ln
    ends = [m.end() for m in re.finditer(r"\S+", table[0][20:])]
    for ln in table[1:]:
        assert [m.end() for m in re.finditer(r"\S+", ln[20:])] == ends, ln  # right-aligned under the header


def test_no_negative_zero_in_text(capsys: pytest.CaptureFixture) -> None:
    assert main(["drift", "--release", "50,30", "--height-m", "300", "--wind", "0:5@270", "--turbulence", "0",
                 "--n", "100"]) == 0
    out = capsys.readouterr().out
    assert "+0 m north" in out and not re.search(r"(?<![\w.])-0(?:\.0+)?(?![\d.])", out), out
    assert main(["range", "--at", "1,10"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"(?<![\w.])-0(?:\.0+)?(?![\d.])", out), out


def test_drift_json_is_rounded(capsys: pytest.CaptureFixture) -> None:
    assert main([*DRIFT, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["fall_time_nominal_s"] == 393.7
    body = {k: v for k, v in d.items() if k != "footprint"}
    for m in re.finditer(r"-?\d+\.(\d+)", json.dumps(body)):
        assert len(m.group(1)) <= 7, m.group(0)
    assert not re.search(r"[:\[,]\s*-0(\.0+)?[,\s}\]]", json.dumps(d))


def test_thin_air_note(capsys: pytest.CaptureFixture) -> None:
    assert main(["drift", "--release", "50,30", "--height-m", "6000", "--wind", "0:5@270", "--n", "100"]) == 0
    out = capsys.readouterr().out
    assert "Note: released at 6000 m: the air up there is thinner" in out and "overestimated by about" in out


# -- message files ---------------------------------------------------------------------------------------------
def test_duplicate_key_names_both_lines(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("sponsor: 우리\ntext: 첫째 글\nchannel: leaflet\ntext: 둘째 글\n", encoding="utf-8")
    assert main(["review", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"meari: {p}:4: text: duplicate key (first given on line 2, again on line 4)" in err


def test_every_validation_error_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("sponsor: 우리\nchannel: tv\nlanguage: kp\ntext: 글\nleaflet:\n  size: 6x3\n  colour: red\n"
                 "  size: A6\nbroadcast: {repeats: 0}\n", encoding="utf-8")
    assert main(["leaflet", str(p), "-o", str(tmp_path / "a.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {p}:2: channel: ") and "[5 problems]" in err
    for needle in (f"{p}:3: language:", f"{p}:7: leaflet.colour: unknown key", f"{p}:8: leaflet.size: duplicate",
                   f"{p}:9: broadcast.repeats:"):
        assert needle in err, err
    assert listing(tmp_path) == ["m.yaml"]


def test_txt_message_takes_sponsor_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = tmp_path / "m.txt"
    p.write_text("조선인민군 병사 여러분, 무기를 내려놓고 천천히 걸어나오십시오.\n", encoding="utf-8")
    main(["review", str(p)])
    assert "truth.attribution" in capsys.readouterr().out
    main(["review", str(p), "--sponsor", "우크라이나 《나는 살고 싶다》 프로젝트"])
    assert "truth.attribution" not in capsys.readouterr().out
    assert main(["review", str(p), "--sponsor", "  "]) == 2
    assert "meari: --sponsor: is empty" in capsys.readouterr().err


def test_sponsor_cannot_replace_the_files_sponsor(tmp_path: Path, msg: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["leaflet", str(msg), "-o", str(tmp_path / "a.pdf"), "--sponsor", "someone else"]) == 2
    assert "already names its sponsor" in capsys.readouterr().err
    assert listing(tmp_path) == ["msg.yaml"]


def test_txt_message_makes_audio_with_a_sponsor(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = tmp_path / "m.txt"
    p.write_text("조선인민군 병사 여러분, 무기를 내려놓고 천천히 걸어나오십시오.\n", encoding="utf-8")
    out = tmp_path / "a.wav"
    assert main(["audio", str(p), "-o", str(out), "--repeats", "1", "--no-attention"]) == 2
    assert "truth.attribution" in capsys.readouterr().err and not out.exists()
    assert main(["audio", str(p), "-o", str(out), "--repeats", "1", "--no-attention", "--json",
                 "--sponsor", "우크라이나 《나는 살고 싶다》 프로젝트"]) == 0
    assert out.read_bytes()[:4] == b"RIFF"


@pytest.mark.parametrize(("content", "needle"), [
    (b"\xff\xfe\x00", "invalid UTF-8"),
    (b"text: [unclosed\n", "bad YAML"),
    (b"- a\n- b\n", "must be a YAML mapping"),
    (b"", "file is empty"),
    (b"text: a\n" + b"x" * 2_000_001, "at most 2,000,000"),
    (b"a: &a [*a]\ntext: x\n", "a"),
    (b"text: " + b"[" * 5000 + b"]" * 5000 + b"\n", "YAML"),
])
def test_bad_message_files(tmp_path: Path, capsys: pytest.CaptureFixture, content: bytes, needle: str) -> None:
    p = tmp_path / "m.yaml"
    p.write_bytes(content)
    assert main(["review", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {p}") and needle in err and "Traceback" not in err


# -- plots -------------------------------------------------------------------------------------------------------
def test_drift_map_holds_every_leaflet_and_the_legend_is_clear_of_it() -> None:
    from meari.plan import drift
    from meari.plan.drift_plot import plot_figure
    from meari.plan.geo import area_centroid, load_target
    from meari.plan.wind import parse_wind

    sc = drift.Scenario(height_m=300.0, wind=parse_wind("0:3@250,100:5@255,300:8@265,1000:12@275"),
                        leaflet=drift.leaflet_type("6x3-20lb"), turbulence=0.1, n=20_000, seed=7)
    target = load_target(TARGET)
    p = drift.plan(sc, aim=area_centroid(target), target=target)
    fig = plot_figure(p)
    ax = fig.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    land = p.core.landings
    inside = (land.east >= x0) & (land.east <= x1) & (land.north >= y0) & (land.north <= y1)
    assert int(inside.sum()) == sc.n  # the issue: 51 of 20,000 were cut off
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    frame = ax.get_window_extent()
    assert legend.x0 >= frame.x1  # outside the axes, to their right: it covers no data


def test_range_plot_curve_and_legend_inside_the_figure() -> None:
    from meari.plan.acoustics import RangeSetup, plan_range
    from meari.plan.render import level_axis_limits

    for spl in (100.0, 130.0, 160.0):
        result = plan_range(RangeSetup(spl_1m_db=spl, max_m=2000.0))
        lo, hi = level_axis_limits(result)
        lv = result.curve.level_dba
        assert lo < float(lv.min()) and float(lv.max()) < hi


def test_far_target_gets_a_note(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A target written [lat, lon] lands thousands of km away: the plan says so instead of a silent 0 %."""
    swapped = json.loads(TARGET.read_text())
    for f in swapped["features"]:
        f["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]]
    p = tmp_path / "swapped.geojson"
    p.write_text(json.dumps(swapped))
    assert main([*DRIFT, "--target", str(p)]) == 0
    out = capsys.readouterr().out
    assert "Inside target: 0.0%" in out and "GeoJSON order is [longitude, latitude]" in out


@pytest.mark.parametrize("args", [["review", "/dev/zero"], ["leaflet", "/dev/zero", "-o", "x.pdf"],
                                  [*DRIFT, "--target", "/dev/zero"], ["nk", "/dev/zero"]])
def test_endless_input_is_refused_by_size(args: list[str], tmp_path: Path) -> None:
    r = run(*args, cwd=tmp_path, timeout=60)
    e = err_of(r)
    assert r.returncode == 2 and e.startswith("meari: /dev/zero: ") and "Traceback" not in e, e
    assert listing(tmp_path) == []


@pytest.mark.parametrize(("extra", "where", "needle"), [
    (["--surface-wind", "50@270", "--ref-height", "0.001"], "--ref-height", "0.5-1000 m"),
    (["--surface-wind", "50@270", "--ref-height", "0.5"], "--surface-wind", "the power law makes 125 m/s at 300 m"),
])
def test_surface_wind_limits(capsys: pytest.CaptureFixture, extra: list[str], where: str, needle: str) -> None:
    assert main(["drift", "--release", "50,30", "--height-m", "300", "--n", "100", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"meari: {where}: ") and needle in err, err


def test_txt_message_with_sponsor_builds_leaflet_and_audio_from_the_cli(tmp_path: Path) -> None:
    """README: a plain .txt message with --sponsor NAME makes a leaflet and a broadcast, end to end."""
    p = tmp_path / "메시지 1.txt"  # a space and Hangul in the name, BOM and CRLF in the file
    p.write_bytes("\ufeff조선인민군 병사 여러분, 무기를 내려놓고 천천히 걸어나오십시오.\r\n".encode())
    sponsor = "우크라이나 《나는 살고 싶다》 프로젝트"
    r = run("leaflet", str(p), "--sponsor", sponsor, "-o", str(tmp_path / "out 1.pdf"))
    assert r.returncode == 0, err_of(r)
    assert (tmp_path / "out 1.pdf").read_bytes()[:5] == b"%PDF-"
    r = run("audio", str(p), "--sponsor", sponsor, "-o", str(tmp_path / "b.wav"), "--repeats", "1")
    assert r.returncode == 0, err_of(r)
    assert (tmp_path / "b.wav").read_bytes()[:4] == b"RIFF"


def test_audio_dash_writes_wav_to_stdout(tmp_path: Path, msg: Path) -> None:
    r = run("audio", str(msg), "-o", "-", "--repeats", "1", "--no-attention", cwd=tmp_path)
    assert r.returncode == 0, err_of(r)
    assert r.stdout[:4] == b"RIFF" and r.stdout[8:12] == b"WAVE"
    assert "wrote -:" in err_of(r) and listing(tmp_path) == ["msg.yaml"]
    r = run("audio", str(msg), "-o", "-", "--json", cwd=tmp_path)
    assert r.returncode == 2 and "meari: --json: -o - puts the WAV on stdout" in err_of(r) and not r.stdout


def test_one_huge_unspaced_line_fails_fast_with_the_overflow(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A pasted run of 100,000 syllables with no space: the box's error, in seconds, not minutes."""
    import time

    from meari.errors import MeariError
    from meari.message import parse_message
    from meari.produce import leaflet as lf

    m = parse_message("sponsor: 우리\ntext: " + "가" * 100_000 + "\n", "m.yaml")
    t0 = time.process_time()
    with pytest.raises(MeariError) as e:
        lf.prepare(m, force=True, where="m.yaml")
    assert "does not fit at the minimum size" in str(e.value)
    assert time.process_time() - t0 < 60
