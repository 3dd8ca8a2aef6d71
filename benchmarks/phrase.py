"""Interpreter kit speed: lookup latency over phrasebook + glossary, and card pages per second.

    .venv/bin/python benchmarks/phrase.py

Queries: the 140-query lookup table of tests/phrase/test_lookup.py (every kind: languages, typos,
initial consonants, half-typed syllables, Latin-keyboard Korean), each run 20 times against the
index of all phrases and glossary entries (scope "all", no --lang filter). Cards: every phrase
on A6 cards, then on 85x55 cards, written to a temp dir (fonts registered before timing).
Last line: ``lookup_p95_ms=… cards_pages_per_s=…`` (targets: p95 < 5 ms, >= 50 pages/s).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meari.phrase.load import load_phrasebook  # noqa: E402
from meari.phrase.lookup import Index  # noqa: E402
from meari.produce.cards.pdf import write_cards  # noqa: E402
from tests.phrase.test_lookup import TABLE  # noqa: E402


def main() -> None:
    t0 = time.perf_counter()
    book = load_phrasebook()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    idx = Index(book.phrases + book.glossary)
    t_index = time.perf_counter() - t0
    queries = [q for q, *_ in TABLE]
    for q in queries:  # warm caches
        idx.search(q, n=3)
    times = []
    cpu = []
    for _ in range(20):
        for q in queries:
            t = time.perf_counter()
            c = time.thread_time()
            idx.search(q, n=5)
            cpu.append((time.thread_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    cpu.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * len(times)) - 1]
    cpu95 = cpu[int(0.95 * len(cpu)) - 1]
    worst = times[-1]
    # Wall time includes waiting for a core: on a shared machine the CPU-time figure is the lookup's own cost.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load_average_1min={load:.1f} cores={os.cpu_count()}")
    print(f"entries={len(idx.entries)} (phrases {len(book.phrases)}, glossary {len(book.glossary)}) "
          f"load_s={t_load:.2f} index_ms={t_index * 1000:.0f}")
    print(f"lookups={len(times)} p50_ms={p50:.3f} p95_ms={p95:.3f} max_ms={worst:.2f} cpu_p95_ms={cpu95:.3f}")
    pages = 0
    elapsed = 0.0
    with tempfile.TemporaryDirectory() as d:
        write_cards(book, book.phrases[:5], Path(d) / "warm.pdf")  # font registration, not timed
        for size in ("A6", "85x55"):
            t = time.perf_counter()
            r = write_cards(book, book.phrases, Path(d) / f"cards-{size}.pdf", size, "uk")
            dt = time.perf_counter() - t
            pages += r.pages
            elapsed += dt
            print(f"cards size={size} pages={r.pages} seconds={dt:.2f} pages_per_s={r.pages / dt:.0f}")
    print(f"lookup_p95_ms={p95:.2f} lookup_cpu_p95_ms={cpu95:.2f} cards_pages_per_s={pages / elapsed:.0f}")


if __name__ == "__main__":
    main()
