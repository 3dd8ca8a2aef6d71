"""Benchmark: the cost of meari's output layer (stage beside the target, fsync, rename) per file.

Writes N files of 4 kB and of 1 MB through ``meari.outputs.write_bytes`` and, for comparison, with a
plain ``open().write()`` (no staging, no fsync), into a temporary directory on the same file system,
and a 10-file transaction. Last line: key=value figures (milliseconds per file).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from meari import outputs


def per_file_ms(write, d: Path, size: int, n: int) -> float:  # noqa: ANN001
    data = os.urandom(size)
    t0 = time.perf_counter()
    for i in range(n):
        write(d / f"f{i % 10}.bin", data)
    return (time.perf_counter() - t0) / n * 1000


def plain(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def transaction_ms(d: Path, n: int) -> float:
    data = os.urandom(4096)
    t0 = time.perf_counter()
    for _ in range(n):
        with outputs.transaction():
            for i in range(10):
                outputs.write_bytes(d / f"t{i}.bin", data)
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("MEARI_BENCH_DIR")) as tmp:
        d = Path(tmp)
        small = per_file_ms(outputs.write_bytes, d, 4096, 200)
        small_plain = per_file_ms(plain, d, 4096, 200)
        big = per_file_ms(outputs.write_bytes, d, 1 << 20, 20)
        big_plain = per_file_ms(plain, d, 1 << 20, 20)
        txn = transaction_ms(d, 20)
    print(f"directory: {tempfile.gettempdir()} (set MEARI_BENCH_DIR to measure another file system)")
    print(f"staged_4k_ms={small:.3f} plain_4k_ms={small_plain:.3f} staged_1m_ms={big:.3f} plain_1m_ms={big_plain:.3f} "
          f"transaction_10x4k_ms={txn:.3f}")


if __name__ == "__main__":
    main()
