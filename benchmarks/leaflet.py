"""Benchmark: 1,000 two-sided appeal leaflets with unique serials into one PDF, on one core.

Fonts are registered and the layout computed once per process (as ``meari leaflet --count``
does); the timed part is drawing and writing 2,000 pages. The last line prints key=value pairs.
Review and conversion run once in ``prepare`` and are timed separately (prepare_s).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meari.message import parse_message  # noqa: E402
from meari.produce import leaflet as lf  # noqa: E402
from meari.produce.leaflet.fonts import register_fonts  # noqa: E402

N = 1000

MESSAGE = """
sponsor: 우크라이나 국방정보총국 《나는 살고 싶다》 프로젝트
language: nk
text: |
  조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.
  여러분의 생명은 여러분의 것입니다. 리국 땅에서 헛되이 죽을 리유가 없습니다.
  무기를 내려놓고 흰천을 들고 천천히 걸어나오십시오.
  포로가 되면 제네바협약에 따라 음식과 치료를 받게 됩니다.
  살아서 가족을 다시 만날수 있습니다. 지금 결정하십시오.
leaflet:
  template: appeal
  headline: 살아서 돌아가십시오
  serial_start: 1
"""


def main() -> None:
    t0 = time.perf_counter()
    register_fonts()
    t_fonts = time.perf_counter() - t0
    msg = parse_message(MESSAGE, "bench")
    t0 = time.perf_counter()
    prep = lf.prepare(msg, force=True)
    t_prep = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "bench.pdf"
        t0 = time.perf_counter()
        lf.write_pdf(prep, out, count=N)
        dt = time.perf_counter() - t0
        size = out.stat().st_size
        t0 = time.perf_counter()
        lf.write_imposed(prep, Path(d) / "bench-A4.pdf", "A4", count=N)
        dt_imp = time.perf_counter() - t0
    print(f"{N} leaflets ({2 * N} pages) in {dt:.3f} s; PDF {size / 1e6:.2f} MB; "
          f"A4 3-up {N} copies in {dt_imp:.3f} s")
    print(f"leaflets={N} seconds={dt:.3f} pdf_mb={size / 1e6:.2f} fonts_s={t_fonts:.2f} prepare_s={t_prep:.3f} "
          f"imposed_leaflets_per_s={N / dt_imp:.1f} leaflets_per_s={N / dt:.1f}")


if __name__ == "__main__":
    main()
