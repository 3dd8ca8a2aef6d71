"""Benchmark ``meari.review.review`` on 1,000 unique ~300-character messages; score the labelled and blind sets.

Messages are built from real appeal sentences (shuffled, with a per-message
serial so every text is unique), language nk so every check runs, including
the converter-backed nk.orthography. The sentences come from a pool of 16, so
the review's per-sentence memo (meari.review.memo: what the checks derive from
a sentence, kept across reviews, as for a draft re-reviewed on every edit)
serves most of them: messages_per_s is that warm figure; cold_messages_per_s
empties the memo before every message (each sentence worked out afresh,
except repeats inside the message). Both are also given in CPU time
(process_time), which other processes on the machine disturb less.
Prints figures as key=value; the LAST line carries messages_per_s.

Also reviews one ~2 MB message in a child process (time, CPU time, peak memory; issue 11).

Run: .venv/bin/python benchmarks/review.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meari.message import Message  # noqa: E402
from meari.review import review  # noqa: E402
from meari.review.evaluate import evaluate, load_items  # noqa: E402

SENTENCES = [
    "조선인민군 병사 여러분, 당신들은 남의 나라 전쟁에 끌려왔습니다.",
    "여러분의 생명은 여러분의 것입니다.",
    "이국 땅에서 헛되이 죽을 이유가 없습니다.",
    "무기를 내려놓고 흰 천을 들고 천천히 걸어 나오십시오.",
    "포로가 되면 제네바 협약에 따라 음식과 치료를 받게 됩니다.",
    "누구도 여러분을 해치지 않을 것입니다.",
    "살아서 가족을 다시 만날 수 있습니다.",
    "지금 결정하십시오.",
    "여러분의 지휘관은 항복하면 죽인다고 거짓말합니다.",
    "국제적십자위원회가 포로수용소를 정기적으로 방문합니다.",
    "두 손을 들고 나오면 사격을 멈춥니다.",
    "로동자와 농민의 아들 여러분, 로씨야를 위해 죽지 마십시오.",
    "직승기 소리가 들리면 숲에서 나와 두 손을 드십시오.",
    "고향의 부모님은 아들이 살아 돌아오기를 기다립니다.",
    "포로는 이름, 계급, 생년월일, 군번만 말하면 됩니다.",
    "러시아 지휘관들은 부상병을 버리고 갔습니다.",
]


def messages(n: int = 1000, target: int = 300, seed: int = 1) -> list[Message]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(rng.choice(SENTENCES))
        text = f"{i + 1}번 전단. " + "\n".join(parts)
        out.append(Message(text=text, sponsor="우크라이나 《나는 살고 싶다》 프로젝트", language="nk"))
    return out


def _tiers(name: str, items: list[dict]) -> None:
    """ihl/truth scores counting errors only, then any severity (errors + possible-violation warnings)."""
    reps = {tier: evaluate(items, tier) for tier in ("error", "any")}
    for fam in ("ihl", "truth"):
        e, a = reps["error"].families[fam], reps["any"].families[fam]
        print(f"set={name} family={fam} recall_errors={e.recall:.3f} precision_errors={e.precision:.3f} "
              f"recall_any={a.recall:.3f} precision_any={a.precision:.3f} expected={a.tp + a.fn}")
    r = reps["any"]
    print(f"set={name} clean_items={r.clean} false_errors={r.clean_with_error} "
          f"false_warnings={r.clean_with_warning} false_error_rate={r.false_error_rate:.3f} "
          f"false_warning_rate={r.false_warning_rate:.3f}")


def long_message(n_bytes: int = 1_990_000, seed: int = 1) -> Message:
    """A message just under the loader's 2 MB limit, built from the appeal sentences (lines, paragraphs)."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        s = rng.choice(SENTENCES) + ("\n" if len(parts) % 7 == 6 else "")
        parts.append(s)
        size += len(s.encode()) + 1
    return Message(text="\n".join(parts), sponsor="우크라이나 《나는 살고 싶다》 프로젝트", language="nk")


