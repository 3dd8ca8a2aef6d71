"""Converter throughput against bare MeCab analysis, in one process.

Sentences: 10,000 definition sentences harvested from the installed NK-HanDic
dictionary's glosses (real, varied Korean written to the South Korean standard
of the Standard Korean Language Dictionary), chosen deterministically. nk2sk is
measured on the sk2nk output of the same sentences (North Korean spelling).
analysis = MeCab + HanDic on the same sentences, jamo decomposition included
(MeCab cannot take syllables), default output format, nothing else;
nk_analysis = the same with NK-HanDic on the North Korean text (the analyser
nk2sk actually runs: a larger, slower dictionary). All four are timed in
alternating blocks of 500 sentences, so other load on the machine hits each alike.
Start-up = wall time of a fresh interpreter doing one conversion.

Last line: sk2nk_sents_per_s=… nk2sk_sents_per_s=… analysis_sents_per_s=… ratios and start-up.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from meari.lang.analyse import dicdir, tagger
from meari.lang.convert import convert_line
from meari.lang.hangul import to_jamo
from meari.lang.lexicon import _features, _fields

N = 10_000


def sentences(n: int = N) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for feat in _features(os.path.join(dicdir("nk"), "sys.dic")):
        f = _fields(feat)
        if len(f) < 13 or f[12] in ("*", ""):
            continue
        for s in re.split(r"(?<=[.다])\s+", f[12]):
            s = s.strip()
            if 15 <= len(s) <= 120 and "북한어" not in s and "⇒" not in s and s not in seen:
                seen.add(s)
                out.append(s)
    out.sort()
    step = max(1, len(out) // n)
    return out[::step][:n]


def interleaved(fns: dict, items: dict, block: int = 500, clock=time.process_time) -> dict[str, float]:  # noqa: ANN001
    """Sentences/s for each function, timed in alternating blocks so that load from
    other processes on the machine falls on all of them alike.

    The clock is this process's CPU time by default: on a shared machine (2 cores,
    load 8) wall time swings by 30 % between runs, CPU time by a few per cent, and
    all four functions are single-threaded and CPU-bound. ``--wall`` uses wall time."""
    spent = dict.fromkeys(fns, 0.0)
    n = len(next(iter(items.values())))
    for lo in range(0, n, block):
        for name, fn in fns.items():
            chunk = items[name][lo:lo + block]
            t = clock()
            for x in chunk:
                fn(x)
            spent[name] += clock() - t
    return {k: n / v for k, v in spent.items()}


def main() -> None:
    sents = sentences()
    assert len(sents) >= N, len(sents)
    convert_line(sents[0], "sk2nk")  # warm: lexicon + taggers loaded
    convert_line(sents[0], "nk2sk")
    nk_text = [convert_line(s, "sk2nk")[0] for s in sents]
    raw_sk, raw_nk = tagger("sk", raw=True), tagger("nk", raw=True)
    r = interleaved(
        {
            "analysis": lambda s: raw_sk.parse(to_jamo(s)),
            "nk_analysis": lambda s: raw_nk.parse(to_jamo(s)),
            "sk2nk": lambda s: convert_line(s, "sk2nk"),
            "nk2sk": lambda s: convert_line(s, "nk2sk"),
        },
        {"analysis": sents, "sk2nk": sents, "nk_analysis": nk_text, "nk2sk": nk_text},
        clock=time.perf_counter if "--wall" in sys.argv else time.process_time,
    )
    changed = sum(1 for a, b in zip(sents, nk_text, strict=True) if a != b)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import meari; meari.to_nk('노동자들이 할 수 있다')"], check=True)
    startup = time.perf_counter() - t  # wall time, what a user waits for
    print(f"sentences={len(sents)} changed_by_sk2nk={changed} clock={'wall' if '--wall' in sys.argv else 'cpu'} "
          f"load_average={os.getloadavg()[0]:.1f}")
    print(
        f"sk2nk_sents_per_s={r['sk2nk']:.0f} nk2sk_sents_per_s={r['nk2sk']:.0f} "
        f"analysis_sents_per_s={r['analysis']:.0f} nk_analysis_sents_per_s={r['nk_analysis']:.0f} "
        f"sk2nk_vs_analysis={r['sk2nk'] / r['analysis']:.3f} nk2sk_vs_analysis={r['nk2sk'] / r['analysis']:.3f} "
        f"nk2sk_vs_nk_analysis={r['nk2sk'] / r['nk_analysis']:.3f} startup_s={startup:.2f}"
    )


if __name__ == "__main__":
    main()
