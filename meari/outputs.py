"""The one output layer: every file meari writes goes through here.

Why one layer: an output path is the user's surroundings, and the surroundings can be hostile (a
device node, a FIFO, a symlink, a read-only or full file system, /proc). Each command used to handle
some of that on its own; now the rules are in one place and tested once (tests/test_edges.py):

- ``-`` means standard output.
- A symlink is followed: the file it points at is written, the link stays a link.
- An existing character device or FIFO (``/dev/null``, ``/dev/full``, a named pipe) is written in
  place, never replaced by a regular file; a block device, socket or other special file is refused.
- Paths under ``/proc`` and ``/sys`` are refused (kernel files, not outputs).
- A regular file is staged in its own directory (``.NAME.XXXX.SUFFIX``), flushed to disk and renamed
  over the target, so the target is either the old file or the whole new one. An existing target
  keeps its permission bits.
- Directories are created only where a command documents it (``mkdirs=True``: ``leaflet --png DIR``,
  ``make demo``'s out/ directory); otherwise a missing parent is an error.
- Every OS error becomes ``MeariError("cannot write: REASON", PATH)``, printed by the CLI as
  ``meari: PATH: cannot write: REASON`` with exit status 2.
- Inside :func:`transaction` a command that writes several files writes all of them or none: each
  file is staged, and only when the whole block succeeds are the stages renamed into place (streams
  copied out); on any failure every stage, and every directory the transaction made, is removed.

Standard output for text (``print``) is guarded by :func:`guard_stdout`: a full disk or closed pipe
on stdout is a clean ``meari: <stdout>: cannot write: ...`` instead of a traceback at exit.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from meari.errors import MeariError

STDOUT = "-"
STDOUT_NAME = "<stdout>"
#: Kernel pseudo file systems: writing there is never what a user of meari means (and, as root, could
#: change kernel settings), so it is refused before anything is opened.
PSEUDO_ROOTS = ("/proc", "/sys")
#: errno values that mean "the write itself failed" (as opposed to, say, a missing input font).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EPIPE, errno.EACCES,
                 errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR}


def cannot_write(path: str | os.PathLike[str], e: OSError | str) -> MeariError:
    """The one error for a failed write: ``PATH: cannot write: REASON``."""
    reason = e if isinstance(e, str) else (e.strerror or type(e).__name__)
    return MeariError(f"cannot write: {reason}", _name(path))


def _name(path: str | os.PathLike[str]) -> str:
    return STDOUT_NAME if str(path) == STDOUT else str(path)


@dataclass(frozen=True)
class Target:
    """Where one output goes, decided before anything is written.

    ``kind`` is ``file`` (stage beside ``real`` and rename), ``stream`` (write in place: stdout, a
    character device or a FIFO).
    """

    given: str  # what the user typed (used in messages)
    real: Path | None  # the file finally written (symlinks resolved); None for stdout
    kind: str  # "file" | "stream"
    exists: bool = False


def _under_pseudo(p: Path) -> bool:
    s = str(p)
    return any(s == r or s.startswith(r + "/") for r in PSEUDO_ROOTS)


def resolve(path: str | os.PathLike[str], *, mkdirs: bool = False) -> Target:
    """Check an output path and say how it will be written; raise MeariError if it cannot be.

    ``mkdirs``: the command documents that it creates missing parent directories.
    """
    given = str(path)
    if given == STDOUT:
        return Target(given, None, "stream", True)
    if not given or given.endswith(os.sep) and not Path(given).is_dir():
        raise cannot_write(given or "''", "not a file name")
    p = Path(given)
    try:
        real = Path(os.path.realpath(p))  # follows every symlink (also a dangling one, to where it points)
    except (OSError, ValueError) as e:
        raise cannot_write(given, e if isinstance(e, OSError) else str(e)) from None
    if _under_pseudo(real) or _under_pseudo(p.absolute()):
        raise cannot_write(given, f"{real} is in a kernel pseudo file system ({', '.join(PSEUDO_ROOTS)}), "
                           "not a place for output files")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise cannot_write(given, "a parent on the path is not a directory") from None
    except OSError as e:
        raise cannot_write(given, e) from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise cannot_write(given, "is a directory")
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return Target(given, real, "stream", True)
        if not stat.S_ISREG(mode):
            kind = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else \
                "not a regular file"
            raise cannot_write(given, f"is {kind}; refusing to replace it or write into it")
        return Target(given, real, "file", True)
    parent = real.parent
    if not parent.is_dir():
        if parent.exists():
            raise cannot_write(given, f"{parent} is not a directory")
        if not mkdirs:
            raise cannot_write(given, f"no such directory: {parent}")
    return Target(given, real, "file", False)


@dataclass
class _Stage:
    target: Target
    tmp: Path


@dataclass
class Transaction:
    """Outputs staged by one command; committed together or not at all."""

    stages: list[_Stage] = field(default_factory=list)
    made_dirs: list[Path] = field(default_factory=list)
    committed: list[str] = field(default_factory=list)

    def staged(self, path: str | os.PathLike[str]) -> Path:
        """The staged file for an output of this transaction (to read back what was just written)."""
        key = str(path)
        for s in reversed(self.stages):
            if s.target.given == key or (s.target.real is not None and str(s.target.real) == key):
                return s.tmp
        return Path(path)

    def _check_unique(self, t: Target) -> None:
        for s in self.stages:
            same = (t.real is None and s.target.real is None) or (t.real is not None and s.target.real == t.real)
            if same and t.real is not None and t.kind == "file":
                raise cannot_write(t.given, f"the same file is given as two outputs ({s.target.given})")

    def commit(self) -> None:
        """Copy streams out, then rename every staged file into place."""
        # Streams first: if stdout is full, nothing has been renamed yet and everything is rolled back.
        for s in self.stages:
            if s.target.kind == "stream":
                _copy_out(s.tmp, s.target)
        created: list[Path] = []
        try:
            for s in self.stages:
                if s.target.kind != "file":
                    continue
                assert s.target.real is not None
                try:
                    os.replace(s.tmp, s.target.real)
                except OSError as e:
                    raise cannot_write(s.target.given, e) from None
                if not s.target.exists:
                    created.append(s.target.real)
                self.committed.append(s.target.given)
        except BaseException:
            for c in created:  # best effort: a file this transaction created is taken back
                with contextlib.suppress(OSError):
                    c.unlink()
            raise
        finally:
            for s in self.stages:  # a stage not renamed (a failure above) is removed
                _unlink(s.tmp)
        self.stages.clear()

    def rollback(self) -> None:
        """Remove every stage and every directory this transaction made (deepest first)."""
        for s in self.stages:
            with contextlib.suppress(OSError):
                s.tmp.unlink()
        self.stages.clear()
        for d in reversed(self.made_dirs):
            with contextlib.suppress(OSError):
                d.rmdir()  # only if still empty
        self.made_dirs.clear()


_CURRENT: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar("meari_outputs_txn", default=None)


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """All outputs written inside the block are renamed into place only if the block succeeds.

    Nested transactions join the outer one. Report "wrote ..." only after the block has exited.
    """
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    txn = Transaction()
    token = _CURRENT.set(txn)
    try:
        yield txn
        txn.commit()
    except BaseException:
        txn.rollback()
        raise
    finally:
        _CURRENT.reset(token)


def ensure_dir(path: str | os.PathLike[str]) -> Path:
    """Create an output directory where a command documents it; undone if its transaction fails."""
    p = Path(path)
    if _under_pseudo(Path(os.path.realpath(p))):
        raise cannot_write(p, "is in a kernel pseudo file system, not a place for output files")
    if p.is_dir():
        return p
    if p.exists() or p.is_symlink() and not p.exists():
        raise cannot_write(p, "is not a directory")
    missing = []
    q = p
    while not q.exists() and q != q.parent:
        missing.append(q)
        q = q.parent
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cannot_write(p, e) from None
    txn = _CURRENT.get()
    if txn is not None:
        txn.made_dirs.extend(reversed(missing))
    return p


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_write_error(e: BaseException, tmp: Path) -> bool:
    if not isinstance(e, OSError):
        return False
    if e.filename is not None and str(e.filename) == str(tmp):
        return True
    return e.errno in _WRITE_ERRNOS and e.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR)


def _disk_full(directory: Path) -> bool:
    try:
        st = os.statvfs(directory)
        return st.f_bavail * st.f_frsize < 64 * 1024  # less than 64 kB left: no writer can finish a file
    except OSError:
        return False


@contextlib.contextmanager
def staged_path(path: str | os.PathLike[str], suffix: str | None = None, *, mkdirs: bool = False
                ) -> Iterator[Path]:
    """Yield a temporary file to write; it becomes ``path`` when done (see the module rules).

    The temp file keeps the target's suffix (soundfile, matplotlib pick the format from it). Outside
    a transaction the output is committed when the block ends; inside one, when the transaction does.
    """
    t = resolve(path, mkdirs=mkdirs)
    txn = _CURRENT.get()
    if txn is not None:
        txn._check_unique(t)
    sfx = suffix if suffix is not None else (t.real.suffix if t.real is not None else "")
    if t.kind == "file":
        assert t.real is not None
        if mkdirs:
            ensure_dir(t.real.parent)
        stage_dir = t.real.parent
        name = t.real.name
    else:
        stage_dir = Path(tempfile.gettempdir())
        name = "stdout" if t.real is None else t.real.name
    try:
        fd, tmp_s = tempfile.mkstemp(prefix=f".{name}.", suffix=sfx, dir=stage_dir)
    except OSError as e:
        raise cannot_write(t.given, e) from None
    os.close(fd)
    tmp = Path(tmp_s)
    try:
        mode = os.stat(t.real).st_mode & 0o7777 if t.exists and t.kind == "file" else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError:
        pass
    try:
        yield tmp
        _fsync(tmp, t)
    except MeariError:
        _unlink(tmp)
        raise
    except BaseException as e:
        # Some writers (libsndfile: "System error.") do not say why; a file system with no free block
        # left is the answer then. Look before the stage is removed, which frees its blocks again.
        full = not isinstance(e, KeyboardInterrupt | SystemExit) and _disk_full(stage_dir)
        _unlink(tmp)
        if _is_write_error(e, tmp):
            raise cannot_write(t.given, e) from None  # type: ignore[arg-type]
        if full:
            raise cannot_write(t.given, os.strerror(errno.ENOSPC)) from None
        raise
    if txn is not None:
        txn.stages.append(_Stage(t, tmp))
        return
    single = Transaction([_Stage(t, tmp)])
    try:
        single.commit()
    except BaseException:
        single.rollback()
        raise


def _unlink(p: Path) -> None:
    with contextlib.suppress(OSError):
        p.unlink()


def _fsync(tmp: Path, t: Target) -> None:
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise cannot_write(t.given, "the writer did not create the file") from None
    except OSError as e:
        raise cannot_write(t.given, e) from None


def _copy_out(tmp: Path, t: Target) -> None:
    """Write a staged file to its stream (stdout, a device, a FIFO) in place."""
    try:
        with open(tmp, "rb") as src:
            if t.real is None:
                sys.stdout.flush()
                out = sys.stdout.buffer
                shutil.copyfileobj(src, out)
                out.flush()
            else:
                # O_WRONLY without O_CREAT/O_TRUNC: the node is written, never replaced.
                fd = os.open(t.real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(src, out)
    except BrokenPipeError:
        if t.real is None:  # the reader went away (``| head``): quiet, as for text on stdout
            _silence_stdout()
        raise
    except OSError as e:
        if t.real is None:
            _silence_stdout()
        raise cannot_write(t.given, e) from None
    finally:
        _unlink(tmp)


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                *, mkdirs: bool = False) -> Iterator[IO]:
    """Open an output for writing (text or binary); it appears only when the block succeeds."""
    if "b" in mode:
        encoding = None
    with staged_path(path, mkdirs=mkdirs) as tmp, open(tmp, mode, encoding=encoding) as fh:
        yield fh


def write_bytes(path: str | os.PathLike[str], data: bytes, *, mkdirs: bool = False) -> Path:
    """Write bytes to an output (see the module rules)."""
    with open_output(path, "wb", mkdirs=mkdirs) as fh:
        fh.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, *, mkdirs: bool = False) -> Path:
    """Write UTF-8 text to an output (see the module rules)."""
    with open_output(path, "w", mkdirs=mkdirs) as fh:
        fh.write(text)
    return Path(path)


def check_suffix(path: str | os.PathLike[str], allowed: tuple[str, ...], what: str, flag: str) -> None:
    """Refuse an output whose suffix does not name its format (``--plot x.jpg`` for a PNG)."""
    s = str(path)
    if s == STDOUT:
        return
    suf = Path(s).suffix.lower()
    if suf not in allowed:
        names = " or ".join(allowed)
        got = f"{suf!r}" if suf else "no suffix"
        raise MeariError(f"{what} is written as {names}; the file name has {got} (name it *{allowed[0]})",
                         f"{flag} {s}")


# ------------------------------------------------------------------------------------------------
# standard output for text


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null so Python's flush at exit does not raise a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _GuardedBuffer:
    """``sys.stdout.buffer`` whose write errors are MeariErrors."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def write(self, b: bytes) -> int:
        return _guard(lambda: self._raw.write(b))

    def flush(self) -> None:
        _guard(self._raw.flush)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._raw, name)


class _GuardedStdout:
    """A stand-in for ``sys.stdout`` that turns write errors into ``<stdout>: cannot write``."""

    def __init__(self, real: IO[str]) -> None:
        self._real = real
        self.buffer = _GuardedBuffer(real.buffer) if hasattr(real, "buffer") else None

    def write(self, s: str) -> int:
        return _guard(lambda: self._real.write(s))

    def flush(self) -> None:
        _guard(self._real.flush)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._real, name)


def _guard(fn):  # noqa: ANN001, ANN202
    try:
        return fn()
    except BrokenPipeError:
        _silence_stdout()
        raise
    except OSError as e:
        _silence_stdout()
        raise cannot_write(STDOUT, e) from None


@contextlib.contextmanager
def guard_stdout() -> Iterator[None]:
    """While active, a failing write to stdout raises MeariError; stdout is flushed at the end."""
    real = sys.stdout
    if isinstance(real, _GuardedStdout) or not hasattr(real, "buffer"):
        yield  # already guarded, or captured by a test harness
        if hasattr(real, "flush"):
            real.flush()
        return
    sys.stdout = _GuardedStdout(real)  # type: ignore[assignment]
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = real