def _long_only() -> None:
    """Child process: review one ~2 MB message; print time, CPU time and peak memory of this process."""
    import resource

    review(Message(text="병사 여러분, 나오십시오.", sponsor="x"))  # dictionaries and data loaded (not timed)
    m = long_message()
    t, c = time.perf_counter(), time.process_time()
    n = len(review(m).findings)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"long_message_bytes={len(m.text.encode())} long_message_seconds={dt:.2f} long_message_cpu_s={cpu:.2f} "
          f"long_message_findings={n} long_message_maxrss_mb={rss:.0f}")


def main() -> None:
    import subprocess

    # Issue 11: a 2 MB message reviewed in time and memory linear in its length (target < 10 s, < 500 MB),
    # measured in a fresh process so the peak memory is the long review's own.
    res = subprocess.run([sys.executable, __file__, "--long-only"], capture_output=True, text=True, check=False)
    print(res.stdout.strip() or f"long_message_error={res.stderr.strip()[-200:]!r}")
    msgs = messages()
    review(msgs[0])  # load dictionaries and data once (not timed)
    avg_len = sum(len(m.text) for m in msgs) / len(msgs)
    t0, c0 = time.perf_counter(), time.process_time()
    findings = 0
    for m in msgs:
        findings += len(review(m).findings)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    from meari.review import memo

    cold = msgs[:200]
    t3, c3 = time.perf_counter(), time.process_time()
    for m in cold:
        memo.clear()
        review(m)
    dt_cold, cpu_cold = time.perf_counter() - t3, time.process_time() - c3
    print(f"cold_messages_per_s={len(cold) / dt_cold:.1f} cold_cpu_messages_per_s={len(cold) / cpu_cold:.1f} "
          f"cpu_messages_per_s={len(msgs) / cpu:.1f}")
    from meari.lang.convert import to_nk
    from meari.review.registry import all_checks

    no_conv = [c for c in all_checks() if c.id != "nk.orthography"]
    t1 = time.perf_counter()
    for m in msgs:
        review(m, no_conv)
    dt_no_conv = time.perf_counter() - t1
    t2 = time.perf_counter()
    for m in msgs:
        to_nk(m.text)
    dt_conv = time.perf_counter() - t2
    print(f"without_converter_messages_per_s={len(msgs) / dt_no_conv:.1f} "
          f"to_nk_ms_per_message={1000 * dt_conv / len(msgs):.2f}")
    labelled = load_items(ROOT / "tests" / "data" / "review_labelled.yaml")
    rep = evaluate(labelled)
    for fam, s in sorted(rep.families.items()):
        print(f"family={fam} precision={s.precision:.3f} recall={s.recall:.3f} tp={s.tp} fp={s.fp} fn={s.fn}")
    print(f"false_error_rate={rep.false_error_rate:.3f} clean_items={rep.clean}")
    _tiers("labelled", labelled)
    blind = ("review_blind.yaml", "review_blind_b.yaml", "review_blind_c.yaml", "review_blind_d.yaml",
             "review_blind_e.yaml", "review_blind_f.yaml", "review_blind_g.yaml", "review_blind_h.yaml",
             "review_blind_i.yaml", "review_blind_j.yaml", "review_blind_k.yaml")
    for name in blind:  # ihl/truth labels only
        _tiers(name, load_items(ROOT / "tests" / "data" / name))
    from meari.review.evaluate import per_id

    k = per_id(load_items(ROOT / "tests" / "data" / "review_blind_k.yaml"))  # issue 9: per id
    c = k.pop("_clean")
    for rid, d in sorted(k.items()):
        print(f"set=review_blind_k.yaml id={rid} expected={d['expected']} recall_any={d['any'] / d['expected']:.3f} "
              f"recall_errors={d['errors'] / d['expected']:.3f}")
    print(f"set=review_blind_k.yaml clean_items={c['items']} false_errors={c['false_errors']} "
          f"false_warnings={c['false_warnings']}")
    print(f"messages={len(msgs)} avg_chars={avg_len:.0f} findings={findings} seconds={dt:.2f} "
          f"messages_per_s={len(msgs) / dt:.1f}")


if __name__ == "__main__":
    if "--long-only" in sys.argv:
        _long_only()
    else:
        main()
